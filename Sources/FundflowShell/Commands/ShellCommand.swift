import ArgumentParser
import FundflowCore

/// A command of the language: parsed by ArgumentParser from a REPL line, `-c`, a script or the
/// process's arguments alike, then executed against the session.
protocol ShellCommand: ParsableCommand {
    /// Example invocations shown by `help NOUN`.
    static var examples: [String] { get }
    var common: CommonOptions { get }
    func execute(in session: Session, commandText: String) throws -> Output
}

/// Options every command accepts.
struct CommonOptions: ParsableArguments {
    @Flag(help: "Print one JSON document on stdout instead of text.")
    var json = false

    @Flag(help: "Answer yes to confirmations in advance (needed in scripts).")
    var yes = false
}

/// The root of the command tree; its subcommands are the nouns. `help` is parsed on its own
/// (``HelpCommand``): ArgumentParser reserves a `help` subcommand on every command group.
struct ShellRoot: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fundflow",
        abstract: "Payouts, family co-pay and route analytics on a double-entry ledger.",
        subcommands: [
            RatesCommand.self, FXCommand.self, NetworkCommand.self, RouteCommand.self,
            CompanyCommand.self, WalletCommand.self,
            BeneficiaryCommand.self, PayoutCommand.self, TrackCommand.self, BatchCommand.self,
            FamilyCommand.self, PayCommand.self, RequestCommand.self,
            OrderCommand.self, RefundCommand.self,
            ChannelCommand.self, CaseCommand.self,
            RunCommand.self,
            WorkerCommand.self, ClockCommand.self, LedgerCommand.self, UserCommand.self,
            AuditCommand.self,
        ])
}

/// Turns an option's text into one of an enum's cases, or a usage error listing the choices.
func choice<T: RawRepresentable & CaseIterable>(
    _ text: String, of _: T.Type = T.self, option: String
) throws -> T
where T.RawValue == String {
    guard let value = T(rawValue: text) else {
        throw ValidationError(
            "\(option) must be one of \(T.allCases.map(\.rawValue).joined(separator: ", ")), not '\(text)'"
        )
    }
    return value
}
