import ArgumentParser
import FundflowCore
import FundflowEngine

struct PayoutCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "payout",
        abstract:
            "Cross-border payouts from a company's wallets: quote, approve, release at the cut-off, track, recall.",
        subcommands: [
            PayoutCreate.self, PayoutApprove.self, PayoutCancel.self, PayoutRecall.self,
            PayoutShow.self, PayoutList.self,
        ])
}

enum PayoutRendering {
    static func text(_ view: PayoutView) -> String {
        let quote = view.quote
        var text =
            "payout \(view.id) of \(view.company) to \(view.beneficiary) (\(view.beneficiaryName)): \(view.status)"
        text +=
            view.status == PayoutStatus.quoted.rawValue
            ? ", quote valid until \(view.expiresAt)\n" : "\n"
        text += "  uetr      \(view.uetr)\n"
        // A bank named by a clearing id is routed to as a stand-in BIC; show the id instead.
        func name(_ bank: String) -> String {
            bank.hasPrefix("CLRG") && quote.estimated ? view.beneficiaryBank : bank
        }
        let banks = quote.path.map(name)
        text +=
            "  route     "
            + banks.enumerated().map { index, bank in
                index == 0 ? bank : "-\(quote.linkCurrencies[index - 1])-> \(bank)"
            }.joined(separator: " ")
        text += quote.estimated ? "  (estimated: domestic clearing)\n" : "\n"
        text +=
            "  sends     \(quote.instructed) \(quote.sendCurrency) (\(quote.bearer)\(quote.fixed == "receive" ? ", the least that delivers the amount asked" : "")); debited \(quote.debited) \(quote.sendCurrency)\n"
        let fees = quote.fees.map {
            "\(name($0.agent)) \($0.amount) \($0.currency)\($0.billed ? " billed" : "")"
        }
        text += "  fees      \(fees.isEmpty ? "none" : fees.joined(separator: "; "))\n"
        let fx = quote.fx.map {
            "\($0.agent) \($0.from)>\($0.to) at \($0.rate) (ECB mid \($0.midRate), margin \($0.marginBps) bps = \($0.marginCost) \($0.marginCostCurrency))"
        }
        text +=
            "  fx        \(fx.isEmpty ? "none" : fx.joined(separator: "; ")) — ECB rates of \(quote.rateDay)\n"
        text +=
            "  delivers  \(quote.delivered) \(quote.targetCurrency); cost \(quote.cost) \(quote.sendCurrency) (\(quote.costPercent) %)\n"
        text +=
            "  release   \(quote.releaseAt) (\(quote.path.first ?? "")'s cut-off\(quote.releaseAt.hasPrefix(view.executionDate) ? "" : "; asked for \(view.executionDate)")), ETA \(quote.eta)\n"
        if !quote.flags.isEmpty { text += "  flags     \(quote.flags.joined(separator: ", "))\n" }
        if let funding = quote.funding {
            text += "  funding   the wallet is short: approving will \(funding.text)\n"
        }
        var beneficiary: [String] = []
        if view.beneficiaryNew { beneficiary.append("new (never paid in this version)") }
        if !view.beneficiaryApproved { beneficiary.append("waiting for approval") }
        if !beneficiary.isEmpty { text += "  beneficiary \(beneficiary.joined(separator: ", "))\n" }
        if let reference = view.reference { text += "  reference \(reference)\n" }
        text +=
            "  approvals \(view.approvals.isEmpty ? "none" : view.approvals.joined(separator: ", ")) "
            + "(\(view.approvalsNeeded) needed)\n"
        if let outcome = view.outcome { text += "  outcome   \(outcome)\n" }
        if let recall = view.recall { text += "  recall    \(recall)\n" }
        if view.status != PayoutStatus.quoted.rawValue,
            view.status != PayoutStatus.cancelled.rawValue
        {
            text += "  track     `track \(view.uetr)`\n"
        }
        return text
    }

    static func json(_ view: PayoutView) -> JSON {
        let quote = view.quote
        return .object([
            ("id", .number(view.id)), ("uetr", .string(view.uetr)),
            ("company", .string(view.company)),
            ("beneficiary", .string(view.beneficiary)),
            ("beneficiaryName", .string(view.beneficiaryName)),
            ("beneficiaryNew", .bool(view.beneficiaryNew)),
            ("beneficiaryApproved", .bool(view.beneficiaryApproved)),
            ("status", .string(view.status)),
            ("path", .array(quote.path.map(JSON.string))),
            ("linkCurrencies", .array(quote.linkCurrencies.map(JSON.string))),
            ("estimated", .bool(quote.estimated)), ("bearer", .string(quote.bearer)),
            ("fixed", .string(quote.fixed)), ("route", .string(quote.route)),
            ("instructed", .string(quote.instructed)),
            ("sendCurrency", .string(quote.sendCurrency)),
            ("debited", .string(quote.debited)), ("delivered", .string(quote.delivered)),
            ("targetCurrency", .string(quote.targetCurrency)), ("cost", .string(quote.cost)),
            ("costPercent", .string(quote.costPercent)),
            (
                "fees",
                .array(
                    quote.fees.map {
                        .object([
                            ("agent", .string($0.agent)), ("amount", .string($0.amount)),
                            ("currency", .string($0.currency)), ("billed", .bool($0.billed)),
                        ])
                    })
            ),
            (
                "fx",
                .array(
                    quote.fx.map {
                        .object([
                            ("agent", .string($0.agent)), ("from", .string($0.from)),
                            ("to", .string($0.to)),
                            ("rate", .string($0.rate)), ("midRate", .string($0.midRate)),
                            ("marginBps", .number($0.marginBps)),
                            ("marginCost", .string($0.marginCost)),
                        ])
                    })
            ),
            ("rateDay", .string(quote.rateDay)), ("executionDate", .string(view.executionDate)),
            ("releaseAt", .string(quote.releaseAt)), ("eta", .string(quote.eta)),
            ("flags", .array(quote.flags.map(JSON.string))),
            (
                "funding",
                quote.funding.map {
                    .object([
                        ("from", .string($0.from)), ("adds", .string($0.adds)),
                        ("rate", .string($0.rate)), ("rateDay", .string($0.rateDay)),
                    ])
                } ?? .null
            ),
            ("reference", .optional(view.reference)),
            ("createdBy", .string(view.createdBy)), ("createdAt", .string(view.createdAt)),
            ("expiresAt", .string(view.expiresAt)),
            ("outcome", .optional(view.outcome)), ("recall", .optional(view.recall)),
            ("warnings", .array(view.warnings.map(JSON.string))),
        ])
    }
}

struct PayoutCreate: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Quote a payout to a beneficiary: route, fees, FX, debited, delivered, ETA.")
    static let examples = [
        "payout create acme --to tata --send \"25000 EUR\" --key inv-4711",
        "payout create acme --to tata --receive \"2500000 INR\" --from EUR --route fastest --date 2026-12-04",
    ]

    @Argument(help: "The company paying.")
    var company: String

    @Option(help: "The beneficiary's id.")
    var to: String

    @Option(help: "A fixed amount sent, e.g. \"25000 EUR\" (from the wallet in that currency).")
    var send: String?

    @Option(help: "A fixed amount to arrive, in the beneficiary's currency.")
    var receive: String?

    @Option(help: "With --receive: the wallet currency to pay from (default: the beneficiary's).")
    var from: String?

    @Option(help: "Who pays the banks' fees: SHA, BEN or OUR.")
    var bearer = "SHA"

    @Option(help: "best (cheapest), fastest, or a rank from `route compare`.")
    var route = "best"

    @Option(
        help:
            "Execution date (default today); a closed day or a passed cut-off rolls on, with a warning."
    )
    var date: String?

    @Option(help: "The reference the beneficiary sees.")
    var reference: String?

    @Option(help: "How long the quote holds (e.g. 30m).")
    var valid = "30m"

    @Option(help: "Idempotency key: the same key and request give the same payout.")
    var key: String?

    @OptionGroup var common: CommonOptions

    func execute(in session: Session, commandText: String) throws -> Output {
        let (engine, context) = try session.context(commandText)
        let request = PayoutRequest(
            company: company, beneficiary: to, send: send, receive: receive, from: from,
            bearer: bearer,
            route: route, date: date, reference: reference,
            validSeconds: try Duration.seconds(parsing: valid),
            key: key)
        let keyed = try engine.createPayout(request, context)
        return Output(
            text: PayoutRendering.text(keyed.value), json: PayoutRendering.json(keyed.value),
            notices: keyed.value.warnings)
    }
}

struct PayoutApprove: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve",
        abstract:
            "Approve a quoted payout (not your own): binds the quote and holds the debit on the wallet."
    )
    static let examples = ["payout approve 1"]

    @Argument(help: "The payout's id or UETR.")
    var id: String

    @Flag(help: "Approve it although it looks like a payout made within the last minute.")
    var confirmDuplicate = false

    @OptionGroup var common: CommonOptions

    func execute(in session: Session, commandText: String) throws -> Output {
        let (engine, context) = try session.context(commandText)
        let view = try engine.approvePayout(id, confirmDuplicate: confirmDuplicate, context)
        return Output(
            text: PayoutRendering.text(view), json: PayoutRendering.json(view),
            notices: view.warnings)
    }
}

struct PayoutCancel: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel",
        abstract: "Cancel a payout before release: the hold goes, the money stays.")
    static let examples = ["payout cancel 1"]

    @Argument(help: "The payout's id or UETR.")
    var id: String

    @OptionGroup var common: CommonOptions

    func execute(in session: Session, commandText: String) throws -> Output {
        let (engine, context) = try session.context(commandText)
        let view = try engine.cancelPayout(id, context)
        return Output(text: PayoutRendering.text(view), json: PayoutRendering.json(view))
    }
}

struct PayoutRecall: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "recall",
        abstract:
            "Recall a released payout: stopped on its way (CNCL, the money comes back as a return), pending the beneficiary's consent (PDCR) or refused (RJCR)."
    )
    static let examples = ["payout recall 1 --reason DUPL"]

    @Argument(help: "The payout's id or UETR.")
    var id: String

    @Option(
        help:
            "DUPL (duplicate), CUST (the customer asked), AGNT (an agent's mistake), FRAD (fraud).")
    var reason: String

    @OptionGroup var common: CommonOptions

    func execute(in session: Session, commandText: String) throws -> Output {
        let (engine, context) = try session.context(commandText)
        let view = try engine.recallPayout(id, reason: reason, context)
        return Output(
            text: PayoutRendering.text(view), json: PayoutRendering.json(view),
            notices: view.warnings)
    }
}

struct PayoutShow: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "One payout, by id or UETR.")
    static let examples = [
        "payout show 1", "payout show eb6305c9-1f7f-49de-aed0-16487c27b42d --json",
    ]

    @Argument(help: "The payout's id or UETR.")
    var id: String

    @OptionGroup var common: CommonOptions

    func execute(in session: Session, commandText: String) throws -> Output {
        let (engine, actor) = try session.engine()
        let view = try engine.payout(id, as: actor)
        return Output(text: PayoutRendering.text(view), json: PayoutRendering.json(view))
    }
}

struct PayoutList: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "A company's payouts.")
    static let examples = ["payout list acme", "payout list acme --status quoted"]

    @Argument(help: "The company.")
    var company: String

    @Option(help: "Only this status: quoted, approved, released, credited, returned, cancelled.")
    var status: String?

    @OptionGroup var common: CommonOptions

    func execute(in session: Session, commandText: String) throws -> Output {
        let (engine, actor) = try session.engine()
        let wanted = try status.map { try choice($0, of: PayoutStatus.self, option: "--status") }
        let views = try engine.payouts(company: company, status: wanted, as: actor)
        var table = Table([
            .init("ID", .right), .init("BENEFICIARY"), .init("STATUS"), .init("SENDS", .right),
            .init("DELIVERS", .right), .init("COST %", .right), .init("RELEASE"), .init("ETA"),
        ])
        table.rows = views.map {
            [
                "\($0.id)", $0.beneficiary, $0.status,
                "\($0.quote.instructed) \($0.quote.sendCurrency)",
                "\($0.quote.delivered) \($0.quote.targetCurrency)", $0.quote.costPercent,
                $0.quote.releaseAt,
                $0.quote.eta,
            ]
        }
        return Output(
            text: views.isEmpty ? "no payouts\n" : table.rendered(),
            json: .array(views.map(PayoutRendering.json)))
    }
}
