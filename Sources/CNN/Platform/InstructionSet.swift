import CInstructionSet

/// An instruction-set level of the CPU or of this build, on the x86-64 psABI scale.
///
/// Our SIMD kernels run at the level the compiler was allowed (`-Xcc -march=…`), not at the
/// CPU's: Swift has no run-time dispatch, and a package dependency cannot set the flag for its
/// users. OpenBLAS dispatches at run time. `InstructionSet.report` tells a caller when this build
/// runs below its CPU and which flag to add.
public enum InstructionSetLevel: Int, Sendable, Comparable, CustomStringConvertible {
    /// Not x86-64 (arm64 …): the baseline there already has the vector extensions we use.
    case notX86 = 0
    /// x86-64 with SSE2 only: no FMA, 128-bit vectors.
    case x86_64 = 1
    /// x86-64-v3: AVX2 and FMA, 256-bit vectors.
    case x86_64_v3 = 3
    /// x86-64-v4: AVX-512 F/BW/VL/DQ, 512-bit vectors and 32 vector registers.
    case x86_64_v4 = 4

    init(cLevel: Int32) {
        switch cLevel {
        case 4: self = .x86_64_v4
        case 3: self = .x86_64_v3
        case 1, 2: self = .x86_64
        default: self = .notX86
        }
    }

    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }

    public var description: String {
        switch self {
        case .notX86: "non-x86"
        case .x86_64: "x86-64 (SSE2)"
        case .x86_64_v3: "x86-64-v3 (AVX2+FMA)"
        case .x86_64_v4: "x86-64-v4 (AVX-512)"
        }
    }

    /// The build flags that compile for this level (`swift build` arguments), none below v3.
    public var buildFlags: [String] {
        switch self {
        case .x86_64_v4: ["-Xcc", "-march=x86-64-v4"]
        case .x86_64_v3: ["-Xcc", "-march=x86-64-v3"]
        case .notX86, .x86_64: []
        }
    }
}

/// The instruction sets of this build and of this CPU.
public enum InstructionSet {
    /// What the library's Swift code was compiled for.
    public static let compiled = InstructionSetLevel(cLevel: colecionador_compiled_isa_level())

    /// What this CPU and its operating system support.
    public static let cpu = InstructionSetLevel(cLevel: colecionador_cpu_isa_level())

    /// Whether `addingProduct` is one instruction in this build (a library call per lane
    /// otherwise): a constant the optimiser folds.
    @inline(__always)
    static var compiledWithFusedMultiplyAdd: Bool { colecionador_compiled_has_fma() != 0 }

    /// Whether 16-lane kernels map to single 512-bit registers in this build.
    static var compiledWith512BitVectors: Bool { compiled >= .x86_64_v4 }

    /// A warning when this build runs below what the CPU offers, naming the flag to add; nil when
    /// the build already uses the CPU's level. The service logs it and the CLI prints it once.
    public static var report: String? {
        guard (compiled < cpu) && (cpu > .x86_64) else { return nil }
        return "Colecionador was compiled for \(compiled) but this CPU supports \(cpu): its SIMD kernels run "
            + "slower than they could. Build with `\(cpu.buildFlags.joined(separator: " "))` "
            + "(e.g. `swift build -c release \(cpu.buildFlags.joined(separator: " "))`; the Makefile does this)."
    }

    /// One line for benchmark and inspect output: the build's level beside the CPU's.
    public static var summary: String { "build \(compiled), CPU \(cpu)" }
}
