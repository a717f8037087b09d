import FundflowCore
import FundflowStore

/// A case as `case list` shows it.
public struct CaseView: Equatable, Sendable, Codable, Replayable {
    public let id: Int64
    public let order: Int64
    public let flow: Int64?
    public let refundPart: Int64?
    public let reason: String
    public let amount: String
    public let currency: String
    /// True when suspense holds money that arrived (or left) against what the flow says.
    public let suspenseHoldsMoney: Bool
    public let state: String
    public let resolution: String?
    public let openedAt: String
    public let resolvedAt: String?

    init(_ row: CaseRow) {
        id = row.id
        order = row.order
        flow = row.flow
        refundPart = row.refundPart
        reason = row.reason
        amount = row.amount.amountString
        currency = row.amount.currency.code
        suspenseHoldsMoney = row.moved
        state = row.state
        resolution = row.resolution
        openedAt = row.openedAt.iso8601
        resolvedAt = row.resolvedAt?.iso8601
    }
}

/// How a case is settled: the suspense amount goes back through the channel, or to an account.
public enum CaseResolution: Sendable, Equatable {
    case returnThroughChannel
    case account(String)
}

extension Engine {
    public func cases(open: Bool?, as actor: Actor) throws -> [CaseView] {
        try actor.require(.readLedger)
        return try store.read { try $0.cases(open: open).map(CaseView.init) }
    }

    /// `case resolve ID (--return | --to ACCOUNT) --reason R`: a compensating transfer that takes
    /// the case's amount out of suspense; the flow's own history is never rewritten.
    public func resolveCase(
        id: Int64, _ resolution: CaseResolution, reason: String, _ context: CommandContext
    ) throws
        -> CaseView
    {
        var marked = false
        if case .account(let name) = resolution { marked = CustomerMoney.isCustomer(name) }
        return try mutate(context, needs: .manageLedger, marked: marked, reason: reason) {
            mutation in
            guard let row = try mutation.transaction.flowCase(id: id) else {
                throw OrderError.caseNotFound(id)
            }
            guard row.state == "open" else { throw OrderError.caseAlreadyResolved(id) }
            guard !reason.isEmpty else {
                throw EngineError.invalidArgument("give --reason for resolving a case")
            }
            let currency = row.amount.currency
            let suspense = SystemAccount.suspense(currency)
            let other: String
            switch resolution {
            case .returnThroughChannel:
                let channel: String? =
                    if let flow = row.flow {
                        try mutation.transaction.flow(id: flow)?.channel
                    } else if let part = row.refundPart {
                        try mutation.transaction.refundPart(id: part).flatMap {
                            try mutation.transaction.flow(id: $0.flow)
                        }?.channel
                    } else { nil }
                guard let channel else { throw OrderError.caseNotFound(id) }
                other = SystemAccount.clearing(channel, currency)
            case .account(let name):
                guard try mutation.scope.account(named: try AccountName(name)) != nil else {
                    throw LedgerError.unknownAccount(name)
                }
                other = name
            }
            let transfer = try move(
                row.amount, from: row.moved ? suspense : other, to: row.moved ? other : suspense,
                kind: "case",
                key: SystemKey.resolution(case: id), memo: reason, in: mutation)
            let text =
                "\(resolution == .returnThroughChannel ? "returned through the channel" : "moved to \(other)"): \(reason)"
            try mutation.transaction.resolveCase(
                id: id, resolution: text, transfer: transfer.transferID, at: mutation.now)
            try recordEvent(
                mutation, order: row.order, object: "case \(id)", from: "open", to: "resolved",
                detail: text)
            guard let resolved = try mutation.transaction.flowCase(id: id) else {
                throw OrderError.caseNotFound(id)
            }
            return CaseView(resolved)
        }.value
    }

    /// `channel report`: a report from outside (a webhook, a statement line) for a flow or refund
    /// part, by its reference. The report id makes a repeated delivery change nothing.
    public func receiveReport(
        reference: String, source: String, code: String, subCode: String?, reportID: String,
        _ context: CommandContext
    ) throws -> OrderView {
        try mutate(context, needs: .manageLedger) { mutation in
            let transaction = mutation.transaction
            let flow = try transaction.flow(reference: reference)
            let part = try transaction.refundPart(reference: reference)
            guard
                let channelName = try flow?.channel
                    ?? part.flatMap({ try transaction.flow(id: $0.flow) })?.channel
            else {
                throw EngineError.invalidArgument(
                    "no channel flow or refund part has the reference '\(reference)'")
            }
            let config = try ChannelRegistry.channel(channelName, in: transaction)
            let outcome = config.interpret(code: code, subCode: subCode).outcome
            let report: FlowReport
            switch source {
            case "notification": report = .notification(outcome)
            case "query": report = .queryResult(outcome)
            case "reconciliation":
                guard outcome == .success else {
                    throw EngineError.invalidArgument(
                        "a reconciliation line shows money that moved: its code must mean success")
                }
                report = .reconciliationLine
            default:
                throw EngineError.invalidArgument(
                    "--source must be notification, query or reconciliation, not '\(source)'")
            }
            let answer = SandboxBehaviour.Answer(code, subCode)
            // Scoped by reference: an id from another flow's webhook is another report.
            let key = "\(source):\(reference):\(reportID)"
            if let flow {
                try self.report(
                    report, to: flow, key: key, answer: answer, source: source, in: mutation)
                return try view(of: flow.order, in: transaction)
            }
            guard let part, let refund = try transaction.refund(id: part.refund) else {
                throw EngineError.invalidArgument("no refund part has the reference '\(reference)'")
            }
            try reportRefund(
                report, to: part, key: key, answer: answer, source: source, in: mutation)
            return try view(of: refund.order, in: transaction)
        }.value
    }
}
