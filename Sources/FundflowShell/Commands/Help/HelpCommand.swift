import ArgumentParser

struct HelpCommand: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "help",
        abstract: "What each noun does; `help NOUN` lists its verbs with an example each.")
    static let examples = ["help", "help ledger"]

    @Argument(help: "A noun such as ledger, user or audit.")
    var noun: String?

    @OptionGroup var common: CommonOptions

    func execute(in session: Session, commandText: String) throws -> Output {
        guard let noun else { return Output(text: Help.overview(), json: Help.overviewJSON()) }
        guard let type = Help.noun(named: noun) else {
            throw ShellError.usage(
                "no noun '\(noun)': try one of \(Help.nounNames.joined(separator: ", "))")
        }
        return Output(text: Help.noun(type), json: Help.nounJSON(type))
    }
}

/// Help text built from the command types themselves, so it never drifts from what parses.
enum Help {
    static var nouns: [any ParsableCommand.Type] {
        ShellRoot.configuration.subcommands
    }

    static var nounNames: [String] {
        var names: [String] = []
        for type in nouns { names.append(name(of: type)) }
        return names
    }

    static func noun(named text: String) -> (any ParsableCommand.Type)? {
        for type in nouns where name(of: type) == text { return type }
        return nil
    }

    static func name(of type: any ParsableCommand.Type) -> String {
        let configuration = type.configuration
        return configuration.commandName ?? ""
    }

    static func overview() -> String {
        var text =
            "fundflow [--db PATH] [--json] [--as USER] [--yes] [--simulated] [-c \"CMD; CMD\"] [SCRIPT]\n\n"
        text += "Commands are NOUN VERB; `help NOUN` shows a noun's verbs with examples.\n\n"
        var table = Table([.init("NOUN"), .init("WHAT IT IS FOR")])
        table.rows = nouns.map { [$0.configuration.commandName ?? "", $0.configuration.abstract] }
        text += table.rendered()
        text +=
            "\nAnywhere: --json prints one JSON document; --yes answers confirmations; `exit` leaves the REPL.\n"
        text += "Exit status: 0 success, 1 a command failed, 2 a usage error.\n"
        return text
    }

    static func overviewJSON() -> JSON {
        .array(
            nouns.map {
                .object([
                    ("noun", .string($0.configuration.commandName ?? "")),
                    ("abstract", .string($0.configuration.abstract)),
                ])
            })
    }

    /// Every verb under a noun, nested groups flattened (`hold place`), with abstract and examples.
    static func verbs(
        _ type: any ParsableCommand.Type, path: [String] = []
    ) -> [(path: String, abstract: String, examples: [String])] {
        // A noun that is itself a command (`run`, `worker`) is its own only verb.
        if path.isEmpty, let leaf = type as? any ShellCommand.Type {
            return [("", type.configuration.abstract, leaf.examples)]
        }
        return type.configuration.subcommands.flatMap {
            sub -> [(path: String, abstract: String, examples: [String])] in
            let name = sub.configuration.commandName ?? ""
            if let leaf = sub as? any ShellCommand.Type {
                return [
                    (
                        (path + [name]).joined(separator: " "), sub.configuration.abstract,
                        leaf.examples
                    )
                ]
            }
            return verbs(sub, path: path + [name])
        }
    }

    /// `title` is how the user reaches the group: `ledger`, or `ledger hold` for a nested one.
    static func noun(_ type: any ParsableCommand.Type, title: String? = nil) -> String {
        let name = title ?? type.configuration.commandName ?? ""
        var text = "\(name): \(type.configuration.abstract)\n\n"
        for verb in verbs(type) {
            text +=
                "  \(verb.path.isEmpty ? name : "\(name) \(verb.path)")\n      \(verb.abstract)\n"
            for example in verb.examples { text += "      e.g. \(example)\n" }
        }
        text += "\n`\(name) VERB --help` lists a verb's options.\n"
        return text
    }

    static func nounJSON(_ type: any ParsableCommand.Type) -> JSON {
        let name = type.configuration.commandName ?? ""
        return .object([
            ("noun", .string(name)), ("abstract", .string(type.configuration.abstract)),
            (
                "verbs",
                .array(
                    verbs(type).map { verb in
                        .object([
                            ("verb", .string(verb.path)), ("abstract", .string(verb.abstract)),
                            ("examples", .array(verb.examples.map(JSON.string))),
                        ])
                    })
            ),
        ])
    }
}
