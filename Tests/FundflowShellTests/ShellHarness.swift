import Foundation

@testable import FundflowShell

/// A shell on a temporary database, driven line by line as the REPL or a script would.
final class ShellHarness {
    let directory: URL
    let databasePath: String

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "fundflow-shell-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        databasePath = directory.appendingPathComponent("shell.db").path
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    func shell(
        json: Bool = false, actor: String? = nil, environment: [String: String] = [:],
        prompter: (any Prompter)? = nil
    )
        -> Shell
    {
        Shell(
            session: Session(
                settings: SessionSettings(
                    databasePath: databasePath, json: json, actorName: actor, operatorName: "ops",
                    environment: environment),
                prompter: prompter))
    }

    /// Runs the launcher as the process would, with a fake terminal.
    func launch(
        _ arguments: [String], input: [String] = [], interactive: Bool = false,
        environment: [String: String] = [:]
    )
        -> (status: Int32, terminal: FakeTerminal)
    {
        let terminal = FakeTerminal(lines: input, interactive: interactive)
        var env = environment
        env["USER"] = env["USER"] ?? "ops"
        let status = Launcher.run(
            arguments: ["--db", databasePath] + arguments, environment: env, terminal: terminal)
        return (status, terminal)
    }
}

/// A terminal that reads scripted lines and records what was written.
final class FakeTerminal: Terminal {
    var lines: [String]
    var secrets: [String] = []
    var answers: [Bool] = []
    var out = ""
    var err = ""
    var prompts: [String] = []
    let inputIsTerminal: Bool
    /// Progress is written a line at each quarter, as into a log.
    let errorIsTerminal = false

    init(lines: [String], interactive: Bool) {
        self.lines = lines
        self.inputIsTerminal = interactive
    }

    func writeOut(_ text: String) { out += text }
    func writeErr(_ text: String) { err += text }

    func readEditedLine(prompt: String) -> String? {
        prompts.append(prompt)
        return lines.isEmpty ? nil : lines.removeFirst()
    }

    func readPlainLine() -> String? { lines.isEmpty ? nil : lines.removeFirst() }

    func secret(_ prompt: String) -> String? {
        prompts.append(prompt)
        return secrets.isEmpty ? nil : secrets.removeFirst()
    }

    func confirm(_ prompt: String) -> Bool {
        prompts.append(prompt)
        return answers.isEmpty ? false : answers.removeFirst()
    }
}

/// Parses one JSON document as Foundation sees it: an independent reader of our output.
func parseJSON(_ text: String) throws -> Any {
    try JSONSerialization.jsonObject(with: Data(text.utf8))
}
