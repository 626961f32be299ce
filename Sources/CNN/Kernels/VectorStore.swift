extension UnsafeMutableRawPointer {
    /// Stores 8 floats at `self + byteOffset`, at any alignment.
    ///
    /// `storeBytes(of:toByteOffset:as:)` with a SIMD value stayed an out-of-line call in release
    /// builds (one call per store); a fixed-size copy always lowers to one unaligned vector store.
    @inline(__always)
    func storeVector(_ value: SIMD8<Float>, toByteOffset byteOffset: Int = 0) {
        withUnsafeBytes(of: value) { (self + byteOffset).copyMemory(from: $0.baseAddress!, byteCount: 32) }
    }

    /// Stores 16 floats at `self + byteOffset`, at any alignment (see the 8-float version).
    @inline(__always)
    func storeVector(_ value: SIMD16<Float>, toByteOffset byteOffset: Int = 0) {
        withUnsafeBytes(of: value) { (self + byteOffset).copyMemory(from: $0.baseAddress!, byteCount: 64) }
    }
}
