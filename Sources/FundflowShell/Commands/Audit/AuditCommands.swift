import ArgumentParser
import FundflowCore
import FundflowEngine
import FundflowStore

struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "The append-only, hash-chained log of every command that changed something.",
        subcommands: [AuditLog.self, AuditVerify.self])
}

struct AuditLog: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "log", abstract: "The newest entries of the audit log.")
    static let examples = ["audit log", "audit log --limit 200 --json"]

    @Option(help: "How many of the newest entries to show.")
    var limit: Int = 50

    @OptionGroup var common: CommonOptions

    func execute(in session: Session, commandText: String) throws -> Output {
        let (engine, actor) = try session.engine()
        let entries = try engine.auditLog(limit: limit, as: actor)
        var table = Table([
            .init("SEQ", .right), .init("AT"), .init("ACTOR"), .init("OUTCOME"), .init("COMMAND"),
        ])
        table.rows = entries.map { entry in
            let outcome =
                entry.marked ? "\(entry.outcome) [marked: \(entry.reason ?? "")]" : entry.outcome
            return ["\(entry.seq)", entry.at.iso8601, entry.actor, outcome, entry.command]
        }
        return Output(
            text: entries.isEmpty ? "the audit log is empty\n" : table.rendered(),
            json: .array(
                entries.map { entry in
                    .object([
                        ("seq", .number(entry.seq)), ("at", .string(entry.at.iso8601)),
                        ("actor", .string(entry.actor)),
                        ("command", .string(entry.command)), ("outcome", .string(entry.outcome)),
                        ("marked", .bool(entry.marked)),
                        ("reason", .optional(entry.reason)), ("hash", .string(entry.hash)),
                    ])
                }))
    }
}

struct AuditVerify: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check the hash chain and every transfer's anchor; print the head.")
    static let examples = ["audit verify"]

    @OptionGroup var common: CommonOptions

    func execute(in session: Session, commandText: String) throws -> Output {
        let (engine, actor) = try session.engine()
        let report = try engine.verifyAudit(as: actor)
        if !report.problems.isEmpty {
            throw VerificationFailed(what: "the audit log", problems: report.problems)
        }
        return Output(
            text:
                "audit log verified: \(report.entries) entries\nhead: \(report.headSeq) \(report.headHash)\n",
            json: .object([
                ("ok", .bool(true)), ("entries", .number(Int64(report.entries))),
                ("headSeq", .number(report.headSeq)), ("headHash", .string(report.headHash)),
            ]))
    }
}
