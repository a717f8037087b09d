import CEditLine
import Foundation
import FundflowShell

#if canImport(Glibc)
    import Glibc
#endif

/// Standard input and output of this process: libedit for the REPL (history, completion), plain
/// reads when input is piped, and no-echo prompts for PINs.
final class ProcessTerminal: Terminal {
    private var historyLoaded = false
    private let historyPath: String? = ProcessInfo.processInfo.environment["HOME"].map {
        $0 + "/.fundflow_history"
    }

    var inputIsTerminal: Bool { isatty(STDIN_FILENO) == 1 }

    var errorIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }

    func writeOut(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    func writeErr(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    func readEditedLine(prompt: String) -> String? {
        if !historyLoaded {
            historyLoaded = true
            LineCompletion.install()
            using_history()
            if let historyPath { _ = read_history(historyPath) }
        }
        guard let raw = readline(prompt) else { return nil }
        defer { free(raw) }
        let line = String(cString: raw)
        if !line.trimmingCharacters(in: .whitespaces).isEmpty {
            _ = add_history(line)
            if let historyPath { _ = write_history(historyPath) }
        }
        return line
    }

    func readPlainLine() -> String? { Swift.readLine(strippingNewline: true) }

    func secret(_ prompt: String) -> String? {
        writeErr(prompt)
        var original = termios()
        let isTTY = tcgetattr(STDIN_FILENO, &original) == 0
        if isTTY {
            var silent = original
            silent.c_lflag &= ~tcflag_t(ECHO)
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &silent)
        }
        defer {
            if isTTY {
                tcsetattr(STDIN_FILENO, TCSAFLUSH, &original)
                writeErr("\n")
            }
        }
        return Swift.readLine(strippingNewline: true)
    }

    func confirm(_ prompt: String) -> Bool {
        guard let answer = readEditedLine(prompt: prompt + " [y/N] ") else { return false }
        return ["y", "yes"].contains(answer.lowercased().trimmingCharacters(in: .whitespaces))
    }

    func close() {
        try? FileHandle.standardOutput.synchronize()
    }
}

/// Bridges libedit's C completion callbacks to `Completion.candidates(for:)`.
enum LineCompletion {
    nonisolated(unsafe) static var matches: [String] = []

    static func install() {
        fundflow_set_completion { text, _, _ in
            let buffer = fundflow_line_buffer().map { String(cString: $0) } ?? ""
            let upToCursor = String(buffer.utf8.prefix(Int(fundflow_point()))) ?? buffer
            LineCompletion.matches = Completion.candidates(for: upToCursor)
            return rl_completion_matches(text) { _, state in
                let index = Int(state)
                guard index < LineCompletion.matches.count else { return nil }
                return strdup(LineCompletion.matches[index])
            }
        }
    }
}
