/// The window of a depthwise convolution as a type the kernel specialises on, and its inner step:
/// one kernel row's taps for four adjacent output columns, `acc[t] += Σ_kx x[t·s + kx·d] · w[kx]`.
///
/// The common windows (3×3 and 5×5, stride 1 and 2) spell their taps out: every input vector is
/// loaded once and reused by each column whose window covers it (stride 1, 3×3: six loads feed
/// twelve multiply-adds), and no loop is left for the optimiser to unroll — generic code with the
/// sizes as constants was merged back into one function taking them as arguments, which kept
/// the loops and spilled the accumulators.
protocol DepthwiseWindow {
    /// Kernel height and width; 0 means "read it from the geometry".
    static var kernel: Int { get }
    /// Stride in both directions; 0 means "read it from the geometry".
    static var stride: Int { get }

    /// Adds one kernel row's taps to four adjacent output columns.
    /// - Parameters:
    ///   - row: the input at the first column's first tap (this row, this channel block).
    ///   - weights: this kernel row's first tap for this channel block.
    ///   - pixelStride: bytes between adjacent pixels (channels · 4), also between adjacent taps' weights.
    ///   - columnStep: bytes between the first taps of adjacent output columns (stride · pixelStride).
    ///   - tapStep: bytes between adjacent taps in the input (dilation · pixelStride).
    static func accumulate<F: MultiplyAccumulate, V: FloatVector>(
        _ acc: inout FourColumns<V>, row: UnsafeRawPointer, weights: UnsafeRawPointer, kernelWidth: Int,
        pixelStride: Int, columnStep: Int, tapStep: Int, _: F.Type)
}

/// Accumulators of four adjacent output columns, one vector of channels each.
struct FourColumns<V: FloatVector> {
    var c0: V
    var c1: V
    var c2: V
    var c3: V

    @inline(__always)
    init(_ bias: V) { (c0, c1, c2, c3) = (bias, bias, bias, bias) }
}

enum Window3x3Stride1: DepthwiseWindow {
    static var kernel: Int { 3 }
    static var stride: Int { 1 }

    @inline(__always)
    static func accumulate<F: MultiplyAccumulate, V: FloatVector>(
        _ acc: inout FourColumns<V>, row: UnsafeRawPointer, weights w: UnsafeRawPointer, kernelWidth: Int,
        pixelStride p: Int, columnStep: Int, tapStep: Int, _: F.Type
    ) {
        let w0 = V.load(w, byteOffset: 0), w1 = V.load(w, byteOffset: p), w2 = V.load(w, byteOffset: p &* 2)
        let x0 = V.load(row, byteOffset: 0), x1 = V.load(row, byteOffset: p), x2 = V.load(row, byteOffset: p &* 2)
        let x3 = V.load(row, byteOffset: p &* 3), x4 = V.load(row, byteOffset: p &* 4), x5 = V.load(row, byteOffset: p &* 5)
        acc.c0 = F.accumulate(F.accumulate(F.accumulate(acc.c0, x0, w0), x1, w1), x2, w2)
        acc.c1 = F.accumulate(F.accumulate(F.accumulate(acc.c1, x1, w0), x2, w1), x3, w2)
        acc.c2 = F.accumulate(F.accumulate(F.accumulate(acc.c2, x2, w0), x3, w1), x4, w2)
        acc.c3 = F.accumulate(F.accumulate(F.accumulate(acc.c3, x3, w0), x4, w1), x5, w2)
    }
}

enum Window3x3Stride2: DepthwiseWindow {
    static var kernel: Int { 3 }
    static var stride: Int { 2 }

    @inline(__always)
    static func accumulate<F: MultiplyAccumulate, V: FloatVector>(
        _ acc: inout FourColumns<V>, row: UnsafeRawPointer, weights w: UnsafeRawPointer, kernelWidth: Int,
        pixelStride p: Int, columnStep: Int, tapStep: Int, _: F.Type
    ) {
        let w0 = V.load(w, byteOffset: 0), w1 = V.load(w, byteOffset: p), w2 = V.load(w, byteOffset: p &* 2)
        let x0 = V.load(row, byteOffset: 0), x1 = V.load(row, byteOffset: p), x2 = V.load(row, byteOffset: p &* 2)
        acc.c0 = F.accumulate(F.accumulate(F.accumulate(acc.c0, x0, w0), x1, w1), x2, w2)
        let x3 = V.load(row, byteOffset: p &* 3), x4 = V.load(row, byteOffset: p &* 4)
        acc.c1 = F.accumulate(F.accumulate(F.accumulate(acc.c1, x2, w0), x3, w1), x4, w2)
        let x5 = V.load(row, byteOffset: p &* 5), x6 = V.load(row, byteOffset: p &* 6)
        acc.c2 = F.accumulate(F.accumulate(F.accumulate(acc.c2, x4, w0), x5, w1), x6, w2)
        let x7 = V.load(row, byteOffset: p &* 7), x8 = V.load(row, byteOffset: p &* 8)
        acc.c3 = F.accumulate(F.accumulate(F.accumulate(acc.c3, x6, w0), x7, w1), x8, w2)
    }
}

enum Window5x5Stride1: DepthwiseWindow {
    static var kernel: Int { 5 }
    static var stride: Int { 1 }

    @inline(__always)
    static func accumulate<F: MultiplyAccumulate, V: FloatVector>(
        _ acc: inout FourColumns<V>, row: UnsafeRawPointer, weights w: UnsafeRawPointer, kernelWidth: Int,
        pixelStride p: Int, columnStep: Int, tapStep: Int, _: F.Type
    ) {
        let w0 = V.load(w, byteOffset: 0), w1 = V.load(w, byteOffset: p), w2 = V.load(w, byteOffset: p &* 2), w3 = V.load(w, byteOffset: p &* 3), w4 = V.load(w, byteOffset: p &* 4)
        // Input vector j feeds column t with weight j − t: stream the eight vectors once.
        var x = V.load(row, byteOffset: 0)
        acc.c0 = F.accumulate(acc.c0, x, w0)
        x = V.load(row, byteOffset: p)
        acc.c0 = F.accumulate(acc.c0, x, w1); acc.c1 = F.accumulate(acc.c1, x, w0)
        x = V.load(row, byteOffset: p &* 2)
        acc.c0 = F.accumulate(acc.c0, x, w2); acc.c1 = F.accumulate(acc.c1, x, w1); acc.c2 = F.accumulate(acc.c2, x, w0)
        x = V.load(row, byteOffset: p &* 3)
        acc.c0 = F.accumulate(acc.c0, x, w3); acc.c1 = F.accumulate(acc.c1, x, w2); acc.c2 = F.accumulate(acc.c2, x, w1)
        acc.c3 = F.accumulate(acc.c3, x, w0)
        x = V.load(row, byteOffset: p &* 4)
        acc.c0 = F.accumulate(acc.c0, x, w4); acc.c1 = F.accumulate(acc.c1, x, w3); acc.c2 = F.accumulate(acc.c2, x, w2)
        acc.c3 = F.accumulate(acc.c3, x, w1)
        x = V.load(row, byteOffset: p &* 5)
        acc.c1 = F.accumulate(acc.c1, x, w4); acc.c2 = F.accumulate(acc.c2, x, w3); acc.c3 = F.accumulate(acc.c3, x, w2)
        x = V.load(row, byteOffset: p &* 6)
        acc.c2 = F.accumulate(acc.c2, x, w4); acc.c3 = F.accumulate(acc.c3, x, w3)
        x = V.load(row, byteOffset: p &* 7)
        acc.c3 = F.accumulate(acc.c3, x, w4)
    }
}

enum Window5x5Stride2: DepthwiseWindow {
    static var kernel: Int { 5 }
    static var stride: Int { 2 }

    @inline(__always)
    static func accumulate<F: MultiplyAccumulate, V: FloatVector>(
        _ acc: inout FourColumns<V>, row: UnsafeRawPointer, weights w: UnsafeRawPointer, kernelWidth: Int,
        pixelStride p: Int, columnStep: Int, tapStep: Int, _: F.Type
    ) {
        let w0 = V.load(w, byteOffset: 0), w1 = V.load(w, byteOffset: p), w2 = V.load(w, byteOffset: p &* 2), w3 = V.load(w, byteOffset: p &* 3), w4 = V.load(w, byteOffset: p &* 4)
        // Input vector j feeds column t with weight j − 2t: stream the eleven vectors once.
        var x = V.load(row, byteOffset: 0)
        acc.c0 = F.accumulate(acc.c0, x, w0)
        x = V.load(row, byteOffset: p)
        acc.c0 = F.accumulate(acc.c0, x, w1)
        x = V.load(row, byteOffset: p &* 2)
        acc.c0 = F.accumulate(acc.c0, x, w2); acc.c1 = F.accumulate(acc.c1, x, w0)
        x = V.load(row, byteOffset: p &* 3)
        acc.c0 = F.accumulate(acc.c0, x, w3); acc.c1 = F.accumulate(acc.c1, x, w1)
        x = V.load(row, byteOffset: p &* 4)
        acc.c0 = F.accumulate(acc.c0, x, w4); acc.c1 = F.accumulate(acc.c1, x, w2); acc.c2 = F.accumulate(acc.c2, x, w0)
        x = V.load(row, byteOffset: p &* 5)
        acc.c1 = F.accumulate(acc.c1, x, w3); acc.c2 = F.accumulate(acc.c2, x, w1)
        x = V.load(row, byteOffset: p &* 6)
        acc.c1 = F.accumulate(acc.c1, x, w4); acc.c2 = F.accumulate(acc.c2, x, w2); acc.c3 = F.accumulate(acc.c3, x, w0)
        x = V.load(row, byteOffset: p &* 7)
        acc.c2 = F.accumulate(acc.c2, x, w3); acc.c3 = F.accumulate(acc.c3, x, w1)
        x = V.load(row, byteOffset: p &* 8)
        acc.c2 = F.accumulate(acc.c2, x, w4); acc.c3 = F.accumulate(acc.c3, x, w2)
        x = V.load(row, byteOffset: p &* 9)
        acc.c3 = F.accumulate(acc.c3, x, w3)
        x = V.load(row, byteOffset: p &* 10)
        acc.c3 = F.accumulate(acc.c3, x, w4)
    }
}

/// Any other window: the taps in a loop, sizes, stride and dilation from the geometry.
enum AnyWindow: DepthwiseWindow {
    static var kernel: Int { 0 }
    static var stride: Int { 0 }

    @inline(__always)
    static func accumulate<F: MultiplyAccumulate, V: FloatVector>(
        _ acc: inout FourColumns<V>, row: UnsafeRawPointer, weights w: UnsafeRawPointer, kernelWidth: Int,
        pixelStride p: Int, columnStep: Int, tapStep: Int, _: F.Type
    ) {
        for kx in 0..<kernelWidth {
            let k = V.load(w, byteOffset: kx &* p)
            let tap = row + kx &* tapStep
            acc.c0 = F.accumulate(acc.c0, V.load(tap, byteOffset: 0), k)
            acc.c1 = F.accumulate(acc.c1, V.load(tap, byteOffset: columnStep), k)
            acc.c2 = F.accumulate(acc.c2, V.load(tap, byteOffset: columnStep &* 2), k)
            acc.c3 = F.accumulate(acc.c3, V.load(tap, byteOffset: columnStep &* 3), k)
        }
    }
}
