/// Which compiled form of a SIMD kernel runs: its vector width and its multiply-add.
///
/// Every kernel family is compiled for each combination (generic over `FloatVector` and
/// `MultiplyAccumulate`); the planner resolves `PlanOptions` into one variant per family.
struct SIMDVariant: Sendable, Hashable, CustomStringConvertible {
    var lanes: PlanOptions.VectorLanes
    var fused: Bool

    init(lanes: PlanOptions.VectorLanes, fused: Bool) {
        self.lanes = lanes
        self.fused = fused
    }

    /// 8 lanes, with fused multiply-adds exactly when this build has the instruction.
    static var compiledDefault: SIMDVariant { SIMDVariant(lanes: .eight, fused: InstructionSet.compiledWithFusedMultiplyAdd) }

    var description: String { "\(lanes.rawValue) lanes, \(fused ? "fused" : "separate") multiply-add" }

}
