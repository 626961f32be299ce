/// Strict consumption of a `SafeTensorsFile` by a model builder.
///
/// Every `take` checks the tensor's presence, dtype (when one is required), shape and
/// finiteness; `finish()` then fails with `unusedTensors` if any tensor under `prefix` was never
/// taken, so a model never silently ignores weights nor runs on missing ones.
///
/// Names passed to `take` are relative to `prefix`, which is prepended verbatim, separator
/// included: with prefix `"backbone."`, `take("conv.weight", …)` reads `"backbone.conv.weight"`
/// (with `"model/"`, `"model/conv.weight"`), and `finish()` checks only the names that start with
/// the prefix. With the empty prefix, names are used as given and `finish()` checks every
/// tensor of the file. Taking a tensor more than once is allowed (tied weights).
public struct WeightReader: Sendable {
    public let file: SafeTensorsFile
    /// Prepended to every name given to `take`; also the scope of `finish()`.
    public let prefix: String
    private var taken: Set<String> = []

    public init(_ file: SafeTensorsFile, prefix: String = "") {
        self.file = file
        self.prefix = prefix
    }

    /// The file's name for `name` under this reader's prefix.
    public func fullName(_ name: String) -> String { prefix + name }

    /// Reads tensor `name` (relative to `prefix`), requiring exactly `shape`, finite values, and
    /// `dtype` when one is given.
    public mutating func take(_ name: String, shape: [Int], dtype: WeightDType? = nil) throws(WeightsError) -> WeightTensor {
        let full = fullName(name)
        guard let info = file.info(full) else {
            throw WeightsError.missingTensor(full, among: file.tensors.map(\.name))
        }
        if let dtype, info.dtype != dtype {
            throw WeightsError(
                .dtypeMismatch, tensor: full,
                "tensor '\(full)' is \(info.dtype.rawValue) but \(dtype.rawValue) is required; re-export it as \(dtype.rawValue)")
        }
        guard info.shape == shape else {
            throw WeightsError.shapeMismatch(full, expected: shape, actual: info.shape)
        }
        let tensor = file.tensor(for: info)
        try Self.checkFinite(tensor)
        taken.insert(full)
        return tensor
    }

    /// Names under `prefix` that no `take` has read yet, in file order.
    public var untakenNames: [String] {
        file.tensors.map(\.name).filter { $0.hasPrefix(prefix) && !taken.contains($0) }
    }

    /// Fails with `unusedTensors`, naming every tensor under `prefix` that was never taken.
    public func finish() throws(WeightsError) {
        let unused = untakenNames
        guard let first = unused.first else { return }
        let scope = prefix.isEmpty ? "the file" : "'\(prefix)*'"
        throw WeightsError(
            .unusedTensors, tensor: first,
            "\(unused.count) tensor(s) in \(scope) were not used by the model: \(unused.map { "'\($0)'" }.joined(separator: ", ")); "
                + "the weights belong to a different architecture or configuration — check the model settings or re-export")
    }

    private static func checkFinite(_ tensor: WeightTensor) throws(WeightsError) {
        let (nonFinite, firstIndex) = tensor.withUnsafeBufferPointer { values in
            var nonFinite = 0
            var firstIndex: Int?
            for index in values.indices where !values[index].isFinite {
                nonFinite += 1
                if firstIndex == nil { firstIndex = index }
            }
            return (nonFinite, firstIndex)
        }
        guard let firstIndex else { return }
        throw WeightsError(
            .nonFiniteValues, tensor: tensor.name,
            "tensor '\(tensor.name)' holds \(nonFinite) NaN or infinite value(s) of \(tensor.count), the first at flat index \(firstIndex); "
                + "the training diverged or the export overflowed (F16 tops out at 65504) — re-export from a healthy checkpoint")
    }
}
