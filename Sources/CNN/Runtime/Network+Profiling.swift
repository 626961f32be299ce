import Dispatch

/// Time spent in one planned step, for finding where a network spends its time.
public struct StepTiming: Sendable {
    public let name: String
    public let kernel: String
    /// Median over the repetitions, in seconds.
    public let seconds: Double
    /// Multiply-adds of the step for the profiled batch (0 for steps that do none).
    public let multiplyAdds: Int

    /// Billions of floating-point operations per second (2 per multiply-add).
    public var gigaflops: Double { seconds > 0 ? 2 * Double(multiplyAdds) / seconds / 1e9 : 0 }
}

extension Network {
    /// Runs the network `repetitions` times, timing each step separately, and returns the median
    /// time of every step, each step split across `threads` as `run(_:in:threads:)` does. For
    /// benchmarks; `run` is the way to infer.
    public func profile(_ input: Tensor, in workspace: Workspace, repetitions: Int = 20, threads: Int = 1) throws(CNNError) -> [StepTiming] {
        try run(input, in: workspace, threads: threads)
        var samples = [[Double]](repeating: [], count: plan.steps.count)
        for _ in 0..<max(1, repetitions) {
            workspace.executeTimed(plan: plan, input: input, batch: input.shape.batch, threads: threads) { index, seconds in
                samples[index].append(seconds)
            }
        }
        return plan.steps.enumerated().map { index, step in
            let sorted = samples[index].sorted()
            return StepTiming(
                name: step.name, kernel: String(describing: type(of: step.kernel)),
                seconds: sorted[sorted.count / 2], multiplyAdds: step.kernel.multiplyAdds(batch: input.shape.batch))
        }
    }

    /// Multiply-adds of one run at `batch`, summed over the convolution and dense steps.
    public func multiplyAdds(batch: Int = 1) -> Int {
        plan.steps.reduce(0) { $0 + $1.kernel.multiplyAdds(batch: batch) }
    }
}

extension Workspace {
    /// Runs once and reports each step's time, summed over the sample groups of the batch.
    func executeTimed(plan: Network.Plan, input: Tensor, batch: Int, threads: Int, _ record: (Int, Double) -> Void) {
        var seconds = [Double](repeating: 0, count: plan.steps.count)
        executeSteps(plan: plan, input: input, batch: batch, threads: threads) { index, run in
            let start = DispatchTime.now().uptimeNanoseconds
            run()
            seconds[index] += Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        }
        for index in 0..<seconds.count { record(index, seconds[index]) }
    }
}
