import ArgumentParser

/// `colecionador`: classify photos of collectible items, embed them, learn a collection's own
/// categories, inspect weight files.
@main
struct Colecionador: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "colecionador",
        abstract: "Classify photos of collectible items and find similar ones.",
        subcommands: [
            ClassifyCommand.self, EmbedCommand.self, IndexCommand.self, SearchCommand.self, TrainCommand.self, ServeCommand.self, InspectCommand.self,
        ])
}
