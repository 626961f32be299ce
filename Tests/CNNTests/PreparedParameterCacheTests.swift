import CNN
import Foundation
import Testing

/// Networks bound to a prepared-parameters file compute bit-for-bit what a freshly planned
/// network computes; a missing, corrupt, truncated or foreign file is replaced; an unwritable
/// directory leaves the parameters in private memory without an error.
@Suite("Prepared-parameter cache", .serialized)
struct PreparedParameterCacheTests {
    /// Every kernel with prepared parameters: a strided stem (im2col) with a folded BatchNorm, a
    /// depthwise convolution, 1×1 convolutions with and without bias, a BatchNorm that cannot
    /// fold (after a residual add), a grouped convolution (im2col per group) and a dense layer.
    static func graph() throws -> Graph {
        var graph = Graph()
        let x = try graph.input("x", height: 13, width: 13, channels: 3)
        var h = try graph.add("stem", .conv2d(Conv2D(outputChannels: 24, kernel: (3, 3), stride: (2, 2), padding: .same, hasBias: false)), x)
        h = try graph.add("stem_bn", .batchNorm(BatchNorm()), h)
        h = try graph.add("stem_act", .activation(.relu6), h)
        let skip = h
        h = try graph.add("dw", .conv2d(.depthwise(channels: 24, kernel: (3, 3), padding: .same)), h)
        h = try graph.add("dw_bn", .batchNorm(BatchNorm()), h)
        h = try graph.add("dw_act", .activation(.relu), h)
        h = try graph.add("pw", .conv2d(Conv2D(outputChannels: 24, kernel: (1, 1), hasBias: false)), h)
        h = try graph.add("add", .add(activation: .none), h, skip)
        h = try graph.add("add_bn", .batchNorm(BatchNorm()), h)
        h = try graph.add("grouped", .conv2d(Conv2D(outputChannels: 36, kernel: (3, 3), groups: 3, padding: .same, activation: .relu)), h)
        h = try graph.add("expand", .conv2d(Conv2D(outputChannels: 40, kernel: (1, 1))), h)
        h = try graph.add("gap", .globalAvgPool, h)
        let logits = try graph.add("fc", .dense(Dense(units: 10)), h)
        graph.output(logits, as: "logits")
        graph.output(try graph.add("softmax", .softmax, logits), as: "probabilities")
        return graph
    }

    static func weights(seed: UInt64) throws -> SafeTensorsFile {
        var rng = SeededGenerator(seed: seed)
        return try RandomWeights.file(for: graph(), using: &rng)
    }

    static func input() throws -> Tensor {
        var rng = SeededGenerator(seed: 99)
        return try Tensor(shape: Shape(batch: 2, height: 13, width: 13, channels: 3), scalars: rng.floats(2 * 13 * 13 * 3))
    }

    /// The outputs' bit patterns, so that equality is bitwise (and NaN-safe).
    static func outputBits(_ network: Network) throws -> [[UInt32]] {
        let workspace = network.makeWorkspace(maxBatch: 2)
        try network.run(input(), in: workspace)
        return try network.outputNames.map { try workspace.output($0).scalars.map(\.bitPattern) }
    }

    static func temporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("prepared-cache-tests-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func cacheFiles(in directory: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".prepared.safetensors") }
            .map { directory + "/" + $0 }
    }

    @Test(arguments: [PlanOptions(pointwise: .blas)] + FastVersusReferenceTests.simdVariants)
    func mappedNetworkMatchesFreshPlanBitForBit(options: PlanOptions) throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let weights = try Self.weights(seed: 1)
        let fresh = try Network(graph: Self.graph(), weights: weights, options: options)
        let cache = PreparedParameterCache(directory: directory + "/nested/prepared")

        let first = try Network(graph: Self.graph(), weights: weights, options: options, preparedIn: cache, name: "test")
        guard case .mapped(let path, written: true, replaced: nil) = first.preparedParameters else {
            Issue.record("the first load should plan and write the file, got \(first.preparedParameters)")
            return
        }
        let second = try Network(graph: Self.graph(), weights: weights, options: options, preparedIn: cache, name: "test")
        #expect(second.preparedParameters == .mapped(path: path, written: false, replaced: nil))
        #expect(try Self.cacheFiles(in: directory + "/nested/prepared") == [path])

        // The large parameters are views into the file; only the small vectors are copied.
        let bytes = second.preparedParameterBytes
        #expect(fresh.preparedParameterBytes.shared == 0)
        #expect(bytes.shared + bytes.private == fresh.preparedParameterBytes.private)
        #expect(bytes.private * 4 < bytes.shared)

        let expected = try Self.outputBits(fresh)
        #expect(try Self.outputBits(first) == expected)
        #expect(try Self.outputBits(second) == expected)
    }

    @Test func optionsAndWeightsGetTheirOwnFiles() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let cache = PreparedParameterCache(directory: directory)
        let blas = try Network(graph: Self.graph(), weights: Self.weights(seed: 1), options: PlanOptions(pointwise: .blas), preparedIn: cache, name: "test")
        let packed = try Network(graph: Self.graph(), weights: Self.weights(seed: 1), options: PlanOptions(pointwise: .simd), preparedIn: cache, name: "test")
        let otherWeights = try Network(graph: Self.graph(), weights: Self.weights(seed: 2), options: PlanOptions(pointwise: .blas), preparedIn: cache, name: "test")
        // Every SIMD variant uses the same packed bytes: another finds the first's file.
        let fused = try Network(
            graph: Self.graph(), weights: Self.weights(seed: 1), options: PlanOptions(pointwise: .simd, multiplyAdd: .fused, vectorLanes: .sixteen),
            preparedIn: cache, name: "test")
        for network in [blas, packed, otherWeights] {
            guard case .mapped(_, written: true, replaced: nil) = network.preparedParameters else {
                Issue.record("expected a newly written file, got \(network.preparedParameters)")
                continue
            }
        }
        guard case .mapped(let path, written: false, _) = fused.preparedParameters, case .mapped(let packedPath, _, _) = packed.preparedParameters else {
            Issue.record("a 16-lane fused plan should map the simd file, got \(fused.preparedParameters)")
            return
        }
        #expect(path == packedPath)
        #expect(try Self.cacheFiles(in: directory).count == 3)
        #expect(try Self.outputBits(otherWeights) == Self.outputBits(Network(graph: Self.graph(), weights: Self.weights(seed: 2), options: PlanOptions(pointwise: .blas))))
    }

    /// Damages the written file with `damage`, then checks that the next load rejects it (for
    /// the reason containing `reason`), replaces it with a valid file and computes what a fresh
    /// plan computes.
    func checkReplaced(
        options: PlanOptions = PlanOptions(pointwise: .simd), reason: String, _ damage: (String, String) throws -> Void
    ) throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let cache = PreparedParameterCache(directory: directory)
        let weights = try Self.weights(seed: 3)
        let written = try Network(graph: Self.graph(), weights: weights, options: options, preparedIn: cache, name: "test")
        guard case .mapped(let path, true, nil) = written.preparedParameters else {
            Issue.record("expected a newly written file, got \(written.preparedParameters)")
            return
        }
        try damage(path, directory)
        let reloaded = try Network(graph: Self.graph(), weights: weights, options: options, preparedIn: cache, name: "test")
        guard case .mapped(path, written: true, let replaced?) = reloaded.preparedParameters else {
            Issue.record("the damaged file should be rejected and rewritten, got \(reloaded.preparedParameters)")
            return
        }
        #expect(replaced.contains(reason), "\(replaced)")
        #expect(try Self.outputBits(reloaded) == Self.outputBits(Network(graph: Self.graph(), weights: weights, options: options)))
        let again = try Network(graph: Self.graph(), weights: weights, options: options, preparedIn: cache, name: "test")
        #expect(again.preparedParameters == .mapped(path: path, written: false, replaced: nil))
    }

    @Test func corruptFileIsReplaced() throws {
        try checkReplaced(reason: "does not match its digest") { path, _ in
            var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
            bytes[bytes.count - 5] ^= 0x40  // one bit of the last parameter
            try Data(bytes).write(to: URL(fileURLWithPath: path))
        }
    }

    @Test func truncatedFileIsReplaced() throws {
        try checkReplaced(reason: "truncated") { path, _ in
            let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
            try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: path))
        }
    }

    @Test func garbageFileIsReplaced() throws {
        try checkReplaced(reason: "header") { path, _ in
            try Data("not a safetensors file".utf8).write(to: URL(fileURLWithPath: path))
        }
    }

    @Test func fileOfOtherWeightsIsReplaced() throws {
        try checkReplaced(reason: "written for other weights") { path, directory in
            let other = directory + "/other"
            let network = try Network(
                graph: Self.graph(), weights: Self.weights(seed: 4), options: PlanOptions(pointwise: .simd),
                preparedIn: PreparedParameterCache(directory: other), name: "test")
            guard case .mapped(let otherPath, _, _) = network.preparedParameters else {
                Issue.record("expected a file for the other weights, got \(network.preparedParameters)")
                return
            }
            try FileManager.default.removeItem(atPath: path)
            try FileManager.default.copyItem(atPath: otherPath, toPath: path)
        }
    }

    @Test func fileWithTheRightKeyButOtherParametersIsReplaced() throws {
        // The OpenBLAS layout's file (HWIO weights, no packed panels) relabelled with the packed
        // layout's key: the header checks pass, binding finds no panels and plans afresh.
        try checkReplaced(options: PlanOptions(pointwise: .simd), reason: "does not fit the plan") { path, directory in
            let blas = try Network(
                graph: Self.graph(), weights: Self.weights(seed: 3), options: PlanOptions(pointwise: .blas),
                preparedIn: PreparedParameterCache(directory: directory + "/other"), name: "test")
            guard case .mapped(let blasPath, _, _) = blas.preparedParameters else {
                Issue.record("expected a file, got \(blas.preparedParameters)")
                return
            }
            var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: blasPath)))
            let headerEnd = 8 + Int(bytes[0]) + Int(bytes[1]) << 8 + Int(bytes[2]) << 16
            let header = String(decoding: bytes[8..<headerEnd], as: UTF8.self)
            // Two of the spaces that pad the header make room for the longer word.
            guard header.hasSuffix("  "), let range = header.range(of: "pointwise=blas") else {
                Issue.record("unexpected header: \(header)")
                return
            }
            let relabelled = header.replacingCharacters(in: range, with: "pointwise=packed").dropLast(2)
            bytes.replaceSubrange(8..<headerEnd, with: Array(relabelled.utf8))
            try Data(bytes).write(to: URL(fileURLWithPath: path))
        }
    }

    @Test func unwritableDirectoryKeepsParametersPrivate() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // A directory below a regular file cannot be created, not even by root.
        let blocker = directory + "/file"
        try Data("x".utf8).write(to: URL(fileURLWithPath: blocker))
        let weights = try Self.weights(seed: 5)
        let network = try Network(
            graph: Self.graph(), weights: weights, preparedIn: PreparedParameterCache(directory: blocker + "/prepared"), name: "test")
        guard case .privateMemory(let reason) = network.preparedParameters else {
            Issue.record("expected private memory, got \(network.preparedParameters)")
            return
        }
        #expect(reason.contains(blocker))
        #expect(network.preparedParameterBytes.shared == 0)
        #expect(try Self.outputBits(network) == Self.outputBits(Network(graph: Self.graph(), weights: weights)))
    }

    @Test func readOnlyDirectoryWithAValidFileIsMapped() throws {
        let directory = try Self.temporaryDirectory()
        defer {
            try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory)
            try? FileManager.default.removeItem(atPath: directory)
        }
        let cache = PreparedParameterCache(directory: directory)
        let weights = try Self.weights(seed: 6)
        _ = try Network(graph: Self.graph(), weights: weights, preparedIn: cache, name: "test")
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: directory)
        let network = try Network(graph: Self.graph(), weights: weights, preparedIn: cache, name: "test")
        guard case .mapped(_, written: false, replaced: nil) = network.preparedParameters else {
            Issue.record("expected the existing file to be mapped, got \(network.preparedParameters)")
            return
        }
        #expect(try Self.outputBits(network) == Self.outputBits(Network(graph: Self.graph(), weights: weights)))
    }

    @Test func weightErrorsAreReportedAsWithoutACache() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var writer = SafeTensorsWriter()
        writer.add("stem.weight", shape: [3, 3, 3, 24], scalars: [Float](repeating: 0, count: 3 * 3 * 3 * 24))
        let incomplete = try SafeTensorsFile(bytes: writer.bytes())
        #expect {
            try Network(graph: Self.graph(), weights: incomplete, preparedIn: PreparedParameterCache(directory: directory), name: "test")
        } throws: { error in
            (error as? CNNError)?.code == .invalidWeights
        }
        #expect(try Self.cacheFiles(in: directory).isEmpty)
    }
}
