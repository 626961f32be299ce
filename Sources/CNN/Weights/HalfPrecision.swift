/// Bit-exact conversions between `Float` and the two 16-bit float formats of safetensors files.
///
/// Written on bit patterns rather than with `Float16`, which some targets (macOS on x86_64) lack.
/// Narrowing rounds to nearest, ties to even (as numpy's `astype(float16)`, PyTorch and ml_dtypes
/// do); NaN stays NaN (made quiet), overflow becomes infinity, tiny values become subnormals or ±0.
enum HalfPrecision {
    /// binary16 bits → `Float` (exact: every binary16 value is a binary32 value).
    static func float(fromF16 bits: UInt16) -> Float {
        let sign = UInt32(bits & 0x8000) << 16
        let exponent = UInt32(bits >> 10) & 0x1F
        let mantissa = UInt32(bits & 0x3FF)
        switch exponent {
        case 0:
            // Zero or subnormal: mantissa × 2⁻²⁴, exact in binary32.
            let magnitude = Float(mantissa) * 0x1p-24
            return sign == 0 ? magnitude : -magnitude
        case 0x1F:
            return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13))
        default:
            return Float(bitPattern: sign | ((exponent + 112) << 23) | (mantissa << 13))
        }
    }

    /// `Float` → binary16 bits, rounding to nearest even.
    static func f16Bits(from value: Float) -> UInt16 {
        let bits = value.bitPattern
        let sign = UInt16(truncatingIfNeeded: bits >> 16) & 0x8000
        let magnitude = bits & 0x7FFF_FFFF
        if magnitude > 0x7F80_0000 {
            return sign | 0x7E00 | UInt16(truncatingIfNeeded: (magnitude & 0x7F_FFFF) >> 13)
        }
        // 65520 (0x477FF000) is the tie between 65504 (odd mantissa) and 2¹⁶: it rounds up to ∞.
        if magnitude >= 0x477F_F000 { return sign | 0x7C00 }
        if magnitude < 0x3880_0000 {
            // Below 2⁻¹⁴: a subnormal result, counted in units of 2⁻²⁴ (the scaling is exact).
            let units = (Float(bitPattern: magnitude) * 0x1p24).rounded(.toNearestOrEven)
            return sign | UInt16(units)
        }
        let halfExponent = (magnitude >> 23) - 112
        var half = (halfExponent << 10) | ((magnitude & 0x7F_FFFF) >> 13)
        let remainder = magnitude & 0x1FFF
        if remainder > 0x1000 || (remainder == 0x1000 && half & 1 == 1) { half += 1 }
        return sign | UInt16(half)
    }

    /// bfloat16 bits → `Float` (exact: bfloat16 is the upper half of a binary32).
    static func float(fromBF16 bits: UInt16) -> Float {
        Float(bitPattern: UInt32(bits) << 16)
    }

    /// `Float` → bfloat16 bits, rounding to nearest even.
    static func bf16Bits(from value: Float) -> UInt16 {
        let bits = value.bitPattern
        if value.isNaN { return UInt16(truncatingIfNeeded: bits >> 16) | 0x0040 }
        let rounded = bits + 0x7FFF + ((bits >> 16) & 1)
        return UInt16(truncatingIfNeeded: rounded >> 16)
    }
}
