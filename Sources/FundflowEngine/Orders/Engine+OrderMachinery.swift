import FundflowCore
import FundflowStore

/// Where a flow's money comes from: a ledger account (booked synchronously) or a channel.
enum FlowSource: Equatable {
    case account(AccountName)
    case channel(String)

    init(_ text: String) throws {
        if text.hasPrefix("channel:") {
            let name = String(text.dropFirst("channel:".count))
            guard !name.isEmpty else { throw OrderError.unknownChannel(text) }
            self = .channel(name)
        } else {
            self = .account(try AccountName(text))
        }
    }
}

/// The accounts the order machinery books to on its own, opened when first needed.
enum SystemAccount {
    static func transit(_ currency: Currency) -> String { "transit:gateway:\(currency.code)" }
    static func settlement(_ payee: String, _ currency: Currency) -> String {
        "settlement:pending:\(payee):\(currency.code)"
    }
    static func clearing(_ channel: String, _ currency: Currency) -> String {
        "clearing:\(channel):\(currency.code)"
    }
    static func suspense(_ currency: Currency) -> String { "suspense:\(currency.code)" }
}

extension Actor {
    /// Who the job queue acts as in the audit log.
    static let system = Actor(name: "system", role: .admin, isOperator: false)
}

extension Engine {
    /// Records a state change in the order's timeline and in the audit log.
    func recordEvent(
        _ mutation: Mutation, order: Int64, object: String, from: String?, to: String,
        detail: String? = nil
    ) throws {
        try mutation.transaction.insertEvent(
            order: order, at: mutation.now, object: object, from: from, to: to, detail: detail)
        _ = try mutation.scope.appendAudit(
            mutation.context,
            outcome: "\(object): \(from ?? "new") -> \(to)\(detail.map { " (\($0))" } ?? "")",
            marked: false, reason: nil)
    }

    /// A notice for the person at the REPL (and `run`), kept in the database.
    func notify(_ mutation: Mutation, order: Int64?, _ text: String) throws {
        _ = try mutation.transaction.insertNotice(order: order, text: text, at: mutation.now)
        mutation.scope.addNotice(text)
    }

    /// Opens a system account if it does not exist yet.
    @discardableResult
    func ensureAccount(
        _ name: String, _ currency: Currency, in scope: TransactionScope
    ) throws -> AccountName {
        let accountName = try AccountName(name)
        if try scope.account(named: accountName) == nil {
            let definition = try AccountDefinition.derive(
                name: accountName, currency: currency, requestedType: nil)
            _ = try scope.transaction.insertAccount(definition, at: scope.now)
        }
        return accountName
    }

    /// Books one two-leg movement for the order machinery.
    @discardableResult
    func move(
        _ amount: Money, from debit: String, to credit: String, kind: String, key: String,
        memo: String?,
        in mutation: Mutation
    ) throws -> TransferResult {
        try book(
            .twoLeg(debit: try AccountName(debit), credit: try AccountName(credit), amount: amount),
            kind: kind,
            key: key, memo: memo, in: mutation)
    }

    /// The account a flow's money came from: the ledger account, or the channel's clearing account.
    func sourceAccount(
        of flow: FlowRow, _ currency: Currency, in scope: TransactionScope
    ) throws -> String {
        if let channel = flow.channel {
            return try ensureAccount(SystemAccount.clearing(channel, currency), currency, in: scope)
                .rawValue
        }
        return flow.source
    }

    /// Applies an event to a payment order and carries out what it asks for. `flow` is the flow
    /// that caused it, for a late success to be refunded.
    func transitionOrder(
        _ orderID: Int64, _ event: PaymentOrderEvent, flow: FlowRow? = nil, in mutation: Mutation
    )
        throws
    {
        guard let order = try mutation.transaction.order(id: orderID) else {
            throw OrderError.notFound(String(orderID))
        }
        let (next, actions) = try order.paymentState.applying(event)
        if next != order.paymentState {
            let trade = order.tradeState.following(payment: next)
            try mutation.transaction.setOrderState(
                id: order.id, trade: trade, payment: next,
                settledAt: next.isTerminal ? mutation.now : nil)
            try recordEvent(
                mutation, order: order.id, object: "payment order \(order.id)",
                from: order.paymentState.rawValue,
                to: next.rawValue)
            if trade != order.tradeState {
                try recordEvent(
                    mutation, order: order.id, object: "trade order \(order.id)",
                    from: order.tradeState.rawValue,
                    to: trade.rawValue)
            }
        }
        let currency = order.amount.currency
        for action in actions {
            switch action {
            case .moveToPayee:
                let payee = try ensureAccount(
                    SystemAccount.settlement(order.payee, currency), currency, in: mutation.scope)
                try move(
                    order.amount, from: SystemAccount.transit(currency), to: payee.rawValue,
                    kind: "order",
                    key: SystemKey.payee(order: order.id),
                    memo: "order \(order.id) paid to \(order.payee)", in: mutation)
                try notify(
                    mutation, order: order.id,
                    "order \(order.id) is paid: \(order.amount) to \(order.payee)")
            case .reverseSucceededFlows:
                for sibling in try mutation.transaction.flows(order: order.id)
                where sibling.status.state == .succeeded && !sibling.replaced {
                    if sibling.channel == nil {
                        try reverseFlow(sibling, currency: currency, in: mutation)
                    } else {
                        // A card or wallet charge at a provider goes back through that provider.
                        try refundFromTransit(
                            sibling, of: order, why: "its order is \(next.rawValue)", in: mutation)
                    }
                }
                try notify(
                    mutation, order: order.id,
                    "order \(order.id) \(next.rawValue): what its flows collected goes back")
            case .refundLateFlow:
                if let flow {
                    try refundFromTransit(
                        flow, of: order,
                        why: "it succeeded after the order was \(order.paymentState.rawValue)",
                        in: mutation)
                }
            case .stopUnsentFlows:
                for sibling in try mutation.transaction.flows(order: order.id) {
                    try mutation.scope.cancelJobs(subject: sibling.id, kinds: [.retry])
                    if sibling.channel != nil, sibling.submittedAt == nil,
                        sibling.status.state == .accepted
                    {
                        try failUnsent(
                            sibling, why: "not sent: the order is \(next.rawValue)", in: mutation)
                    }
                }
            case .cancelTimers:
                try mutation.scope.cancelJobs(subject: order.id, kinds: [.reminder, .expire])
            }
        }
    }

    /// Sends a succeeded flow's money back by its original route because a sibling failed.
    private func reverseFlow(_ flow: FlowRow, currency: Currency, in mutation: Mutation) throws {
        guard let reversed = flow.status.reversing() else { return }
        let amount = Money(minorUnits: flow.amountMinor, currency: currency)
        let transfer = try move(
            amount, from: SystemAccount.transit(currency),
            to: try sourceAccount(of: flow, currency, in: mutation.scope),
            kind: "reversal", key: SystemKey.reversal(flow: flow.id),
            memo: "flow \(flow.id) reversed: a sibling flow failed",
            in: mutation)
        try mutation.transaction.insertReversal(
            flow: flow.id, kind: "sibling_failed", amountMinor: flow.amountMinor,
            transfer: transfer.transferID,
            reason: "a sibling flow failed", at: mutation.now)
        try mutation.transaction.updateFlow(id: flow.id, status: reversed)
        try recordEvent(
            mutation, order: flow.order, object: "flow \(flow.id)",
            from: flow.status.state.rawValue, to: reversed.state.rawValue,
            detail: "sent back to \(flow.source)")
    }

    /// A flow whose money the order cannot use (it succeeded late, twice, after being replaced, or
    /// its order failed or was given up): refunded from transit by its original route, once, under a
    /// key derived from the flow.
    func refundFromTransit(
        _ flow: FlowRow, of order: OrderRow, why: String, in mutation: Mutation
    ) throws {
        let key = SystemKey.automaticRefund(flow: flow.id)
        guard try mutation.transaction.refund(key: key) == nil else { return }
        let currency = order.amount.currency
        let refund = try mutation.transaction.insertRefund(
            key: key, order: order.id, amountMinor: flow.amountMinor, automatic: true,
            at: mutation.now)
        try recordEvent(
            mutation, order: order.id, object: "refund \(refund.id)", from: nil, to: "pending",
            detail: "automatic: flow \(flow.id) \(why)")
        try startRefundPart(
            refund: refund, flow: flow, amountMinor: flow.amountMinor,
            from: SystemAccount.transit(currency),
            currency: currency, index: 1, in: mutation)
        try settleRefund(refund.id, order: order.id, in: mutation)
        try notify(
            mutation, order: order.id,
            "flow \(flow.id) of order \(order.id) is refunded automatically: \(why)")
    }

    /// A channel flow that was never sent fails here, without a request to the channel.
    func failUnsent(_ flow: FlowRow, why: String, in mutation: Mutation) throws {
        let failed = FlowStatus(state: .failed, caseOpen: flow.status.caseOpen)
        try mutation.transaction.updateFlow(id: flow.id, status: failed, settledAt: mutation.now)
        try mutation.scope.cancelJobs(subject: flow.id, kinds: [.submit])
        try recordEvent(
            mutation, order: flow.order, object: "flow \(flow.id)",
            from: flow.status.state.rawValue, to: "failed", detail: why)
    }

    /// Moves a flow forward by one report and carries out what the transition asks for. `code` is
    /// the channel's code behind the report, for the retry rules of withholding orders.
    func advanceFlow(
        _ flow: FlowRow, by report: FlowReport, code: String?, subCode: String?, source: String,
        in mutation: Mutation
    ) throws {
        let (next, actions) = flow.status.applying(report)
        let settled = next.state.isTerminal && !flow.status.state.isTerminal
        try mutation.transaction.updateFlow(
            id: flow.id, status: next, lastCode: code, settledAt: settled ? mutation.now : nil)
        if next.state != flow.status.state {
            try recordEvent(
                mutation, order: flow.order, object: "flow \(flow.id)",
                from: flow.status.state.rawValue,
                to: next.state.rawValue,
                detail: code.map { "\(source) code \($0)\(subCode.map { "/\($0)" } ?? "")" }
                    ?? source)
        }
        guard let order = try mutation.transaction.order(id: flow.order) else {
            throw OrderError.notFound(String(flow.order))
        }
        let currency = order.amount.currency
        let amount = Money(minorUnits: flow.amountMinor, currency: currency)
        for action in actions {
            switch action {
            case .moveToTransit:
                let transit = try ensureAccount(
                    SystemAccount.transit(currency), currency, in: mutation.scope)
                try move(
                    amount, from: try sourceAccount(of: flow, currency, in: mutation.scope),
                    to: transit.rawValue,
                    kind: "flow", key: SystemKey.transit(flow: flow.id),
                    memo: "flow \(flow.id) of order \(order.id)",
                    in: mutation)
            case .stopQueries:
                try mutation.scope.cancelJobs(subject: flow.id, kinds: [.query])
            case .settleOrder(.succeeded):
                let flows = try mutation.transaction.flows(order: order.id)
                let succeeded = flows.filter { $0.status.state == .succeeded }.reduce(0) {
                    $0 + $1.amountMinor
                }
                try transitionOrder(
                    order.id, .flowSucceeded(allSucceeded: succeeded >= order.amount.minorUnits),
                    flow: try mutation.transaction.flow(id: flow.id), in: mutation)
            case .settleOrder(.failed):
                if try !scheduleRetry(flow, of: order, code: code, subCode: subCode, in: mutation) {
                    try transitionOrder(order.id, .flowFailed, flow: flow, in: mutation)
                }
            case .settleOrder:
                break
            case .openCase(let reason):
                let moved = actions.contains(.postToSuspense(moved: true))
                try openCase(
                    order: order.id, flow: flow.id, refundPart: nil, reason: reason, amount: amount,
                    clearing: try sourceAccount(of: flow, currency, in: mutation.scope),
                    moved: moved, in: mutation)
            case .postToSuspense:
                break  // posted with its case
            }
        }
    }

    /// A conflict between reports: the flow keeps its state; the movement the conflicting report
    /// asserts goes to suspense, in this transaction, until a person resolves the case.
    func openCase(
        order: Int64, flow: Int64?, refundPart: Int64?, reason: String, amount: Money,
        clearing: String, moved: Bool,
        in mutation: Mutation
    ) throws {
        let suspense = try ensureAccount(
            SystemAccount.suspense(amount.currency), amount.currency, in: mutation.scope)
        let subject = flow.map { "flow \($0)" } ?? "refund part \(refundPart ?? 0)"
        let count = try mutation.transaction.cases(open: nil).filter {
            $0.flow == flow && $0.refundPart == refundPart
        }.count
        let transfer = try move(
            amount, from: moved ? clearing : suspense.rawValue,
            to: moved ? suspense.rawValue : clearing,
            kind: "suspense", key: SystemKey.suspense(subject: subject, number: count + 1),
            memo: reason, in: mutation)
        let row = try mutation.transaction.insertCase(
            order: order, flow: flow, refundPart: refundPart, reason: reason, amount: amount,
            moved: moved,
            suspenseTransfer: transfer.transferID, at: mutation.now)
        try recordEvent(
            mutation, order: order, object: "case \(row.id)", from: nil, to: "open", detail: reason)
        try notify(
            mutation, order: order,
            "case \(row.id) opened on order \(order): \(reason); \(amount) is in suspense")
    }

    /// For a withholding order, a failure the channel marks retryable is tried again within the
    /// channel's window and attempt limit; the retry is a new flow. Returns whether one was scheduled.
    private func scheduleRetry(
        _ flow: FlowRow, of order: OrderRow, code: String?, subCode: String?, in mutation: Mutation
    )
        throws -> Bool
    {
        guard order.withholding, let channelName = flow.channel, let code else { return false }
        let config = try ChannelRegistry.channel(channelName, in: mutation.transaction)
        guard config.interpret(code: code, subCode: subCode).retry == .retryable,
            flow.attempt < config.retryLimit
        else { return false }
        let interval = max(1, config.retryWindowSeconds / Int64(config.retryLimit)) * 1000
        let first =
            try mutation.transaction.flows(order: order.id).map(\.createdAt).min() ?? flow.createdAt
        let due = mutation.now.adding(milliseconds: interval)
        guard due < first.adding(milliseconds: config.retryWindowSeconds * 1000) else {
            return false
        }
        try mutation.transaction.scheduleJob(
            .retry, subject: flow.id, seq: flow.attempt + 1, dueAt: due, at: mutation.now)
        try notify(
            mutation, order: order.id,
            "flow \(flow.id) of order \(order.id) failed with \(code) (retryable): attempt \(flow.attempt + 1) at \(due.iso8601)"
        )
        return true
    }
}

/// Keys of the transfers, holds and refunds the engine makes on its own. They live in their own
/// namespace (`sys:`), which user keys may not use, so no user key can block or replay them.
enum SystemKey {
    static let prefix = "sys:"

    static func transit(flow: Int64) -> String { "\(prefix)flow:\(flow):transit" }
    static func reversal(flow: Int64) -> String { "\(prefix)flow:\(flow):reversal" }
    static func payee(order: Int64) -> String { "\(prefix)order:\(order):payee" }
    static func automaticRefund(flow: Int64) -> String { "\(prefix)auto-refund:flow:\(flow)" }
    static func refundPart(_ part: Int64) -> String { "\(prefix)refund-part:\(part)" }
    static func refundHold(_ reference: String) -> String {
        "\(prefix)refund-part:\(reference):hold"
    }
    static func suspense(subject: String, number: Int) -> String {
        "\(prefix)\(subject):case:\(number)"
    }
    static func resolution(case id: Int64) -> String { "\(prefix)case:\(id):resolution" }
    static func chargeback(_ kind: String, key: String) -> String { "\(prefix)\(kind):\(key)" }

    /// A key a person gave (`--key`), or a new one: at most 200 characters, printable, not `sys:`.
    static func user(_ key: String?) throws -> String {
        guard let key else { return Engine.generatedKey() }
        guard (1...200).contains(key.count), !key.hasPrefix(prefix),
            key.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7f })
        else {
            throw EngineError.invalidArgument(
                "key '\(key)' is not usable: 1 to 200 printable characters, not starting with '\(prefix)'"
            )
        }
        return key
    }
}
