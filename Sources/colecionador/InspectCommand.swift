import ArgumentParser
import CNN

/// `colecionador inspect FILE`: validates a safetensors file and lists its tensors (name, dtype,
/// shape, element count, absolute byte range), the totals per dtype, and the metadata. A file
/// that fails validation exits with status 1 and the loader's error message.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Validate a safetensors weights file and list its tensors and metadata.")

    @Argument(help: "Path of the .safetensors file.")
    var file: String

    func run() throws {
        let weights = try SafeTensorsFile(contentsOf: file)
        print(Self.report(weights, path: file), terminator: "")
        print("instruction sets: \(InstructionSet.summary)")
        if let warning = InstructionSet.report { print("note: \(warning)") }
    }

    /// The text `run()` prints.
    static func report(_ weights: SafeTensorsFile, path: String) -> String {
        let header = ["name", "dtype", "shape", "elements", "bytes"]
        let rows = weights.tensors.map { info in
            [
                info.name, info.dtype.rawValue, "[" + info.shape.map(String.init).joined(separator: ", ") + "]",
                String(info.elementCount), "\(info.byteRange.lowerBound)..<\(info.byteRange.upperBound)",
            ]
        }
        let rightAligned: Set<Int> = [3]
        let widths = header.indices.map { column in
            ([header] + rows).map { $0[column].count }.max() ?? 0
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { column, cell in
                let padding = String(repeating: " ", count: widths[column] - cell.count)
                return rightAligned.contains(column) ? padding + cell : cell + padding
            }.joined(separator: "  ").trimmingTrailingSpaces() + "\n"
        }

        let storage = weights.isMemoryMapped ? "memory-mapped" : "in memory"
        var text = "\(path): \(weights.byteCount) bytes, header \(weights.headerLength) bytes, \(storage)\n\n"
        text += line(header)
        text += line(widths.map { String(repeating: "-", count: $0) })
        text += rows.map(line).joined()

        let totalElements = weights.tensors.reduce(0) { $0 + $1.elementCount }
        let totalBytes = weights.tensors.reduce(0) { $0 + $1.byteRange.count }
        text += "\n\(counted(weights.tensors.count, "tensor")), \(counted(totalElements, "element")), \(counted(totalBytes, "data byte"))\n"
        for dtype in WeightDType.allCases {
            let ofType = weights.tensors.filter { $0.dtype == dtype }
            guard !ofType.isEmpty else { continue }
            let elements = ofType.reduce(0) { $0 + $1.elementCount }
            text += "  \(dtype.rawValue): \(counted(ofType.count, "tensor")), \(counted(elements, "element"))\n"
        }

        text += "\nmetadata: \(counted(weights.metadata.count, "entry", plural: "entries"))\n"
        for (key, value) in weights.metadata.sorted(by: { $0.key < $1.key }) {
            text += "  \(key) = \(value)\n"
        }
        return text
    }
}

/// "1 tensor", "2 tensors".
private func counted(_ count: Int, _ noun: String, plural: String? = nil) -> String {
    "\(count) \(count == 1 ? noun : plural ?? noun + "s")"
}

extension String {
    fileprivate func trimmingTrailingSpaces() -> String {
        var trimmed = Substring(self)
        while trimmed.last == " " { trimmed = trimmed.dropLast() }
        return String(trimmed)
    }
}
