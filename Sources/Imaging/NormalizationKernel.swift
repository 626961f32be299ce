/// Interleaved RGB8 → Float32 through a per-channel lookup table.
enum NormalizationKernel {
    /// Writes `table[c · 256 + pixels[i]]` (c = i mod 3) to `buffer[offset + i]` for every i.
    static func apply(_ table: [Float], to pixels: [UInt8], into buffer: inout [Float], at offset: Int) {
        precondition(table.count == 3 * 256 && offset >= 0 && offset + pixels.count <= buffer.count)
        pixels.withUnsafeBufferPointer { source in
            table.withUnsafeBufferPointer { table in
                buffer.withUnsafeMutableBufferPointer { destination in
                    var i = 0
                    while i < source.count {
                        destination[offset &+ i] = table[Int(source[i])]
                        destination[offset &+ i &+ 1] = table[256 &+ Int(source[i &+ 1])]
                        destination[offset &+ i &+ 2] = table[512 &+ Int(source[i &+ 2])]
                        i = i &+ 3
                    }
                }
            }
        }
    }
}
