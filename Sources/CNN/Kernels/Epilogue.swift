/// The output pass fused into a kernel: add a per-column bias, then apply an activation, over a
/// row-major `rows × columns` block with row stride `rowStride`.
struct Epilogue: Sendable {
    var bias: [Float]?
    var activation: Activation

    var isIdentity: Bool { bias == nil && activation == .none }

    func apply(_ data: UnsafeMutablePointer<Float>, rows: Int, columns: Int, rowStride: Int, biasOffset: Int = 0) {
        if isIdentity { return }
        if let bias {
            bias.withUnsafeBufferPointer { b in
                applyRows(data, rows: rows, columns: columns, rowStride: rowStride, bias: b.baseAddress! + biasOffset)
            }
        } else {
            applyRows(data, rows: rows, columns: columns, rowStride: rowStride, bias: nil)
        }
    }

    private func applyRows(_ data: UnsafeMutablePointer<Float>, rows: Int, columns: Int, rowStride: Int, bias: UnsafePointer<Float>?) {
        switch activation {
        case .none: Self.pass(data, rows, columns, rowStride, bias, IdentityActivation.self)
        case .relu: Self.pass(data, rows, columns, rowStride, bias, ReLUActivation.self)
        case .relu6: Self.pass(data, rows, columns, rowStride, bias, ReLU6Activation.self)
        case .sigmoid, .silu, .hardSwish:
            let activation = self.activation
            for r in 0..<rows {
                let row = data + r &* rowStride
                for c in 0..<columns {
                    row[c] = activation.apply(row[c] + (bias?[c] ?? 0))
                }
            }
        }
    }

    private static func pass<A: VectorActivation>(
        _ data: UnsafeMutablePointer<Float>, _ rows: Int, _ columns: Int, _ rowStride: Int,
        _ bias: UnsafePointer<Float>?, _: A.Type
    ) {
        let vectorEnd = columns & ~7
        for r in 0..<rows {
            let row = UnsafeMutableRawPointer(data + r &* rowStride)
            var c = 0
            while c < vectorEnd {
                var v = row.loadUnaligned(fromByteOffset: c &* 4, as: SIMD8<Float>.self)
                if let bias { v += UnsafeRawPointer(bias).loadUnaligned(fromByteOffset: c &* 4, as: SIMD8<Float>.self) }
                row.storeVector(A.apply(v), toByteOffset: c &* 4)
                c &+= 8
            }
            while c < columns {
                var v = SIMD8<Float>(repeating: 0)
                v[0] = row.load(fromByteOffset: c &* 4, as: Float.self) + (bias?[c] ?? 0)
                row.storeBytes(of: A.apply(v)[0], toByteOffset: c &* 4, as: Float.self)
                c &+= 1
            }
        }
    }
}
