import CNN
import Testing

/// F16 and BF16 decoding of known bit patterns, read through hand-built files.
@Suite struct SafeTensorsHalfPrecisionTests {
    private func decode(_ bits: [UInt16], as dtype: String) throws -> [Float] {
        let data = bits.flatMap { [UInt8(truncatingIfNeeded: $0), UInt8(truncatingIfNeeded: $0 >> 8)] }
        let header = "{\"v\": {\"dtype\": \"\(dtype)\", \"shape\": [\(bits.count)], \"data_offsets\": [0, \(data.count)]}}"
        return try SafeTensorsFile(bytes: rawSafeTensors(header: header, data: data)).tensor("v").scalars
    }

    @Test func float16KnownPatterns() throws {
        let cases: [(bits: UInt16, value: Float)] = [
            (0x0000, 0), (0x3C00, 1), (0xC000, -2), (0x3555, 0.333251953125), (0x7BFF, 65504),
            (0x0001, 0x1p-24), (0x03FF, 1023 * 0x1p-24), (0x0400, 0x1p-14), (0x8001, -0x1p-24),
            (0x7C00, .infinity), (0xFC00, -.infinity), (0x3BFF, 0.99951171875), (0x4248, 3.140625),
        ]
        let decoded = try decode(cases.map(\.bits), as: "F16")
        for (index, entry) in cases.enumerated() {
            #expect(decoded[index].bitPattern == entry.value.bitPattern, "0x\(String(entry.bits, radix: 16))")
        }
        #expect(try decode([0x8000], as: "F16")[0].bitPattern == (-0.0 as Float).bitPattern)
        #expect(try decode([0x7E00, 0xFE01, 0x7C01], as: "F16").allSatisfy(\.isNaN))
        #expect(try decode([0x0001], as: "F16")[0] == 5.9604645e-8)
    }

    @Test func bfloat16KnownPatterns() throws {
        let cases: [(bits: UInt16, value: Float)] = [
            (0x0000, 0), (0x3F80, 1), (0xC000, -2), (0x4049, 3.140625), (0x7F7F, Float(bitPattern: 0x7F7F_0000)),
            (0x0001, Float(bitPattern: 0x0001_0000)), (0x0080, .leastNormalMagnitude), (0x7F80, .infinity),
            (0xFF80, -.infinity), (0x3EAB, 0.333984375),
        ]
        let decoded = try decode(cases.map(\.bits), as: "BF16")
        for (index, entry) in cases.enumerated() {
            #expect(decoded[index].bitPattern == entry.value.bitPattern, "0x\(String(entry.bits, radix: 16))")
        }
        #expect(try decode([0x7FC0, 0xFFC1], as: "BF16").allSatisfy(\.isNaN))
    }

    @Test func narrowingRoundsToNearestEven() throws {
        // Ties: 1 + 2⁻¹¹ lies halfway between F16 neighbours 1 and 1 + 2⁻¹⁰ (→ 1, even);
        // 1 + 3·2⁻¹¹ lies between 1 + 2⁻¹⁰ and 1 + 2⁻⁹ (→ 1 + 2⁻⁹, even). 65520 → ∞.
        var writer = SafeTensorsWriter()
        writer.add("h", shape: [6], scalars: [1 + 0x1p-11, 1 + 3 * 0x1p-11, 65519, 65520, 0x1p-25, 0x1.8p-25], dtype: .f16)
        writer.add("b", shape: [3], scalars: [1 + 0x1p-8, 1 + 3 * 0x1p-8, .greatestFiniteMagnitude], dtype: .bf16)
        let file = try SafeTensorsFile(bytes: writer.bytes())
        #expect(try file.tensor("h").scalars == [1, 1 + 0x1p-9, 65504, .infinity, 0, 0x1p-24])
        #expect(try file.tensor("b").scalars == [1, 1 + 0x1p-6, .infinity])
    }
}
