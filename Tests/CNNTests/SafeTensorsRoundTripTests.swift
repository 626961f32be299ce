import CNN
import Foundation
import Testing

/// Writer → reader round trips, file mapping, and in-place F32 views.
@Suite struct SafeTensorsRoundTripTests {
    /// A fresh directory under the system's temporary directory.
    private func temporaryDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("safetensors-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    @Test func float32ValuesRoundTripBitExactly() throws {
        let values: [Float] = [0, -0.0, 1, -2.5, .pi, .leastNonzeroMagnitude, .greatestFiniteMagnitude, -.infinity, Float(bitPattern: 0x0001_1170), 123_456.789]
        var writer = SafeTensorsWriter()
        writer.add("values", shape: [2, 5], scalars: values)
        let file = try SafeTensorsFile(bytes: writer.bytes())
        let read = try file.tensor("values")
        #expect(read.shape == [2, 5])
        #expect(read.count == 10)
        #expect(read.scalars.map(\.bitPattern) == values.map(\.bitPattern))
    }

    @Test func halfPrecisionRepresentableValuesRoundTripExactly() throws {
        // Every value is a multiple of 2⁻⁸ below 8, so it is exact in both F16 and BF16.
        let values: [Float] = (0..<64).map { Float($0 - 32) * 0.1875 }
        var writer = SafeTensorsWriter()
        writer.add("half", shape: [8, 8], scalars: values, dtype: .f16)
        writer.add("bfloat", shape: [64], scalars: values, dtype: .bf16)
        let file = try SafeTensorsFile(bytes: writer.bytes())
        #expect(file.info("half")?.dtype == .f16)
        #expect(file.info("bfloat")?.dtype == .bf16)
        #expect(try file.tensor("half").scalars == values)
        #expect(try file.tensor("bfloat").scalars == values)
        #expect(try !file.tensor("half").isFileView)
    }

    @Test func layoutAndMetadataAreAsWritten() throws {
        var writer = SafeTensorsWriter()
        writer.metadata = ["format": "pt", "note": "quotes \" and \\ and \n newline, ünïcödé"]
        writer.add("b", shape: [3], scalars: [1, 2, 3])
        writer.add("a", shape: [2], scalars: [4, 5], dtype: .f16)
        writer.add("scalar", shape: [], scalars: [7])
        writer.add("empty", shape: [0, 4], scalars: [])
        let bytes = try writer.bytes()
        let file = try SafeTensorsFile(bytes: bytes)
        #expect(!file.isMemoryMapped)
        #expect(file.byteCount == bytes.count)
        #expect(file.metadata == writer.metadata)
        #expect((8 + file.headerLength) % 8 == 0)
        let dataStart = 8 + file.headerLength
        #expect(file.tensors.map(\.name) == ["b", "a", "scalar", "empty"])
        #expect(file.tensors.map(\.byteRange) == [dataStart..<dataStart + 12, dataStart + 12..<dataStart + 16, dataStart + 16..<dataStart + 20, dataStart + 20..<dataStart + 20])
        #expect(file.tensors.map(\.elementCount) == [3, 2, 1, 0])
        #expect(file.info("scalar")?.shape == [])
        #expect(try file.tensor("scalar").scalars == [7])
        #expect(try file.tensor("empty").scalars == [])
        #expect(file.info("absent") == nil)
    }

    @Test func unusualNamesRoundTrip() throws {
        let names = ["quote\"d", "back\\slash", "tab\tand\u{1}control", "ünïcödé.权重", "emoji 🦜", ""]
        var writer = SafeTensorsWriter()
        for (index, name) in names.enumerated() { writer.add(name, shape: [1], scalars: [Float(index)]) }
        let file = try SafeTensorsFile(bytes: writer.bytes())
        for (index, name) in names.enumerated() {
            #expect(try file.tensor(name).scalars == [Float(index)])
        }
    }

    @Test func headerEscapesAreDecoded() throws {
        let header = #"{"\u00e9\ud83e\udd9c\n\/": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}, "__metadata__": {"k": "v\"w"}}"#
        let file = try SafeTensorsFile(bytes: rawSafeTensors(header: header, data: [0, 0, 0x80, 0x3F]))
        #expect(try file.tensor("é🦜\n/").scalars == [1])
        #expect(file.metadata == ["k": "v\"w"])
    }

    @Test func unknownEntryKeysAreIgnored() throws {
        let header = #"{"w": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4], "extra": {"nested": [1, 2.5e3, null, true]}}}"#
        let file = try SafeTensorsFile(bytes: rawSafeTensors(header: header, data: [0, 0, 0x80, 0x3F]))
        #expect(try file.tensor("w").scalars == [1])
    }

    @Test func mappedFloat32TensorsAreViewsWithoutCopies() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("views.safetensors").path
        var writer = SafeTensorsWriter()
        writer.add("first", shape: [16], scalars: (0..<16).map(Float.init))
        writer.add("second", shape: [4, 4], scalars: (0..<16).map { Float($0) * 2 })
        try writer.write(to: path)

        let file = try SafeTensorsFile(contentsOf: path)
        #expect(file.isMemoryMapped)
        let first = try file.tensor("first")
        let again = try file.tensor("first")
        let second = try file.tensor("second")
        #expect(first.isFileView && second.isFileView)
        let firstAddress = first.withUnsafeBufferPointer { Int(bitPattern: $0.baseAddress) }
        let againAddress = again.withUnsafeBufferPointer { Int(bitPattern: $0.baseAddress) }
        let secondAddress = second.withUnsafeBufferPointer { Int(bitPattern: $0.baseAddress) }
        // Two reads share one address, and the two tensors lie as far apart as in the file:
        // both are views into one mapping of the file, not copies.
        #expect(firstAddress == againAddress)
        let fileDistance = file.info("second")!.byteRange.lowerBound - file.info("first")!.byteRange.lowerBound
        #expect(secondAddress - firstAddress == fileDistance)
        #expect(second.scalars == (0..<16).map { Float($0) * 2 })
    }

    @Test func viewsOutliveTheFileObject() throws {
        var writer = SafeTensorsWriter()
        writer.add("w", shape: [1000], scalars: (0..<1000).map(Float.init))
        let bytes = try writer.bytes()
        let tensor = try SafeTensorsFile(bytes: bytes).tensor("w")
        #expect(tensor.isFileView)
        #expect(tensor.scalars == (0..<1000).map(Float.init))
    }

    @Test func misalignedFloat32IsCopiedExactly() throws {
        var writer = SafeTensorsWriter()
        writer.add("odd", shape: [1], scalars: [1], dtype: .f16)
        writer.add("w", shape: [3], scalars: [1.5, -2.25, 3e-3])
        let file = try SafeTensorsFile(bytes: writer.bytes())
        #expect(file.info("w")!.byteRange.lowerBound % 4 == 2)
        let tensor = try file.tensor("w")
        #expect(!tensor.isFileView)
        #expect(tensor.scalars == [1.5, -2.25, 3e-3])
    }

    @Test func writeReplacesAtomicallyAndLeavesNoTemporaryFiles() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("model.safetensors").path
        for version in 1...2 {
            var writer = SafeTensorsWriter()
            writer.metadata = ["version": String(version)]
            writer.add("w", shape: [2], scalars: [Float(version), 0])
            try writer.write(to: path)
            let file = try SafeTensorsFile(contentsOf: path)
            #expect(file.metadata["version"] == String(version))
            #expect(try file.tensor("w").scalars == [Float(version), 0])
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["model.safetensors"])
    }

    @Test func writeToMissingDirectoryFails() throws {
        var writer = SafeTensorsWriter()
        writer.add("w", shape: [1], scalars: [1])
        #expect(throws: WeightsError.self) { try writer.write(to: "/nonexistent-directory/model.safetensors") }
        do {
            try writer.write(to: "/nonexistent-directory/model.safetensors")
        } catch {
            #expect(error.code == .fileUnwritable)
        }
    }

    @Test func writerRejectsInconsistentTensors() {
        func writerError(_ build: (inout SafeTensorsWriter) -> Void) -> WeightsError? {
            var writer = SafeTensorsWriter()
            build(&writer)
            do {
                _ = try writer.bytes()
                return nil
            } catch {
                return error
            }
        }
        #expect(writerError { $0.add("w", shape: [2, 3], scalars: [1, 2, 3]) }?.code == .shapeMismatch)
        #expect(writerError { $0.add("w", shape: [-1], scalars: []) }?.code == .invalidShape)
        #expect(writerError { $0.add("__metadata__", shape: [1], scalars: [1]) }?.code == .reservedName)
        let duplicate = writerError {
            $0.add("w", shape: [1], scalars: [1])
            $0.add("w", shape: [1], scalars: [2])
        }
        #expect(duplicate?.code == .duplicateTensor)
        #expect(duplicate?.tensor == "w")
    }

    @Test func ownedTensorsExposeTheirScalars() {
        let tensor = WeightTensor(name: "t", shape: [2, 2], scalars: [1, 2, 3, 4])
        #expect(tensor.count == 4)
        #expect(!tensor.isFileView)
        #expect(tensor.withUnsafeBufferPointer { $0.reduce(0, +) } == 10)
    }

    @Test func errorsDescribeThemselves() {
        let error = readingError(rawSafeTensors(header: "[]"))
        #expect(error?.description.hasPrefix("weights error (malformedHeader): ") == true)
    }
}
