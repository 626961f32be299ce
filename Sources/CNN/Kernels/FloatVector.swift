/// A vector of Float lanes as kernels see it: 8 lanes (one 256-bit register with AVX2) or 16
/// (one 512-bit register with AVX-512; two, four or more registers below that level, where the
/// 16-lane kernels stay correct but lose).
///
/// Every operation is spelled on the concrete `SIMD8<Float>`/`SIMD16<Float>` types, whose
/// operators lower to single vector instructions: the generic `SIMD` protocol's operators loop
/// over lanes and are left to the auto-vectoriser. Kernels are generic over `FloatVector` and
/// specialised for each width.
protocol FloatVector {
    static var lanes: Int { get }
    static var zero: Self { get }
    static func broadcast(_ value: Float) -> Self
    /// Loads `lanes` floats at any alignment.
    static func load(_ pointer: UnsafeRawPointer, byteOffset: Int) -> Self
    /// Stores `lanes` floats at any alignment.
    func store(to pointer: UnsafeMutableRawPointer, byteOffset: Int)
    /// `acc + a · b` with a separate multiply and add (fast on every target).
    static func multiplyAdd(_ acc: Self, _ a: Self, _ b: Self) -> Self
    /// `acc + a · b` rounded once: one instruction with an FMA target, a library call per lane
    /// without.
    static func fusedMultiplyAdd(_ acc: Self, _ a: Self, _ b: Self) -> Self
    /// `max(v, 0)`.
    func clampedAtZero() -> Self
    /// `min(max(v, 0), 6)`.
    func clampedToSix() -> Self
    subscript(lane: Int) -> Float { get set }
}

extension FloatVector {
    @inline(__always)
    static func load(_ pointer: UnsafeRawPointer) -> Self { load(pointer, byteOffset: 0) }

    @inline(__always)
    func store(to pointer: UnsafeMutableRawPointer) { store(to: pointer, byteOffset: 0) }

    /// Stores the first `count` lanes (a partial vector at the end of a row).
    @inline(__always)
    func store(to pointer: UnsafeMutablePointer<Float>, count: Int) {
        for lane in 0..<count { pointer[lane] = self[lane] }
    }
}

extension SIMD8: FloatVector where Scalar == Float {
    static var lanes: Int { 8 }
    static var zero: Self { Self(repeating: 0) }

    @inline(__always)
    static func broadcast(_ value: Float) -> Self { Self(repeating: value) }

    @inline(__always)
    static func load(_ pointer: UnsafeRawPointer, byteOffset: Int) -> Self {
        pointer.loadUnaligned(fromByteOffset: byteOffset, as: Self.self)
    }

    @inline(__always)
    func store(to pointer: UnsafeMutableRawPointer, byteOffset: Int) {
        pointer.storeVector(self, toByteOffset: byteOffset)
    }

    @inline(__always)
    static func multiplyAdd(_ acc: Self, _ a: Self, _ b: Self) -> Self { acc + a * b }

    @inline(__always)
    static func fusedMultiplyAdd(_ acc: Self, _ a: Self, _ b: Self) -> Self { acc.addingProduct(a, b) }

    @inline(__always)
    func clampedAtZero() -> Self {
        var v = self
        v.replace(with: 0, where: v .< 0)
        return v
    }

    @inline(__always)
    func clampedToSix() -> Self {
        var v = self
        v.replace(with: 0, where: v .< 0)
        v.replace(with: 6, where: v .> 6)
        return v
    }
}

extension SIMD16: FloatVector where Scalar == Float {
    static var lanes: Int { 16 }
    static var zero: Self { Self(repeating: 0) }

    @inline(__always)
    static func broadcast(_ value: Float) -> Self { Self(repeating: value) }

    @inline(__always)
    static func load(_ pointer: UnsafeRawPointer, byteOffset: Int) -> Self {
        pointer.loadUnaligned(fromByteOffset: byteOffset, as: Self.self)
    }

    @inline(__always)
    func store(to pointer: UnsafeMutableRawPointer, byteOffset: Int) {
        pointer.storeVector(self, toByteOffset: byteOffset)
    }

    @inline(__always)
    static func multiplyAdd(_ acc: Self, _ a: Self, _ b: Self) -> Self { acc + a * b }

    @inline(__always)
    static func fusedMultiplyAdd(_ acc: Self, _ a: Self, _ b: Self) -> Self { acc.addingProduct(a, b) }

    @inline(__always)
    func clampedAtZero() -> Self {
        var v = self
        v.replace(with: 0, where: v .< 0)
        return v
    }

    @inline(__always)
    func clampedToSix() -> Self {
        var v = self
        v.replace(with: 0, where: v .< 0)
        v.replace(with: 6, where: v .> 6)
        return v
    }
}
