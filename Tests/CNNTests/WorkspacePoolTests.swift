import CNN
import Dispatch
import Testing

/// `WorkspacePool`: workspaces are reused between calls, sized for the batch asked, bounded in
/// number, and concurrent callers never share one (their outputs equal a sequential run's).
@Suite("Workspace pool")
struct WorkspacePoolTests {
    static func network() throws -> Network {
        var graph = Graph()
        let x = try graph.input("x", height: 12, width: 12, channels: 8)
        var h = try graph.add("expand", .conv2d(Conv2D(outputChannels: 24, kernel: (1, 1), activation: .relu6)), x)
        h = try graph.add("dw", .conv2d(.depthwise(channels: 24, kernel: (3, 3), padding: .same, activation: .relu6)), h)
        h = try graph.add("pool", .globalAvgPool, h)
        graph.output(try graph.add("fc", .dense(Dense(units: 10)), h), as: "y")
        var rng = SeededGenerator(seed: 41)
        return try Network(graph: graph, weights: RandomWeights.file(for: graph, using: &rng))
    }

    @Test func workspacesAreReusedAndSizedForTheBatch() throws {
        let pool = WorkspacePool(network: try Self.network(), capacity: 2)
        let first = pool.withWorkspace(maxBatch: 1) { ObjectIdentifier($0) }
        #expect(pool.idleCount == 1)
        #expect(pool.withWorkspace(maxBatch: 1) { ObjectIdentifier($0) } == first)
        // A larger batch than any idle workspace holds gets a new one, which is then kept.
        let large = pool.withWorkspace(maxBatch: 4) { workspace in
            #expect(workspace.maxBatch == 4)
            return ObjectIdentifier(workspace)
        }
        #expect(large != first)
        #expect(pool.idleCount == 2)
        // Small batches may use the large workspace; the pool never holds more than its capacity.
        pool.withWorkspace(maxBatch: 1) { outer in
            pool.withWorkspace(maxBatch: 1) { middle in
                #expect(ObjectIdentifier(outer) != ObjectIdentifier(middle))
                pool.withWorkspace(maxBatch: 1) { inner in
                    #expect(ObjectIdentifier(inner) != ObjectIdentifier(middle) && ObjectIdentifier(inner) != ObjectIdentifier(outer))
                }
            }
        }
        #expect(pool.idleCount == 2)
        #expect(pool.withWorkspace(maxBatch: 4) { $0.maxBatch } == 4)
    }

    @Test func concurrentCallersGetTheirOwnWorkspaces() throws {
        let network = try Self.network()
        let pool = WorkspacePool(network: network, capacity: 3)
        var rng = SeededGenerator(seed: 7)
        let inputs = try (0..<8).map { _ in try Tensor(shape: Shape(batch: 2, height: 12, width: 12, channels: 8), scalars: rng.floats(2 * 12 * 12 * 8)) }
        let expected = try inputs.map { input in
            let workspace = network.makeWorkspace(maxBatch: 2)
            try network.run(input, in: workspace)
            return try workspace.output("y").scalars
        }
        let results = Results(count: inputs.count)
        DispatchQueue.concurrentPerform(iterations: inputs.count * 4) { iteration in
            let index = iteration % inputs.count
            let output = try? pool.withWorkspace(maxBatch: 2) { workspace throws(CNNError) in
                try network.run(inputs[index], in: workspace)
                return try workspace.output("y").scalars
            }
            results.record(index, output)
        }
        for index in inputs.indices {
            #expect(results.outputs(index).allSatisfy { $0 == expected[index] }, "input \(index)")
            #expect(results.outputs(index).count == 4)
        }
        #expect(pool.idleCount <= 3)
    }
}

/// Outputs collected from concurrent iterations.
private final class Results: @unchecked Sendable {
    private let lock = DispatchQueue(label: "results")
    private var values: [[[Float]?]]

    init(count: Int) { values = Array(repeating: [], count: count) }

    func record(_ index: Int, _ output: [Float]?) { lock.sync { values[index].append(output) } }

    func outputs(_ index: Int) -> [[Float]?] { lock.sync { values[index] } }
}
