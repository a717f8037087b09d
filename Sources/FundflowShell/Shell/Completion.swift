import ArgumentParser
import Foundation

/// Tab completion of nouns, verbs and options, read from the same command types that parse lines.
public enum Completion {
    /// Candidates for the last word of `line` (the text before the cursor).
    public static func candidates(for line: String) -> [String] {
        let endsInSpace = line.last.map { $0 == " " || $0 == "\t" } ?? true
        let words = (try? Words.split(line).last) ?? []
        let complete = endsInSpace ? words : Array(words.dropLast())
        let partial = endsInSpace ? "" : (words.last ?? "")
        var node: any ParsableCommand.Type = ShellRoot.self
        for word in complete {
            guard let next = subcommand(of: node, named: word) else { break }
            node = next
        }
        var options: [String] = []
        let subcommands = node.configuration.subcommands.map { $0.configuration.commandName ?? "" }
        if subcommands.isEmpty {
            options = optionNames(of: node)
        }
        var pool = subcommands + options
        if node == ShellRoot.self { pool += ["exit", "help", "quit"] }
        return pool.filter { $0.hasPrefix(partial) }.sorted()
    }

    private static func subcommand(
        of type: any ParsableCommand.Type, named name: String
    ) -> (any ParsableCommand.Type)? {
        for sub in type.configuration.subcommands where sub.configuration.commandName == name {
            return sub
        }
        return nil
    }

    /// Long option names from ArgumentParser's own description of the command.
    private static func optionNames(of type: any ParsableCommand.Type) -> [String] {
        struct Dump: Decodable {
            struct Command: Decodable {
                struct Argument: Decodable {
                    struct Name: Decodable {
                        let kind: String
                        let name: String
                    }
                    let names: [Name]?
                }
                let arguments: [Argument]?
            }
            let command: Command
        }
        guard let dump = try? JSONDecoder().decode(Dump.self, from: Data(type._dumpHelp().utf8))
        else { return [] }
        return (dump.command.arguments ?? []).flatMap { argument in
            (argument.names ?? []).filter { $0.kind == "long" }.map { "--" + $0.name }
        }.filter { $0 != "--help" && $0 != "--version" }
    }
}
