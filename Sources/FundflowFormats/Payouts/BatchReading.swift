/// What reading a batch file gives: the file as far as it could be read, and every problem in
/// document order. Both at once, because `--accept-valid` pays the good items of a file that has
/// bad ones: each problem is attributed to the file, a block or one item (`BatchProblem.Scope`).
public struct BatchReading: Equatable, Sendable {
    /// Nil when not even the structure could be read (not XML, not a pain.001, not the CSV header).
    public let file: BatchFile?
    public let problems: [BatchProblem]
    /// The name the problems are reported under.
    public let fileName: String

    /// A reading with more problems found later (the engine's checks against the books).
    public init(file: BatchFile?, problems: [BatchProblem], fileName: String) {
        self.file = file
        self.problems = problems
        self.fileName = fileName
    }

    /// Read, and nothing wrong.
    public var isAccepted: Bool { file != nil && problems.isEmpty }

    /// The file when nothing is wrong with it, else every problem.
    public var result: Result<BatchFile, BatchProblems> {
        if let file, problems.isEmpty { return .success(file) }
        return .failure(BatchProblems(file: fileName, problems: problems))
    }

    /// The problems that stop `item` from being paid: its own, its block's and the file's.
    public func problems(of item: BatchItem) -> [BatchProblem] {
        let blockPath = file?.blocks.first { $0.items.contains { $0.path == item.path } }?.path
        return problems.filter { problem in
            switch problem.scope {
            case .file: return true
            case .block(let path): return path == blockPath
            case .item(let path): return path == item.path
            }
        }
    }

    /// The items nothing is wrong with, in file order: what `--accept-valid` may take. A problem
    /// of the whole file (such as a wrong group control sum, which says the file is not what its
    /// sender meant) leaves none; a problem of a block leaves none of that block's items.
    public var acceptableItems: [BatchItem] {
        guard let file else { return [] }
        var fileWide = false
        var blocks: Set<String> = []
        var items: Set<String> = []
        for problem in problems {
            switch problem.scope {
            case .file: fileWide = true
            case .block(let path): blocks.insert(path)
            case .item(let path): items.insert(path)
            }
        }
        if fileWide { return [] }
        return file.blocks.filter { !blocks.contains($0.path) }.flatMap(\.items).filter {
            !items.contains($0.path)
        }
    }
}
