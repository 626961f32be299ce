@_spi(Benchmarks) import CNN
import Foundation
@_spi(Benchmarks) import Models
import Testing

/// The built-in models bound to a mapped prepared-parameters file compute bit for bit what the
/// freshly planned models compute, and the standard cache directory follows the environment.
@Suite("Prepared parameters of the built-in models", .serialized)
struct PreparedParametersModelTests {
    static func temporaryDirectory() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("prepared-models-\(UUID().uuidString)").path
    }

    /// Bit patterns of every output for one seeded random input (OpenBLAS is on one thread for
    /// good once a network is planned, so its GEMMs' last bits do not change between runs).
    static func outputBits(_ model: ImageModel) throws -> [String: [UInt32]] {
        _ = KernelCalibration.pointwise
        let network = model.network
        let shape = network.graph.shape(of: network.graph.inputs[0])
        var state: UInt64 = 0x5EED
        let scalars = (0..<shape.elementsPerSample).map { _ -> Float in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Float(state >> 40) / Float(1 << 24) * 4 - 2
        }
        let workspace = network.makeWorkspace(maxBatch: 1)
        try network.run(Tensor(shape: shape.withBatch(1), scalars: scalars), in: workspace)
        var bits: [String: [UInt32]] = [:]
        for name in network.outputNames { bits[name] = try workspace.output(name).scalars.map(\.bitPattern) }
        return bits
    }

    @Test func efficientNetLite0MappedMatchesFreshPlanBitForBit() throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let cache = PreparedParameterCache(directory: directory)
        let fresh = try ModelFixtures.lite0.get()
        let first = try ImageModel.efficientNetLite0(weights: ModelFixtures.lite0Weights, labels: ModelFixtures.imageNetLabels, preparedCache: cache)
        let second = try ImageModel.efficientNetLite0(weights: ModelFixtures.lite0Weights, labels: ModelFixtures.imageNetLabels, preparedCache: cache)
        guard case .mapped(let path, written: true, replaced: nil) = first.network.preparedParameters else {
            Issue.record("the first load should write the file, got \(first.network.preparedParameters)")
            return
        }
        #expect(second.network.preparedParameters == .mapped(path: path, written: false, replaced: nil))
        #expect(path.hasPrefix(directory + "/efficientnet-lite0-") && path.hasSuffix(".prepared.safetensors"))
        // The file's 4,694,024 parameters (folded; packed panels are a little larger) are shared.
        #expect(second.network.preparedParameterBytes.shared >= 4_600_000 * 4)
        #expect(second.network.preparedParameterBytes.private < 200_000)
        let expected = try Self.outputBits(fresh)
        #expect(try Self.outputBits(second) == expected)
        #expect(try Self.outputBits(first) == expected)
    }

    @Test func mobileNetV2MappedMatchesFreshPlanBitForBit() throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let cache = PreparedParameterCache(directory: directory)
        _ = try ImageModel.mobileNetV2(weights: ModelFixtures.mobileNetV2Weights, preparedCache: cache)
        let mapped = try ImageModel.mobileNetV2(weights: ModelFixtures.mobileNetV2Weights, preparedCache: cache)
        guard case .mapped(_, written: false, replaced: nil) = mapped.network.preparedParameters else {
            Issue.record("the second load should map the file, got \(mapped.network.preparedParameters)")
            return
        }
        #expect(try Self.outputBits(mapped) == Self.outputBits(ModelFixtures.mobileNetV2.get()))
    }

    @Test func standardDirectoryFollowsTheEnvironment() {
        let variable = PreparedParameterCache.environmentVariable
        #expect(PreparedParameterCache.standard(environment: [variable: "/srv/prepared", "HOME": "/home/u"])?.directory == "/srv/prepared")
        #expect(PreparedParameterCache.standard(environment: [variable: "off", "HOME": "/home/u"]) == nil)
        #expect(PreparedParameterCache.standard(environment: [variable: "", "HOME": "/home/u"]) == nil)
        #expect(PreparedParameterCache.standard(environment: ["XDG_CACHE_HOME": "/var/cache/u", "HOME": "/home/u"])?.directory == "/var/cache/u/colecionador/prepared")
        #expect(PreparedParameterCache.standard(environment: ["XDG_CACHE_HOME": "relative", "HOME": "/home/u"])?.directory == "/home/u/.cache/colecionador/prepared")
        #expect(PreparedParameterCache.standard(environment: ["HOME": "/home/u"])?.directory == "/home/u/.cache/colecionador/prepared")
        #expect(PreparedParameterCache.standard(environment: [:]) == nil)
    }
}
