import CNN
import Testing

/// Safetensors bytes built by hand: an 8-byte little-endian length (`lengthField`, or the real
/// length of `header`), the header text verbatim, then `data`.
func rawSafeTensors(header: String, data: [UInt8] = [], lengthField: UInt64? = nil) -> [UInt8] {
    let headerBytes = Array(header.utf8)
    let length = lengthField ?? UInt64(headerBytes.count)
    return (0..<8).map { UInt8(truncatingIfNeeded: length >> (8 * UInt64($0))) } + headerBytes + data
}

/// The error that reading `bytes` throws, or nil when they are accepted.
func readingError(_ bytes: [UInt8]) -> WeightsError? {
    do {
        _ = try SafeTensorsFile(bytes: bytes)
        return nil
    } catch {
        return error
    }
}

/// Every malformed input is rejected with its own code, naming the tensor when there is one.
@Suite struct SafeTensorsMalformedTests {
    @Test func fewerThanEightBytesIsTruncated() {
        for count in 0..<8 {
            #expect(readingError([UInt8](repeating: 0, count: count))?.code == .truncatedFile)
        }
    }

    @Test func headerLengthBeyondFileIsRejected() {
        let bytes = rawSafeTensors(header: "{}", lengthField: 3)
        #expect(readingError(bytes)?.code == .headerLengthOutOfBounds)
    }

    @Test func hugeHeaderLengthIsRejectedWithoutAllocating() {
        // Claims of 8 EB and of UInt64.max on a 10-byte input: refused before any allocation
        // (an attempt to allocate them would trap).
        for claim in [UInt64(1) << 63, UInt64.max, UInt64(100_000_001)] {
            let error = readingError(rawSafeTensors(header: "{}", lengthField: claim))
            #expect(error?.code == .headerLengthOutOfBounds)
            #expect(error?.message.contains(String(claim)) == true)
        }
    }

    @Test(arguments: [
        "", "{", "{\"a\": ", "{\"a\" 1}", "{\"a\": {\"dtype\": \"F32\",}}", "{} x", "{'a': 1}", "{\"a\": tru}",
        "{\"a\": 01}", "{\"a\": -}", "{\"a\": 1.}", "{\"a\": 1e}", "{\"a\": \"\\x\"}", "{\"a\": \"\\u12\"}",
        "{\"a\": \"\\ud800\"}", "{\"a\": \"\\udc00\"}", "{\"a\": \"tab\there\"}", "{\"a\": \"unterminated}",
    ])
    func invalidJSONIsMalformed(header: String) {
        #expect(readingError(rawSafeTensors(header: header))?.code == .malformedHeader)
    }

    @Test func invalidUTF8IsMalformed() {
        let bytes = rawSafeTensors(header: "{\"\u{1}\": {}}").map { $0 == 0x01 ? 0xFF : $0 }
        #expect(readingError(bytes)?.code == .malformedHeader)
    }

    @Test func deepNestingIsMalformedNotACrash() {
        let header = "{\"a\": " + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "}"
        #expect(readingError(rawSafeTensors(header: header))?.code == .malformedHeader)
    }

    @Test(arguments: ["[]", "\"text\"", "42", "null", "true"])
    func headerThatIsNotAnObjectIsMalformed(header: String) {
        #expect(readingError(rawSafeTensors(header: header))?.code == .malformedHeader)
    }

    @Test(arguments: [
        "{\"w\": {\"shape\": [1], \"data_offsets\": [0, 4]}}",
        "{\"w\": {\"dtype\": \"F32\", \"data_offsets\": [0, 4]}}",
        "{\"w\": {\"dtype\": \"F32\", \"shape\": [1]}}",
        "{\"w\": [1, 2]}",
        "{\"w\": {\"dtype\": 32, \"shape\": [1], \"data_offsets\": [0, 4]}}",
        "{\"w\": {\"dtype\": \"F32\", \"shape\": \"1\", \"data_offsets\": [0, 4]}}",
        "{\"w\": {\"dtype\": \"F32\", \"shape\": [1.0], \"data_offsets\": [0, 4]}}",
        "{\"w\": {\"dtype\": \"F32\", \"shape\": [null], \"data_offsets\": [0, 4]}}",
        "{\"w\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0]}}",
        "{\"w\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4, 8]}}",
        "{\"w\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, \"4\"]}}",
        "{\"w\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": {\"begin\": 0}}}",
        "{\"w\": {\"dtype\": \"F32\", \"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]}}",
    ])
    func malformedEntryNamesTheTensor(header: String) {
        let error = readingError(rawSafeTensors(header: header, data: [0, 0, 0, 0]))
        #expect(error?.code == .malformedHeader)
        #expect(error?.tensor == "w")
    }

    @Test(arguments: [
        "{\"__metadata__\": [\"a\"]}",
        "{\"__metadata__\": {\"a\": 1}}",
        "{\"__metadata__\": {\"a\": \"x\", \"a\": \"y\"}}",
    ])
    func metadataThatIsNotAStringMapIsMalformed(header: String) {
        #expect(readingError(rawSafeTensors(header: header))?.code == .malformedHeader)
    }

    @Test(arguments: ["I64", "F64", "U8", "BOOL", "F8_E4M3", "Q4", "f32"])
    func unsupportedDTypeIsNamed(dtype: String) {
        let header = "{\"w\": {\"dtype\": \"\(dtype)\", \"shape\": [1], \"data_offsets\": [0, 8]}}"
        let error = readingError(rawSafeTensors(header: header, data: [UInt8](repeating: 0, count: 8)))
        #expect(error?.code == .unsupportedDType)
        #expect(error?.tensor == "w")
        #expect(error?.message.contains(dtype) == true)
    }

    @Test func negativeDimensionIsInvalidShape() {
        let header = "{\"w\": {\"dtype\": \"F32\", \"shape\": [2, -1], \"data_offsets\": [0, 0]}}"
        let error = readingError(rawSafeTensors(header: header))
        #expect(error?.code == .invalidShape)
        #expect(error?.tensor == "w")
    }

    @Test(arguments: ["[4611686018427387904, 4]", "[3037000500, 3037000500]", "[99999999999999999999]"])
    func elementCountOverflowIsInvalidShape(shape: String) {
        let header = "{\"w\": {\"dtype\": \"F32\", \"shape\": \(shape), \"data_offsets\": [0, 4]}}"
        let error = readingError(rawSafeTensors(header: header, data: [0, 0, 0, 0]))
        #expect(error?.code == .invalidShape)
        #expect(error?.tensor == "w")
    }

    @Test(arguments: ["[8, 4]", "[-4, 0]", "[0, -4]"])
    func invalidOffsetsAreRejected(offsets: String) {
        let header = "{\"w\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": \(offsets)}}"
        let error = readingError(rawSafeTensors(header: header, data: [UInt8](repeating: 0, count: 8)))
        #expect(error?.code == .invalidDataOffsets)
        #expect(error?.tensor == "w")
    }

    @Test func byteLengthDifferentFromShapeIsRejected() {
        let header = "{\"w\": {\"dtype\": \"F16\", \"shape\": [3], \"data_offsets\": [0, 8]}}"
        let error = readingError(rawSafeTensors(header: header, data: [UInt8](repeating: 0, count: 8)))
        #expect(error?.code == .byteLengthMismatch)
        #expect(error?.tensor == "w")
    }

    @Test func offsetsPastTheEndAreOutOfBoundsNotACrash() {
        let far = "{\"w\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [1000000, 1000004]}}"
        let farError = readingError(rawSafeTensors(header: far, data: [0, 0, 0, 0]))
        #expect(farError?.code == .dataOffsetsOutOfBounds)
        #expect(farError?.tensor == "w")

        let huge = "{\"w\": {\"dtype\": \"F32\", \"shape\": [0], \"data_offsets\": [18446744073709551615, 18446744073709551615]}}"
        #expect(readingError(rawSafeTensors(header: huge))?.code == .dataOffsetsOutOfBounds)

        let beyondInt = "{\"w\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [9223372036854775804, 9223372036854775808]}}"
        #expect(readingError(rawSafeTensors(header: beyondInt))?.code == .dataOffsetsOutOfBounds)

        let nearMax = "{\"w\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [9223372036854775803, 9223372036854775807]}}"
        #expect(readingError(rawSafeTensors(header: nearMax, data: [0, 0, 0, 0]))?.code == .dataOffsetsOutOfBounds)
    }

    @Test func overlappingTensorsAreRejected() {
        let header = """
            {"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]},
             "b": {"dtype": "F32", "shape": [2], "data_offsets": [4, 12]}}
            """
        let error = readingError(rawSafeTensors(header: header, data: [UInt8](repeating: 0, count: 12)))
        #expect(error?.code == .overlappingData)
        #expect(error?.tensor == "b")
        #expect(error?.message.contains("'a'") == true)
    }

    @Test func sameRangeTwiceIsOverlapping() {
        let header = """
            {"a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]},
             "b": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}}
            """
        #expect(readingError(rawSafeTensors(header: header, data: [0, 0, 0, 0]))?.code == .overlappingData)
    }

    @Test func fileCutInsideTheDataIsTruncated() throws {
        var writer = SafeTensorsWriter()
        writer.add("a", shape: [4], scalars: [1, 2, 3, 4])
        writer.add("b", shape: [2, 2], scalars: [5, 6, 7, 8])
        let bytes = try writer.bytes()
        for cut in 1...16 {
            let error = readingError(Array(bytes.dropLast(cut)))
            #expect(error?.code == .truncatedFile)
            #expect(error?.tensor == "b")
        }
        #expect(readingError(Array(bytes.dropLast(17)))?.tensor == "a")
    }

    @Test func fileCutInsideTheHeaderIsRejected() throws {
        var writer = SafeTensorsWriter()
        writer.add("a", shape: [4], scalars: [1, 2, 3, 4])
        let bytes = try writer.bytes()
        let headerEnd = bytes.count - 16
        for end in stride(from: 8, to: headerEnd, by: 5) {
            #expect(readingError(Array(bytes[..<end]))?.code == .headerLengthOutOfBounds)
        }
    }

    @Test func gapBetweenTensorsIsUnindexed() {
        let header = """
            {"a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]},
             "b": {"dtype": "F32", "shape": [1], "data_offsets": [8, 12]}}
            """
        let error = readingError(rawSafeTensors(header: header, data: [UInt8](repeating: 0, count: 12)))
        #expect(error?.code == .unindexedBytes)
        #expect(error?.tensor == "a")
    }

    @Test func trailingBytesAreUnindexed() {
        let header = "{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]}}"
        #expect(readingError(rawSafeTensors(header: header, data: [UInt8](repeating: 0, count: 5)))?.code == .unindexedBytes)
        #expect(readingError(rawSafeTensors(header: "{}", data: [0]))?.code == .unindexedBytes)
    }

    @Test func duplicateTensorNameIsRejected() {
        let header = """
            {"a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]},
             "a": {"dtype": "F32", "shape": [1], "data_offsets": [4, 8]}}
            """
        let error = readingError(rawSafeTensors(header: header, data: [UInt8](repeating: 0, count: 8)))
        #expect(error?.code == .duplicateTensor)
        #expect(error?.tensor == "a")
    }

    @Test func missingAndNonRegularFilesAreUnreadable() {
        for path in ["/nonexistent/weights.safetensors", "/tmp"] {
            do {
                _ = try SafeTensorsFile(contentsOf: path)
                Issue.record("\(path) was accepted")
            } catch {
                #expect(error.code == .fileUnreadable)
                #expect(error.message.contains(path))
            }
        }
    }

    /// Seeded corruption of a valid file: every truncation and many random byte changes must be
    /// either accepted or rejected with an error — never a crash.
    @Test func corruptedBytesNeverCrash() throws {
        var writer = SafeTensorsWriter()
        writer.metadata = ["format": "pt"]
        writer.add("conv.weight", shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        writer.add("conv.bias", shape: [3], scalars: [0.5, 0.25, 0.125], dtype: .f16)
        writer.add("scale", shape: [], scalars: [2], dtype: .bf16)
        let valid = try writer.bytes()
        for end in 0..<valid.count {
            _ = readingError(Array(valid[..<end]))
        }
        var state: UInt64 = 0x5EED
        func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        let interesting: [UInt8] = Array("{}[]\",:-0123456789e.\\u".utf8) + [0x00, 0x7F, 0x80, 0xFF]
        var rejected = 0
        for _ in 0..<2000 {
            var bytes = valid
            for _ in 0..<(1 + Int(next() % 3)) {
                let position = Int(next() % UInt64(bytes.count))
                bytes[position] = next() % 2 == 0 ? UInt8(truncatingIfNeeded: next()) : interesting[Int(next() % UInt64(interesting.count))]
            }
            if readingError(bytes) != nil { rejected += 1 }
        }
        #expect(rejected > 0)
    }
}
