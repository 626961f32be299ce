extension Image {
    /// The image resized to `width × height` with the antialiased bilinear filter of
    /// `ResampleWeights` (identical to Pillow's `resize(size, Image.BILINEAR)` with
    /// `reducing_gap=None`): horizontal pass, 8-bit intermediate, vertical pass.
    public func resized(width: Int, height: Int) -> Image {
        resized(width: width, height: height, columns: 0..<width, rows: 0..<height)
    }

    /// The `columns × rows` window of the image resized to `width × height`, computing only
    /// that window: equal to `resized(width:height:)` followed by a crop, with less work.
    public func resized(width: Int, height: Int, columns: Range<Int>, rows: Range<Int>) -> Image {
        precondition(width > 0 && height > 0, "resize target must be positive, got \(width)×\(height)")
        precondition(
            !columns.isEmpty && !rows.isEmpty && columns.lowerBound >= 0 && rows.lowerBound >= 0
                && columns.upperBound <= width && rows.upperBound <= height,
            "window \(columns) × \(rows) must lie inside \(width)×\(height)")
        let horizontal = ResampleWeights(inputSize: self.width, outputSize: width, outputs: columns)
        let vertical = ResampleWeights(inputSize: self.height, outputSize: height, outputs: rows)
        let firstRow = vertical.first.min()!
        let endRow = zip(vertical.first, vertical.count).map { $0 + $1 }.max()!
        let rowLength = columns.count * 3
        let intermediate = [UInt8](unsafeUninitializedCapacity: rowLength * (endRow - firstRow)) { buffer, count in
            pixels.withUnsafeBufferPointer { source in
                ResampleKernel.horizontal(
                    source, sourceWidth: self.width, rows: firstRow..<endRow, weights: horizontal, into: buffer)
            }
            count = buffer.count
        }
        var accumulator = [Int32](repeating: 0, count: rowLength)
        let output = [UInt8](unsafeUninitializedCapacity: rowLength * rows.count) { buffer, count in
            intermediate.withUnsafeBufferPointer { source in
                accumulator.withUnsafeMutableBufferPointer { scratch in
                    ResampleKernel.vertical(
                        source, rowLength: rowLength, firstSourceRow: firstRow, weights: vertical,
                        accumulator: scratch, into: buffer)
                }
            }
            count = buffer.count
        }
        return Image(width: columns.count, height: rows.count, pixels: output)
    }
}
