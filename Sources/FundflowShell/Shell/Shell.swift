import ArgumentParser
import FundflowEngine

#if canImport(Glibc)
    import Glibc
#endif

/// The command language as a library: one line in, one reply out. The executable reads lines and
/// prints replies; tests drive this directly.
public final class Shell {
    public let session: Session

    public init(session: Session) { self.session = session }

    /// Evaluates every command of `line` in order, stopping at the first that fails.
    public func evaluate(_ line: String) -> Reply {
        let commands: [[String]]
        do {
            commands = try Words.split(line)
        } catch {
            return Reply(stderr: "error: \(error)\n", status: 2)
        }
        var reply = Reply()
        for words in commands {
            let one = run(words)
            reply.stdout += one.stdout
            reply.stderr += one.stderr
            reply.status = one.status
            reply.quit = one.quit
            if one.status != 0 || one.quit { break }
        }
        return reply
    }

    /// Runs one command given as words (already split, as from the process's own arguments).
    public func run(_ words: [String]) -> Reply {
        if words == ["exit"] || words == ["quit"] { return Reply(quit: true) }
        let parsed: any ParsableCommand
        let root: any ParsableCommand.Type =
            words.first == "help" ? HelpCommand.self : ShellRoot.self
        do {
            parsed = try root.parseAsRoot(words.first == "help" ? Array(words.dropFirst()) : words)
        } catch {
            let message = root.fullMessage(for: error, columns: 100)
            let code = root.exitCode(for: error)
            if code == .success { return Reply(stdout: message + "\n") }
            return Reply(stderr: message + "\n", status: 2)
        }
        guard let command = parsed as? any ShellCommand else {
            let parsedType = type(of: parsed)
            if parsedType.configuration.subcommands.isEmpty {
                // ArgumentParser's own help command (`--help`): running it throws the help request.
                do {
                    var helpRequest = parsed
                    try helpRequest.run()
                } catch {
                    return Reply(stdout: root.fullMessage(for: error, columns: 100) + "\n")
                }
            }
            // A noun without a verb: show what the noun can do.
            return Reply(stdout: Help.noun(parsedType, title: words.joined(separator: " ")))
        }
        do {
            let output = try command.execute(in: session, commandText: Words.join(words))
            let json = session.settings.json || command.common.json
            var reply = Reply()
            reply.stdout = json ? output.json.rendered() + "\n" : output.text
            reply.stderr = output.notices.map { "note: \($0)\n" }.joined()
            return reply
        } catch let error as ValidationError {
            return Reply(stderr: "error: \(error.message)\n", status: 2)
        } catch let error as ShellError {
            if case .usage = error { return Reply(stderr: "error: \(error)\n", status: 2) }
            return Reply(stderr: "error: \(error)\n", status: 1)
        } catch {
            return Reply(stderr: "error: \(error)\n", status: 1)
        }
    }

    /// Runs the jobs that are due, if the database is open, and returns their notices (and any
    /// job failures) for the REPL to print.
    public func runDueJobs() -> [String] {
        guard session.isOpen, let (engine, _) = try? session.engine() else { return [] }
        do {
            let run = try engine.runDueJobs(worker: "repl-\(ProcessIdentity.current)")
            return run.notices + run.failures.map { "failed: \($0)" }
        } catch {
            return ["the job queue could not run: \(error)"]
        }
    }
}

/// A name for this process in job leases.
enum ProcessIdentity {
    static var current: String {
        #if canImport(Glibc)
            return String(getpid())
        #else
            return "process"
        #endif
    }
}
