import ArgumentParser
import Foundation
import FundflowCore
import FundflowEngine
import FundflowFormats

struct LedgerHistory: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "history", abstract: "Every posting on an account, with the running balance.")
    static let examples = [
        "ledger history wallet:acme:EUR", "ledger history wallet:acme:EUR --limit 50 --json",
    ]

    @Argument(help: "Account name.")
    var account: String

    @Option(help: "At most this many postings, oldest first.")
    var limit: Int = 1000

    @OptionGroup var common: CommonOptions

    func execute(in session: Session, commandText: String) throws -> Output {
        let (engine, actor) = try session.engine()
        let history = try engine.history(account: account, limit: limit, as: actor)
        var table = Table([
            .init("TRANSFER", .right), .init("AT"), .init("KIND"), .init("DEBIT", .right),
            .init("CREDIT", .right),
            .init("BALANCE", .right), .init("MEMO"),
        ])
        table.rows = history.entries.map { entry in
            [
                "\(entry.transferID)", entry.at, entry.kind,
                entry.side == "debit" ? entry.amount : "",
                entry.side == "credit" ? entry.amount : "", entry.balance, entry.memo ?? "",
            ]
        }
        let text =
            "\(history.account) (\(history.currency))\n"
            + (history.entries.isEmpty ? "no postings\n" : table.rendered())
        return Output(
            text: text,
            json: .object([
                ("account", .string(history.account)), ("currency", .string(history.currency)),
                (
                    "entries",
                    .array(
                        history.entries.map { entry in
                            .object([
                                ("transfer", .number(entry.transferID)), ("at", .string(entry.at)),
                                ("kind", .string(entry.kind)),
                                ("side", .string(entry.side)), ("amount", .string(entry.amount)),
                                ("balance", .string(entry.balance)),
                                ("memo", .optional(entry.memo)),
                            ])
                        })
                ),
            ]))
    }
}

struct LedgerVerify: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract:
            "Recompute every balance from postings, check every transfer balances, run integrity_check."
    )
    static let examples = ["ledger verify"]

    @OptionGroup var common: CommonOptions

    func execute(in session: Session, commandText: String) throws -> Output {
        let (engine, actor) = try session.engine()
        let report = try engine.verifyLedger(as: actor)
        if !report.problems.isEmpty {
            throw VerificationFailed(what: "the ledger", problems: report.problems)
        }
        return Output(
            text:
                "ledger verified: \(report.accounts) accounts, \(report.transfers) transfers, \(report.pendingHolds) pending holds; every balance equals its postings and every transfer balances per currency\n",
            json: .object([
                ("ok", .bool(true)), ("accounts", .number(Int64(report.accounts))),
                ("transfers", .number(Int64(report.transfers))),
                ("pendingHolds", .number(Int64(report.pendingHolds))),
            ]))
    }
}

/// A verification that found problems: the command fails (exit 1) and lists every one.
struct VerificationFailed: Error, CustomStringConvertible {
    let what: String
    let problems: [String]

    var description: String {
        "\(what) failed verification with \(problems.count) problem\(problems.count == 1 ? "" : "s"):\n"
            + problems.map { "  - \($0)" }.joined(separator: "\n")
    }
}

struct LedgerExportCommand: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Write the ledger for hledger, ledger-cli or beancount.")
    static let examples = [
        "ledger export --format hledger books.journal",
        "ledger export --format beancount books.beancount",
    ]

    @Option(help: "hledger, ledger or beancount.")
    var format: String

    @Argument(help: "File to write (replaced if it exists).")
    var file: String

    @OptionGroup var common: CommonOptions

    func execute(in session: Session, commandText: String) throws -> Output {
        guard let exportFormat = ExportFormat(rawValue: format) else {
            throw ShellError.usage(
                "--format must be one of \(ExportFormat.allCases.map(\.rawValue).joined(separator: ", "))"
            )
        }
        let (engine, actor) = try session.engine()
        let text = try engine.exportLedger(exportFormat, as: actor)
        try writeAtomically(text, to: file)
        let lines = text.split(separator: "\n").count
        return Output(
            text: "wrote \(file) (\(exportFormat.rawValue), \(lines) lines)\n",
            json: .object([
                ("file", .string(file)), ("format", .string(exportFormat.rawValue)),
                ("lines", .number(Int64(lines))),
            ]))
    }
}
