import ArgumentParser
import FundflowEngine

struct BatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "batch",
        abstract:
            "Payout batches from pain.001.001.03/.09 (Swiss SPS too) or the payout CSV: import, show, list.",
        subcommands: [BatchImport.self, BatchShow.self, BatchList.self])
}

struct BatchImport: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Read a batch file and keep it as a draft batch of the company.",
        discussion:
            "Every problem of the file is listed in one refusal with its element path or FILE:LINE:COLUMN; --accept-valid takes the good items. The same MsgId with the same content returns the existing batch."
    )
    static let examples = [
        "batch import payouts.xml --company acme",
        "batch import payouts.csv --company acme --accept-valid --json",
    ]

    @Argument(help: "The file: pain.001 XML or the payout CSV (header in docs/architecture.md).")
    var file: String

    @Option(help: "The company whose wallets pay the batch.")
    var company: String

    @Flag(help: "Take the items without problems and leave the others out (listed).")
    var acceptValid = false

    @OptionGroup var common: CommonOptions

    func execute(in session: Session, commandText: String) throws -> Output {
        let (engine, context) = try session.context(commandText)
        let view = try engine.importBatch(
            path: file, company: company, acceptValid: acceptValid, context)
        var notices: [String] = []
        if view.existing {
            notices.append(
                "MsgId \(view.messageID) was imported before with the same content: batch \(view.id)"
            )
        }
        notices += view.errors.map { "left out: \($0.location): \($0.message)" }
        return Output(
            text: BatchRendering.text(view), json: BatchRendering.json(view), notices: notices)
    }
}

struct BatchShow: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "One batch: its file, status, items and totals.")
    static let examples = ["batch show 1", "batch show 1 --json"]

    @Argument(help: "The batch's id.")
    var id: Int64

    @OptionGroup var common: CommonOptions

    func execute(in session: Session, commandText: String) throws -> Output {
        let (engine, actor) = try session.engine()
        let view = try engine.batch(id, as: actor)
        return Output(text: BatchRendering.text(view), json: BatchRendering.json(view))
    }
}

struct BatchList: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "A company's batches.")
    static let examples = ["batch list acme"]

    @Argument(help: "The company.")
    var company: String

    @OptionGroup var common: CommonOptions

    func execute(in session: Session, commandText: String) throws -> Output {
        let (engine, actor) = try session.engine()
        let views = try engine.batches(company: company, as: actor)
        var table = Table([
            .init("ID", .right), .init("MSGID"), .init("FORMAT"), .init("STATUS"),
            .init("ITEMS", .right), .init("TOTALS", .right), .init("IMPORTED"),
        ])
        table.rows = views.map {
            [
                "\($0.id)", $0.messageID, $0.format, $0.status, "\($0.items)",
                BatchRendering.totals($0), "\($0.importedAt) by \($0.importedBy)",
            ]
        }
        return Output(
            text: views.isEmpty ? "no batches\n" : table.rendered(),
            json: .array(views.map(BatchRendering.json)))
    }
}

enum BatchRendering {
    static func totals(_ view: BatchView) -> String {
        view.totals.map { "\($0.amount) \($0.currency)" }.joined(separator: ", ")
    }

    static func text(_ view: BatchView) -> String {
        var text = "batch \(view.id) of \(view.company): \(view.status)\n"
        text += "  file      \(view.fileName) (\(view.format)), MsgId \(view.messageID)\n"
        text +=
            "  items     \(view.items)\(view.leftOut > 0 ? " (\(view.leftOut) left out)" : "")\n"
        text += "  totals    \(totals(view))\n"
        text += "  imported  \(view.importedAt) by \(view.importedBy)\n"
        return text
    }

    static func json(_ view: BatchView) -> JSON {
        .object([
            ("batch", .string(String(view.id))), ("items", .number(Int64(view.items))),
            (
                "totals",
                .array(
                    view.totals.map {
                        .object([
                            ("currency", .string($0.currency)), ("amount", .string($0.amount)),
                        ])
                    })
            ),
            (
                "errors",
                .array(
                    view.errors.map {
                        .object([("where", .string($0.location)), ("message", .string($0.message))])
                    })
            ),
            ("company", .string(view.company)), ("messageId", .string(view.messageID)),
            ("format", .string(view.format)), ("file", .string(view.fileName)),
            ("status", .string(view.status)), ("leftOut", .number(Int64(view.leftOut))),
            ("importedBy", .string(view.importedBy)), ("importedAt", .string(view.importedAt)),
            ("existing", .bool(view.existing)),
        ])
    }
}
