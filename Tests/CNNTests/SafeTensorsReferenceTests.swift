import CNN
import Foundation
import Testing

/// A file written by the reference implementation (Python `safetensors`, Rust core), with
/// F16/BF16 values computed by numpy and ml_dtypes: see
/// Tests/Fixtures/weights/make_weights_fixtures.py. All comparisons are bit-exact (NaN by
/// NaN-ness): widening F16/BF16 to F32 is exact, and narrowing must round exactly like numpy.
@Suite struct SafeTensorsReferenceTests {
    private struct Expected: Decodable {
        struct Tensor: Decodable {
            let name: String
            let dtype: String
            let shape: [Int]
            let begin: Int
            let end: Int
        }
        let headerLength: Int
        let fileSize: Int
        let metadata: [String: String]
        let tensors: [Tensor]
    }

    private static var fixtures: URL {
        var directory = URL(fileURLWithPath: #filePath)
        while directory.lastPathComponent != "Tests" && directory.path != "/" { directory.deleteLastPathComponent() }
        return directory.appendingPathComponent("Fixtures/weights")
    }

    private let file: SafeTensorsFile
    private let expected: Expected

    init() throws {
        file = try SafeTensorsFile(contentsOf: Self.fixtures.appendingPathComponent("reference.safetensors").path)
        let json = try Data(contentsOf: Self.fixtures.appendingPathComponent("reference.json"))
        expected = try JSONDecoder().decode(Expected.self, from: json)
    }

    private func expectSameBits(_ actual: [Float], _ reference: [Float], _ label: String) {
        #expect(actual.count == reference.count, "\(label): count")
        for (index, (a, b)) in zip(actual, reference).enumerated() {
            let same = a.isNaN ? b.isNaN : a.bitPattern == b.bitPattern
            #expect(same, "\(label)[\(index)]: \(a) (0x\(String(a.bitPattern, radix: 16))) vs reference \(b) (0x\(String(b.bitPattern, radix: 16)))")
        }
    }

    @Test func layoutMatchesAnIndependentReading() {
        #expect(file.isMemoryMapped)
        #expect(file.byteCount == expected.fileSize)
        #expect(file.headerLength == expected.headerLength)
        #expect(file.metadata == expected.metadata)
        #expect(file.tensors.map(\.name) == expected.tensors.map(\.name))
        for (info, reference) in zip(file.tensors, expected.tensors) {
            #expect(info.dtype.rawValue == reference.dtype, "\(info.name)")
            #expect(info.shape == reference.shape, "\(info.name)")
            #expect(info.byteRange == reference.begin..<reference.end, "\(info.name)")
        }
    }

    @Test func float16DecodesLikeNumpy() throws {
        expectSameBits(try file.tensor("half.values").scalars, try file.tensor("half.expected").scalars, "half")
    }

    @Test func bfloat16DecodesLikeNumpy() throws {
        expectSameBits(try file.tensor("bfloat.values").scalars, try file.tensor("bfloat.expected").scalars, "bfloat")
        expectSameBits(
            try file.tensor("bfloat.truncated").scalars, try file.tensor("bfloat.truncated_expected").scalars, "bfloat.truncated")
    }

    @Test func narrowingRoundsLikeNumpyAndMLDTypes() throws {
        let source = try file.tensor("source")
        var writer = SafeTensorsWriter()
        writer.add("half", shape: source.shape, scalars: source.scalars, dtype: .f16)
        writer.add("bfloat", shape: source.shape, scalars: source.scalars, dtype: .bf16)
        let written = try SafeTensorsFile(bytes: writer.bytes())
        expectSameBits(try written.tensor("half").scalars, try file.tensor("half.expected").scalars, "half")
        expectSameBits(try written.tensor("bfloat").scalars, try file.tensor("bfloat.expected").scalars, "bfloat")
    }

    @Test func strictReaderConsumesTheReferenceWeights() throws {
        var reader = WeightReader(file, prefix: "conv.")
        let weight = try reader.take("weight", shape: [3, 3, 2, 4], dtype: .f32)
        #expect(weight.isFileView)
        _ = try reader.take("bias", shape: [4])
        try reader.finish()
        #expect(file.info("scalar")?.shape == [])
        #expect(try file.tensor("scalar").scalars == [0.25])
        #expect(try file.tensor("empty").shape == [0, 3])
    }
}
