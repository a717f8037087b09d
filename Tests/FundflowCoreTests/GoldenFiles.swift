import Foundation

/// Where the test data lives, found through `#filePath` so the package needs no test resources.
enum TestPaths {
    /// `Tests/FundflowCoreTests/`, the folder of this file.
    static let testsFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()

    /// `Tests/FundflowCoreTests/Golden/`, written by `scripts/golden/make_rounding_golden.py`.
    static let goldenFolder = testsFolder.appendingPathComponent("Golden", isDirectory: true)

    /// The repository root, three levels above this file (`Tests/FundflowCoreTests/GoldenFiles.swift`).
    static let repositoryRoot = testsFolder.deletingLastPathComponent().deletingLastPathComponent()

    /// `shared/`, beside the repository both on a developer's machine and in CI's fresh clone.
    static let sharedFolder = repositoryRoot.deletingLastPathComponent()
        .appendingPathComponent("shared", isDirectory: true)

    /// The ECB reference-rate history, `shared/data/ecb/eurofxref-hist.csv`.
    static let ecbHistory = sharedFolder.appendingPathComponent("data/ecb/eurofxref-hist.csv")

    /// False only outside the project's usual layout; CI always has `shared/` beside the clone.
    static var hasSharedFolder: Bool { FileManager.default.fileExists(atPath: sharedFolder.path) }

    static func ecbHistoryText() throws -> String { try text(of: ecbHistory) }

    static func text(of url: URL) throws -> String { try String(contentsOf: url, encoding: .utf8) }
}

/// Why a golden file could not be read; a broken file fails the test instead of passing it silently.
enum GoldenFileError: Error, Equatable, CustomStringConvertible {
    case empty(String)
    case columnCount(String, line: Int, expected: Int, found: Int)
    case missingColumn(String, column: String)
    case notAnInteger(String, line: Int, column: String, text: String)

    var description: String {
        switch self {
        case .empty(let file):
            return "\(file) has no header row"
        case .columnCount(let file, let line, let expected, let found):
            return "\(file):\(line) has \(found) fields, the header has \(expected)"
        case .missingColumn(let file, let column):
            return "\(file) has no column '\(column)'"
        case .notAnInteger(let file, let line, let column, let text):
            return "\(file):\(line) column \(column): '\(text)' is not an integer"
        }
    }
}

/// One golden CSV file: a header row, then comma-separated rows (LF endings, no quoting).
struct GoldenTable: Sendable {
    let file: String
    let header: [String]
    let rows: [GoldenRow]

    static func load(_ file: String) throws -> GoldenTable {
        try parse(
            TestPaths.text(of: TestPaths.goldenFolder.appendingPathComponent(file)), file: file)
    }

    static func parse(_ text: String, file: String) throws -> GoldenTable {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        guard let headerLine = lines.first, !headerLine.isEmpty else {
            throw GoldenFileError.empty(file)
        }
        let header = fields(of: headerLine)
        var rows: [GoldenRow] = []
        for (offset, line) in lines.dropFirst().enumerated() {
            let lineNumber = offset + 2
            let values = fields(of: line)
            guard values.count == header.count else {
                throw GoldenFileError.columnCount(
                    file, line: lineNumber, expected: header.count, found: values.count)
            }
            var byColumn: [String: String] = [:]
            for (column, value) in zip(header, values) { byColumn[column] = value }
            rows.append(GoldenRow(file: file, line: lineNumber, values: byColumn))
        }
        return GoldenTable(file: file, header: header, rows: rows)
    }

    private static func fields(of line: String) -> [String] {
        line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    }
}

/// One data row; `description` (`fx.csv:42`) names it in failure messages.
struct GoldenRow: Sendable, CustomStringConvertible {
    let file: String
    let line: Int
    let values: [String: String]

    var description: String { "\(file):\(line)" }

    func text(_ column: String) throws -> String {
        guard let value = values[column] else {
            throw GoldenFileError.missingColumn(file, column: column)
        }
        return value
    }

    func int64(_ column: String) throws -> Int64 {
        let text = try text(column)
        guard let value = Int64(text) else {
            throw GoldenFileError.notAnInteger(file, line: line, column: column, text: text)
        }
        return value
    }

    func int128(_ column: String) throws -> Int128 {
        let text = try text(column)
        guard let value = Int128(text) else {
            throw GoldenFileError.notAnInteger(file, line: line, column: column, text: text)
        }
        return value
    }

    /// A `;`-separated list of integers such as `5000;5000`.
    func int64List(_ column: String) throws -> [Int64] {
        try Self.integers(text(column), file: file, line: line, column: column)
    }

    /// A `|`-separated list of `;`-separated lists, such as `1667;1666|1666;1667`.
    func int64Lists(_ column: String) throws -> [[Int64]] {
        try text(column).split(separator: "|", omittingEmptySubsequences: false).map { step in
            try Self.integers(String(step), file: file, line: line, column: column)
        }
    }

    private static func integers(
        _ text: String, file: String, line: Int, column: String
    ) throws
        -> [Int64]
    {
        try text.split(separator: ";", omittingEmptySubsequences: false).map { item -> Int64 in
            guard let value = Int64(item) else {
                throw GoldenFileError.notAnInteger(
                    file, line: line, column: column, text: String(item))
            }
            return value
        }
    }
}
