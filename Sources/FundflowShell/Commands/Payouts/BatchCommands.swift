import ArgumentParser
import FundflowEngine
import FundflowFormats

struct BatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "batch",
        abstract:
            "Payout batches from pain.001.001.03/.09 (Swiss SPS too) or the payout CSV: import, quote, approve, submit, status, report.",
        subcommands: [
            BatchImport.self, BatchQuote.self, BatchApprove.self, BatchSubmit.self,
            BatchCancel.self, BatchStatus.self, BatchReport.self, BatchShow.self, BatchList.self,
        ])
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
        let bar = session.progress?.bar("import")
        let view = try engine.importBatch(
            path: file, company: company, acceptValid: acceptValid, context,
            progress: bar.map { bar in { bar.update($0, of: $1) } })
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

struct BatchQuote: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "quote",
        abstract:
            "Quote every item: route, fees, FX, debit, delivery, ETA and flags, with totals and funding per currency."
    )
    static let examples = ["batch quote 1", "batch quote 1 --valid 3600 --json"]

    @Argument(help: "The batch's id.")
    var id: Int64

    @Option(help: "How long the quotes hold, in seconds.")
    var valid: Int64 = 1_800

    @OptionGroup var common: CommonOptions

    func execute(in session: Session, commandText: String) throws -> Output {
        let (engine, context) = try session.context(commandText)
        let bar = session.progress?.bar("quote")
        let view = try engine.quoteBatch(
            id, validSeconds: valid, context, shown: BatchRendering.shown(session, common),
            progress: bar.map { bar in { bar.update($0, of: $1) } })
        return BatchRendering.output(view)
    }
}

struct BatchApprove: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve",
        abstract:
            "Approve a quoted batch (not one you imported): funding checked, new beneficiaries approved, every debit held."
    )
    static let examples = ["batch approve 1", "batch approve 1 --include-duplicates"]

    @Argument(help: "The batch's id.")
    var id: Int64

    @Flag(
        help:
            "Approve the items flagged as possible duplicates of recent payouts too; after the batch's approval, approves the held ones on their own."
    )
    var includeDuplicates = false

    @OptionGroup var common: CommonOptions

    func execute(in session: Session, commandText: String) throws -> Output {
        let (engine, context) = try session.context(commandText)
        return BatchRendering.output(
            try engine.approveBatch(
                id, includeDuplicates: includeDuplicates, context,
                shown: BatchRendering.shown(session, common)))
    }
}

struct BatchSubmit: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit",
        abstract:
            "Schedule an approved batch: each payout leaves at its servicing bank's cut-off on its execution date."
    )
    static let examples = ["batch submit 1"]

    @Argument(help: "The batch's id.")
    var id: Int64

    @OptionGroup var common: CommonOptions

    func execute(in session: Session, commandText: String) throws -> Output {
        let (engine, context) = try session.context(commandText)
        let bar = session.progress?.bar("submit")
        let view = try engine.submitBatch(
            id, context, shown: BatchRendering.shown(session, common),
            progress: bar.map { bar in { bar.update($0, of: $1) } })
        return BatchRendering.output(view)
    }
}

struct BatchCancel: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel",
        abstract:
            "Cancel a batch before any payout is released: holds voided, nothing leaves the wallets."
    )
    static let examples = ["batch cancel 1"]

    @Argument(help: "The batch's id.")
    var id: Int64

    @OptionGroup var common: CommonOptions

    func execute(in session: Session, commandText: String) throws -> Output {
        let (engine, context) = try session.context(commandText)
        return BatchRendering.output(
            try engine.cancelBatch(id, context, shown: BatchRendering.shown(session, common)))
    }
}

struct BatchStatus: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Where every item of a batch is, with totals.")
    static let examples = ["batch status 1", "batch status 1 --json"]

    @Argument(help: "The batch's id.")
    var id: Int64

    @OptionGroup var common: CommonOptions

    func execute(in session: Session, commandText: String) throws -> Output {
        let (engine, actor) = try session.engine()
        return BatchRendering.output(
            try engine.batchStatus(id, as: actor, shown: BatchRendering.shown(session, common)))
    }
}

struct BatchReport: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract:
            "Write the batch's status report as pain.002.001.03 (and/or CSV), in any state.")
    static let examples = [
        "batch report 1 --pain002 status.xml", "batch report 1 --csv status.csv",
    ]

    @Argument(help: "The batch's id.")
    var id: Int64

    @Option(help: "The pain.002.001.03 file to write.")
    var pain002: String?

    @Option(help: "The CSV file to write (one line per item).")
    var csv: String?

    @OptionGroup var common: CommonOptions

    func execute(in session: Session, commandText: String) throws -> Output {
        guard pain002 != nil || csv != nil else {
            throw ShellError.usage("give --pain002 FILE, --csv FILE or both")
        }
        let (engine, actor) = try session.engine()
        let report = try engine.batchReport(id, as: actor)
        if let pain002 { try writeAtomically(try Pain002Writer.xml(report), to: pain002) }
        if let csv { try writeAtomically(PaymentStatusCSV.csv(report), to: csv) }
        var counts: [String: Int] = [:]
        for item in report.items { counts[item.status.rawValue, default: 0] += 1 }
        let summary = PaymentStatus.allCases.compactMap { status in
            counts[status.rawValue].map { "\($0) \(status.rawValue)" }
        }.joined(separator: ", ")
        let files = [pain002, csv].compactMap { $0 }.joined(separator: " and ")
        return Output(
            text: "wrote \(files): \(report.items.count) items (\(summary))\n",
            json: .object([
                ("batch", .string(String(id))), ("items", .number(Int64(report.items.count))),
                ("pain002", .optional(pain002)), ("csv", .optional(csv)),
                (
                    "statuses",
                    .object(
                        PaymentStatus.allCases.compactMap { status in
                            counts[status.rawValue].map {
                                (status.rawValue, JSON.number(Int64($0)))
                            }
                        })
                ),
            ]))
    }
}

extension BatchRendering {
    static func output(_ view: BatchQuoteView) -> Output {
        Output(text: text(view), json: json(view), notices: view.warnings)
    }

    /// A large batch shows this many items as text (those with a problem first); `--json` has
    /// them all.
    static let shownItems = 50

    /// Text reads only the items it shows; `--json` reads them all.
    static func shown(_ session: Session, _ common: CommonOptions) -> BatchItemsShown {
        session.settings.json || common.json ? .all : .first(shownItems)
    }

    static func text(_ view: BatchQuoteView) -> String {
        var out = text(view.batch)
        out +=
            "  statuses  "
            + view.statusCounts.map { "\(ProgressBar.grouped($0.count)) \($0.status)" }
            .joined(separator: ", ")
            + "\n"
        var table = Table([
            .init("#", .right), .init("END-TO-END"), .init("STATUS"), .init("ROUTE"),
            .init("DEBITED", .right), .init("DELIVERED", .right), .init("ETA"), .init("FLAGS"),
        ])
        var shown = view.items
        if shown.count > shownItems {
            let troubled = shown.filter { $0.problem != nil }
            let rest = shown.filter { $0.problem == nil }
            shown = Array((troubled + rest).prefix(shownItems)).sorted { $0.position < $1.position }
        }
        table.rows = shown.map {
            [
                "\($0.position)", $0.endToEndID, $0.status, $0.route.joined(separator: ">"),
                $0.debited.isEmpty ? "" : "\($0.debited) \($0.sendCurrency)",
                $0.delivered.isEmpty ? "" : "\($0.delivered) \($0.targetCurrency)", $0.eta,
                ($0.flags + ($0.problem.map { [$0] } ?? [])).joined(separator: ", "),
            ]
        }
        out += table.rendered()
        if shown.count < view.itemCount {
            out +=
                "  … \(ProgressBar.grouped(view.itemCount - shown.count)) more items: `batch status \(view.batch.id) --json` lists them all\n"
        }
        out +=
            "  debits    \(view.debits.map { "\($0.amount) \($0.currency)" }.joined(separator: ", "))\n"
        out +=
            "  delivers  \(view.deliveries.map { "\($0.amount) \($0.currency)" }.joined(separator: ", "))\n"
        for funding in view.funding {
            out +=
                "  funding   \(funding.currency): needs \(funding.needed), \(funding.available) available\(funding.short ? "  SHORT" : "")\(funding.proposal.map { " — approving will \($0)" } ?? "")\n"
        }
        out +=
            "  approvals \(view.approvals.isEmpty ? "none" : view.approvals.joined(separator: ", ")) (\(view.approvalsNeeded) needed)\n"
        if let held = view.held {
            out +=
                "  held      \(held.count) possible duplicate\(held.count == 1 ? "" : "s"), approvals \(held.approvals.isEmpty ? "none" : held.approvals.joined(separator: ", ")) (\(held.approvalsNeeded) needed): `batch approve \(view.batch.id) --include-duplicates`\n"
        }
        return out
    }

    static func json(_ view: BatchQuoteView) -> JSON {
        func totals(_ list: [BatchView.Total]) -> JSON {
            .array(
                list.map {
                    .object([("currency", .string($0.currency)), ("amount", .string($0.amount))])
                })
        }
        return .object([
            ("batch", json(view.batch)),
            (
                "items",
                .array(
                    view.items.map { item in
                        .object([
                            ("position", .number(Int64(item.position))),
                            ("endToEndId", .string(item.endToEndID)),
                            ("beneficiary", .optional(item.beneficiary)),
                            ("payout", item.payout.map(JSON.number) ?? .null),
                            ("uetr", .optional(item.uetr)), ("status", .string(item.status)),
                            ("route", .array(item.route.map(JSON.string))),
                            ("instructed", .string(item.instructed)),
                            ("sendCurrency", .string(item.sendCurrency)),
                            ("debited", .string(item.debited)),
                            ("delivered", .string(item.delivered)),
                            ("targetCurrency", .string(item.targetCurrency)),
                            ("fees", .string(item.fees)), ("eta", .string(item.eta)),
                            ("flags", .array(item.flags.map(JSON.string))),
                            ("problem", .optional(item.problem)),
                        ])
                    })
            ),
            ("debits", totals(view.debits)), ("deliveries", totals(view.deliveries)),
            (
                "funding",
                .array(
                    view.funding.map {
                        .object([
                            ("currency", .string($0.currency)), ("needed", .string($0.needed)),
                            ("available", .string($0.available)), ("short", .bool($0.short)),
                            ("proposal", .optional($0.proposal)),
                        ])
                    })
            ),
            ("approvals", .array(view.approvals.map(JSON.string))),
            ("approvalsNeeded", .number(Int64(view.approvalsNeeded))),
            (
                "held",
                view.held.map {
                    .object([
                        ("count", .number(Int64($0.count))),
                        ("approvals", .array($0.approvals.map(JSON.string))),
                        ("approvalsNeeded", .number(Int64($0.approvalsNeeded))),
                    ])
                } ?? .null
            ),
        ])
    }
}
