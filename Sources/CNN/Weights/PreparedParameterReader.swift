/// One planned step's view of a `PreparedParameterFile`: its parameters by role, under the
/// step's name (`<step>/<role>`). Kernels read back with it exactly the roles and counts they
/// list in `Kernel.preparedParameters`, so a file of another plan is rejected, not misread.
struct PreparedParameterReader {
    let file: PreparedParameterFile
    let step: String

    /// A view of the parameter `role`, which must hold `count` floats.
    func storage(_ role: String, count: Int) throws(PreparedParameterFile.Rejection) -> ParameterStorage {
        try file.storage("\(step)/\(role)", count: count)
    }

    /// A copy of the (small) parameter `role`.
    func values(_ role: String, count: Int) throws(PreparedParameterFile.Rejection) -> [Float] {
        try file.values("\(step)/\(role)", count: count)
    }

    /// A copy of the parameter `role` if the file has it (an optional bias).
    func optionalValues(_ role: String, count: Int) throws(PreparedParameterFile.Rejection) -> [Float]? {
        try file.optionalValues("\(step)/\(role)", count: count)
    }
}
