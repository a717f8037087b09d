/// What a command produced: text for people, a JSON document for machines, and notices (warnings,
/// generated keys, replays) that go to stderr either way.
public struct Output: Sendable {
    public var text: String
    public var json: JSON
    public var notices: [String]

    public init(text: String, json: JSON, notices: [String] = []) {
        self.text = text
        self.json = json
        self.notices = notices
    }
}

/// What evaluating one line produced, for the front end to print.
public struct Reply: Equatable, Sendable {
    public var stdout: String
    public var stderr: String
    /// 0 success, 1 a command failed, 2 a usage error.
    public var status: Int32
    /// The user asked to leave the REPL.
    public var quit: Bool

    public init(stdout: String = "", stderr: String = "", status: Int32 = 0, quit: Bool = false) {
        self.stdout = stdout
        self.stderr = stderr
        self.status = status
        self.quit = quit
    }
}
