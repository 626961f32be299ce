import ArgumentParser

/// `colecionador-bench`: the benchmark executable. Run it in release:
/// `swift run -c release colecionador-bench <mode> …`. Every mode prints a table and can write
/// the same numbers as JSON (`--json FILE`).
@main
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "colecionador-bench",
        abstract: "Benchmarks of the CNN runtime, the image pipeline, the vector index and head training.",
        subcommands: [
            InferenceBenchmark.self, LayersBenchmark.self, PipelineBenchmark.self, IndexBenchmark.self, AdversarialBenchmark.self, TrainBenchmark.self,
        ])
}
