/// Problems gathered by several passes over a file, handed out in document order: each carries a
/// position key (an element's order in the document, or line and column), ties keep the order in
/// which they were found.
struct ProblemList {
    private var entries: [(key: Int, sequence: Int, problem: BatchProblem)] = []

    var isEmpty: Bool { entries.isEmpty }

    /// How many problems were found so far (a mark for `problems(since:)`).
    var count: Int { entries.count }

    /// The problems found after `mark`, in the order found.
    func problems(since mark: Int) -> [BatchProblem] {
        entries[mark...].map(\.problem)
    }

    mutating func add(
        _ location: String, _ message: String, scope: BatchProblem.Scope, key: Int
    ) {
        entries.append(
            (key, entries.count, BatchProblem(location: location, message: message, scope: scope)))
    }

    /// The number of problems of one scope so far (to skip checks another problem already explains).
    func count(in scope: BatchProblem.Scope) -> Int {
        entries.count { $0.problem.scope == scope }
    }

    func sorted() -> [BatchProblem] {
        entries.sorted { ($0.key, $0.sequence) < ($1.key, $1.sequence) }.map(\.problem)
    }
}
