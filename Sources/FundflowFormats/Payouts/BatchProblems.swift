/// Every problem of a refused batch file, in document order.
public struct BatchProblems: Error, Equatable, Sendable, CustomStringConvertible {
    public let file: String
    public let problems: [BatchProblem]

    public var description: String {
        let count = problems.count
        return "\(file) has \(count) problem\(count == 1 ? "" : "s"):\n"
            + problems.map { "  \($0)" }.joined(separator: "\n")
    }
}
