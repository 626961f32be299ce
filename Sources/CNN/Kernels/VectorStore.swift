extension UnsafeMutableRawPointer {
    /// Stores 8 floats at `self + byteOffset`, at any alignment.
    ///
    /// `storeBytes(of:toByteOffset:as:)` with a `SIMD8<Float>` stayed an out-of-line call in release
    /// builds (one call per store, 4–5 % of a Lite0 forward pass in the GEMM epilogue); a
    /// fixed-size copy always lowers to one unaligned vector store.
    @inline(__always)
    func storeVector(_ value: SIMD8<Float>, toByteOffset byteOffset: Int = 0) {
        withUnsafeBytes(of: value) { (self + byteOffset).copyMemory(from: $0.baseAddress!, byteCount: 32) }
    }
}
