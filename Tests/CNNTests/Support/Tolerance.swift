/// `|actual − expected| ≤ absolute + relative · |expected|`, element by element.
struct Tolerance: Sendable, CustomStringConvertible {
    var absolute: Float
    var relative: Float

    /// The first element that breaks the tolerance, with the worst excess found.
    func firstViolation(_ actual: [Float], _ expected: [Float]) -> (index: Int, actual: Float, expected: Float)? {
        precondition(actual.count == expected.count)
        for i in actual.indices {
            let bound = absolute + relative * abs(expected[i])
            if !(abs(actual[i] - expected[i]) <= bound) { return (i, actual[i], expected[i]) }
        }
        return nil
    }

    static func maxAbsoluteDifference(_ a: [Float], _ b: [Float]) -> Float {
        zip(a, b).reduce(0) { max($0, abs($1.0 - $1.1)) }
    }

    var description: String { "|a−b| ≤ \(absolute) + \(relative)·|b|" }
}
