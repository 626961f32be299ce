import CNN
import Testing

/// Every layer kind against numpy float64 (`Tests/Fixtures/layers`), with both the fast plan
/// (folded, fused, GEMM/SIMD kernels) and the reference plan (naive kernels).
/// Tolerance per case from the manifest, by default |a−b| ≤ 1e-4 + 1e-4·|b|.
@Suite("Layers against numpy float64")
struct LayerFixtureTests {
    static let cases: [LayerFixture] = (try? LayerFixture.loadAll()) ?? []

    @Test func manifestIsPresentAndCoversEveryLayerKind() throws {
        let cases = try LayerFixture.loadAll()
        let ops = Set(cases.flatMap { $0.nodes.map(\.op) })
        let required: Set = [
            "conv2d", "batchnorm", "activation", "maxpool", "avgpool", "globalavgpool", "dense", "softmax",
            "add", "concat", "flatten", "reshape", "dropout",
        ]
        #expect(required.isSubset(of: ops), "missing: \(required.subtracting(ops))")
        for op in required {
            #expect(cases.filter { $0.nodes.contains { $0.op == op } }.count >= 3, "fewer than 3 cases for \(op)")
        }
    }

    @Test("fast plan", arguments: cases)
    func fastPlan(_ fixture: LayerFixture) throws {
        try check(fixture, options: PlanOptions())
    }

    @Test("reference plan", arguments: cases)
    func referencePlan(_ fixture: LayerFixture) throws {
        try check(fixture, options: .reference)
    }

    private func check(_ fixture: LayerFixture, options: PlanOptions) throws {
        let network = try Network(graph: try fixture.graph(), weights: try fixture.weights(), options: options)
        let inputs = try fixture.inputTensors()
        let workspace = network.makeWorkspace(maxBatch: inputs[0].shape.batch)
        try network.run(inputs, in: workspace)
        let tolerance = Tolerance(absolute: fixture.tolerance.abs, relative: fixture.tolerance.rel)
        for name in fixture.outputs {
            let actual = try workspace.output(name)
            let expected = try fixture.expected(name)
            try #require(
                [actual.shape.batch, actual.shape.height, actual.shape.width, actual.shape.channels] == expected.shape,
                "\(fixture.name)/\(name): shape \(actual.shape) vs expected \(expected.shape)")
            if let bad = tolerance.firstViolation(actual.scalars, expected.scalars) {
                Issue.record("\(fixture.name)/\(name) [\(options.kernels)]: element \(bad.index) = \(bad.actual), numpy says \(bad.expected) (\(tolerance)); max |Δ| = \(Tolerance.maxAbsoluteDifference(actual.scalars, expected.scalars))")
            }
        }
    }
}
