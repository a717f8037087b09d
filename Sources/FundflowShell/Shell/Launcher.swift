import ArgumentParser
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The process's own options: `fundflow [--db PATH] [--json] [--as USER] [--yes] [-c "CMD; CMD"] [SCRIPT]`.
struct LaunchOptions: ParsableArguments {
    @Option(
        help:
            "Database file (default: $FUNDFLOW_DB, else ./fundflow.db); created and seeded when new."
    )
    var db: String?

    @Flag(help: "Print one JSON document per command on stdout.")
    var json = false

    @Option(
        name: .customLong("as"),
        help: "Act as this user (their PIN from the prompt or FUNDFLOW_PIN).")
    var actor: String?

    @Flag(help: "Answer yes to every confirmation in advance.")
    var yes = false

    @Flag(
        help:
            "Create a new database on a simulated clock (moved by `clock set` and `clock advance`)."
    )
    var simulated = false

    @Option(name: .customShort("c"), help: "Run these commands (separated by ';') and exit.")
    var commands: String?

    @Argument(
        parsing: .captureForPassthrough, help: "A script file to run, or one command's words.")
    var rest: [String] = []

    init() {}
}

/// What the executable provides: the terminal, line editing, and prompts.
public protocol Terminal: Prompter {
    func writeOut(_ text: String)
    func writeErr(_ text: String)
    /// True when standard input is a terminal: no arguments then means the REPL.
    var inputIsTerminal: Bool { get }
    /// True when standard error is a terminal: progress bars redraw in place there.
    var errorIsTerminal: Bool { get }
    /// One line with editing and history (the REPL); `nil` at end of input.
    func readEditedLine(prompt: String) -> String?
    /// One line of piped input; `nil` at end of input.
    func readPlainLine() -> String?
}

/// Decides how a process runs (REPL, `-c`, script, piped input, or one command from the arguments)
/// and turns replies into output and an exit status.
public enum Launcher {
    public static func run(
        arguments: [String], environment: [String: String], terminal: any Terminal
    ) -> Int32 {
        let options: LaunchOptions
        do {
            options = try LaunchOptions.parse(arguments)
        } catch {
            let code = LaunchOptions.exitCode(for: error)
            let message = LaunchOptions.fullMessage(for: error, columns: 100)
            if code == .success {
                terminal.writeOut(message + "\n")
                return 0
            }
            terminal.writeErr(message + "\n")
            return 2
        }
        let interactive =
            options.commands == nil && options.rest.isEmpty && terminal.inputIsTerminal
        let settings = SessionSettings(
            databasePath: options.db ?? environment["FUNDFLOW_DB"] ?? "./fundflow.db",
            json: options.json,
            actorName: options.actor, yes: options.yes, operatorName: operatorName(environment),
            source: source(environment), environment: environment, simulated: options.simulated)
        let session = Session(settings: settings, prompter: interactive ? terminal : nil)
        session.progress = ProgressSink(redraws: terminal.errorIsTerminal) { terminal.writeErr($0) }
        let shell = Shell(session: session)
        if let commands = options.commands {
            let lines = commands.split(separator: "\n", omittingEmptySubsequences: false).map(
                String.init)
            return runLines(lines, shell: shell, terminal: terminal, origin: nil)
        }
        if let first = options.rest.first {
            var isDirectory: ObjCBool = false
            if options.rest.count == 1,
                FileManager.default.fileExists(atPath: first, isDirectory: &isDirectory),
                !isDirectory.boolValue
            {
                guard let data = FileManager.default.contents(atPath: first) else {
                    terminal.writeErr("error: cannot read the script \(first)\n")
                    return 1
                }
                let lines = String(decoding: data, as: UTF8.self).split(
                    separator: "\n", omittingEmptySubsequences: false
                ).map(String.init)
                return runLines(lines, shell: shell, terminal: terminal, origin: first)
            }
            let reply = shell.run(options.rest)
            print(reply, to: terminal, location: nil)
            return reply.status
        }
        if interactive { return repl(shell, terminal: terminal) }
        var status: Int32 = 0
        var number = 0
        while let line = terminal.readPlainLine() {
            number += 1
            let reply = shell.evaluate(line)
            print(reply, to: terminal, location: "line \(number)")
            status = reply.status
            if status != 0 || reply.quit { break }
        }
        return status
    }

    private static func runLines(
        _ lines: [String], shell: Shell, terminal: any Terminal, origin: String?
    ) -> Int32 {
        for (index, line) in lines.enumerated() {
            let reply = shell.evaluate(line)
            print(reply, to: terminal, location: origin.map { "\($0):\(index + 1)" })
            if reply.status != 0 { return reply.status }
            if reply.quit { break }
        }
        return 0
    }

    private static func repl(_ shell: Shell, terminal: any Terminal) -> Int32 {
        terminal.writeErr(
            "Fundflow shell on \(shell.session.settings.databasePath). Type `help`, or `exit` to leave.\n"
        )
        while let line = terminal.readEditedLine(prompt: "fundflow> ") {
            let reply = shell.evaluate(line)
            print(reply, to: terminal, location: nil)
            if reply.quit { break }
            // Between commands the REPL does the job queue's due work and shows what happened.
            for notice in shell.runDueJobs() { terminal.writeErr("notice: \(notice)\n") }
        }
        return 0
    }

    private static func print(_ reply: Reply, to terminal: any Terminal, location: String?) {
        if !reply.stdout.isEmpty { terminal.writeOut(reply.stdout) }
        guard !reply.stderr.isEmpty else { return }
        if let location, reply.status != 0 {
            terminal.writeErr("\(location): " + reply.stderr)
        } else {
            terminal.writeErr(reply.stderr)
        }
    }

    /// `$USER`, else the name of the process's user, else its uid.
    static func operatorName(_ environment: [String: String]) -> String {
        if let user = environment["USER"], !user.isEmpty { return user }
        if let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name {
            return String(cString: name)
        }
        return "uid\(geteuid())"
    }

    /// Remote logins count wrong PINs per address; local use counts them as one source.
    static func source(_ environment: [String: String]) -> String {
        if let client = environment["SSH_CLIENT"], let address = client.split(separator: " ").first
        {
            return "ssh:\(address)"
        }
        return "local"
    }
}
