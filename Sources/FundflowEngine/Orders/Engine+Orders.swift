public import FundflowCore
import FundflowStore

/// `order create --payer P --payee P "AMOUNT CCY"`.
public struct CreateOrderRequest: Sendable {
    public let payer: String
    public let payee: String
    public let amount: String
    public let expiresInSeconds: Int64
    public let remindBeforeSeconds: Int64
    public let key: String?
    public let reference: String?
    public let confirmDuplicate: Bool
    public let withholding: Bool

    public static let defaultExpirySeconds: Int64 = 30 * 60
    public static let defaultReminderSeconds: Int64 = 5 * 60

    public init(
        payer: String, payee: String, amount: String, expiresInSeconds: Int64? = nil,
        remindBeforeSeconds: Int64? = nil,
        key: String? = nil, reference: String? = nil, confirmDuplicate: Bool = false,
        withholding: Bool = false
    ) {
        self.payer = payer
        self.payee = payee
        self.amount = amount
        self.expiresInSeconds = expiresInSeconds ?? Self.defaultExpirySeconds
        self.remindBeforeSeconds = remindBeforeSeconds ?? Self.defaultReminderSeconds
        self.key = key
        self.reference = reference
        self.confirmDuplicate = confirmDuplicate
        self.withholding = withholding
    }
}

/// What `order create` did: the order, and whether it is the first result of a repeated key.
public struct OrderOutcome: Equatable, Sendable, Codable, Replayable {
    public let order: OrderView
    public let replayed: Bool
}

extension Engine {
    /// How close two orders of the same payer, payee and amount may be before the second is held
    /// as a possible duplicate: `[t, t + 60 s)`.
    public static let duplicateWindowMilliseconds: Int64 = 60_000

    /// The earliest moment an earlier entry can be and still make one at `now` a possible
    /// duplicate (the window is `[t, t + 60 s)`).
    static func duplicateWindowStart(_ now: Timestamp) -> Timestamp {
        now.adding(milliseconds: -(duplicateWindowMilliseconds - 1))
    }

    /// Creates a trade order and its payment order. The same key returns the same order (and,
    /// with `--confirm-duplicate`, releases it if it was held); a different request under the key
    /// is refused naming the field.
    public func createOrder(
        _ request: CreateOrderRequest, _ context: CommandContext
    ) throws -> OrderOutcome {
        let key = try SystemKey.user(request.key)
        return try mutate(context, needs: .manageLedger) { mutation in
            let amount = try Money.parsePositive(request.amount)
            try PartyName.validate(request.payer, role: "payer")
            try PartyName.validate(request.payee, role: "payee")
            try Self.checkExpiry(request.expiresInSeconds)
            if let existing = try mutation.transaction.order(key: key) {
                return try repeatCreate(existing, request, amount: amount, in: mutation)
            }
            let now = mutation.now
            let similar = try mutation.transaction.similarOrders(
                payer: request.payer, payee: request.payee, amount: amount,
                since: Self.duplicateWindowStart(now),
                until: now)
            let held = !similar.isEmpty && !request.confirmDuplicate
            let expiresAt = now.adding(milliseconds: request.expiresInSeconds * 1000)
            let remindAt = expiresAt.adding(milliseconds: -request.remindBeforeSeconds * 1000)
            let order = try insertOrder(
                NewOrder(
                    key: key, payer: request.payer, payee: request.payee, amount: amount,
                    reference: request.reference,
                    paymentState: held ? .held : .open, withholding: request.withholding,
                    createdAt: now,
                    expiresAt: expiresAt, remindAt: remindAt > now ? remindAt : nil,
                    actor: mutation.context.actor.name),
                why: held
                    ? "like order \(similar.map { String($0.id) }.joined(separator: ", ")) of the last minute"
                    : nil, in: mutation)
            return OrderOutcome(
                order: try view(of: order.id, in: mutation.transaction), replayed: false)
        }.value
    }

    /// The longest an order may stay open: a year.
    static let longestExpirySeconds: Int64 = 366 * 24 * 3600

    static func checkExpiry(_ seconds: Int64) throws {
        guard (1...longestExpirySeconds).contains(seconds) else {
            throw EngineError.invalidArgument(
                "--expires must be from 1 to \(longestExpirySeconds) seconds (a year), not \(seconds)"
            )
        }
    }

    /// Writes a new order with its first events and its expiry (and reminder) jobs.
    func insertOrder(_ new: NewOrder, why: String?, in mutation: Mutation) throws -> OrderRow {
        let order = try mutation.transaction.insertOrder(new)
        try recordEvent(
            mutation, order: order.id, object: "trade order \(order.id)", from: nil,
            to: "created", detail: "\(new.amount) from \(new.payer) to \(new.payee)")
        try recordEvent(
            mutation, order: order.id, object: "payment order \(order.id)", from: nil,
            to: order.paymentState.rawValue, detail: why)
        try mutation.transaction.scheduleJob(
            .expire, subject: order.id, seq: 0, dueAt: new.expiresAt, at: mutation.now)
        if let remind = order.remindAt {
            try mutation.transaction.scheduleJob(
                .reminder, subject: order.id, seq: 0, dueAt: remind, at: mutation.now)
        }
        return order
    }

    private func repeatCreate(
        _ existing: OrderRow, _ request: CreateOrderRequest, amount: Money, in mutation: Mutation
    )
        throws -> OrderOutcome
    {
        let fields: [(String, Bool)] = [
            ("payer", existing.payer == request.payer), ("payee", existing.payee == request.payee),
            ("amount", existing.amount == amount),
            ("reference", existing.reference == request.reference),
            (
                "expires",
                existing.expiresAt.millisecondsSinceEpoch
                    - existing.createdAt.millisecondsSinceEpoch == request.expiresInSeconds * 1000
            ),
            ("withholding", existing.withholding == request.withholding),
        ]
        if let differing = fields.first(where: { !$0.1 }) {
            throw EngineError.idempotencyConflict(key: existing.key, field: differing.0)
        }
        if existing.paymentState == .held && request.confirmDuplicate {
            try transitionOrder(existing.id, .confirmDuplicate, in: mutation)
            return OrderOutcome(
                order: try view(of: existing.id, in: mutation.transaction), replayed: false)
        }
        return OrderOutcome(
            order: try view(of: existing.id, in: mutation.transaction), replayed: true)
    }

    /// `order pay ID --from SOURCE[=AMOUNT] …`: one flow per source. Ledger sources are booked at
    /// once (all or none: one short wallet refuses the whole payment); channel sources are
    /// accepted now and sent by the job queue. The amounts must add up to the order's amount;
    /// one source without an amount takes the rest.
    public func payOrder(
        id: Int64, sources: [String], key: String?, _ context: CommandContext
    ) throws -> Keyed<OrderView> {
        let key = try SystemKey.user(key)
        let fingerprint = RequestFingerprint(
            command: "order pay",
            fields: [.init("order", String(id)), .init("sources", sources.joined(separator: " "))])
        return try mutate(
            context, needs: .manageLedger,
            request: IdempotentRequest(key: key, fingerprint: fingerprint)
        ) {
            mutation in
            guard let order = try mutation.transaction.order(id: id) else {
                throw OrderError.notFound(String(id))
            }
            let split = try splitSources(sources, order: order, in: mutation.transaction)
            try startFlows(split, order: order, in: mutation)
            return try view(of: order.id, in: mutation.transaction)
        }
    }

    /// Starts one flow per part of an order being paid: ledger flows are booked at once (all or
    /// none), channel flows are sent by the job queue. Shared by `order pay` and family payments.
    func startFlows(_ split: [SourcePart], order: OrderRow, in mutation: Mutation) throws {
        _ = try order.paymentState.applying(.submitFlows)
        // Paying again is only for an order whose flows all wait for reconciliation or failed;
        // the waiting ones are replaced: should one still succeed, it is refunded.
        let earlier = try mutation.transaction.flows(order: order.id).filter { !$0.replaced }
        let live: Set<FlowState> = [.accepted, .processing, .succeeded]
        if earlier.contains(where: { live.contains($0.status.state) }) {
            throw OrderError.invalidTransition(
                state: "paying with flows in progress", event: "pay")
        }
        for flow in earlier where flow.status.state == .awaitingReconciliation {
            try mutation.transaction.markFlowReplaced(id: flow.id)
            try recordEvent(
                mutation, order: order.id, object: "flow \(flow.id)",
                from: flow.status.state.rawValue,
                to: flow.status.state.rawValue, detail: "replaced by a new attempt to pay")
        }
        let currency = order.amount.currency
        try ensureAccount(SystemAccount.transit(currency), currency, in: mutation.scope)
        var created: [FlowRow] = []
        let existing = try mutation.transaction.flows(order: order.id).count
        for (index, part) in split.enumerated() {
            var channel: String?
            if case .channel(let name) = part.source { channel = name }
            let flow = try mutation.transaction.insertFlow(
                order: order.id, source: part.text, channel: channel,
                amountMinor: part.amountMinor,
                reference: "o\(order.id)f\(existing + index + 1)", attempt: 1, at: mutation.now)
            try recordEvent(
                mutation, order: order.id, object: "flow \(flow.id)", from: nil, to: "accepted",
                detail:
                    "\(Money(minorUnits: part.amountMinor, currency: currency)) from \(part.text)"
            )
            created.append(flow)
        }
        try transitionOrder(order.id, .submitFlows, in: mutation)
        for flow in created {
            if flow.channel == nil {
                guard let current = try mutation.transaction.flow(id: flow.id) else { continue }
                try advanceFlow(
                    current, by: .syncResponse(.success), code: nil, subCode: nil,
                    source: "ledger", in: mutation)
            } else {
                try mutation.transaction.scheduleJob(
                    .submit, subject: flow.id, seq: 0, dueAt: mutation.now, at: mutation.now)
            }
        }
    }

    /// Pays an order from ledger accounts only (family payments): one flow per account.
    func payFromAccounts(
        _ parts: [(account: String, amountMinor: Int64)], order: OrderRow, in mutation: Mutation
    ) throws {
        let split = try parts.map {
            SourcePart(
                text: $0.account, source: try FlowSource($0.account), amountMinor: $0.amountMinor)
        }
        try startFlows(split, order: order, in: mutation)
    }

    struct SourcePart {
        let text: String
        let source: FlowSource
        let amountMinor: Int64
    }

    /// Parses `SOURCE[=AMOUNT]` words and splits the order's amount over them.
    private func splitSources(
        _ words: [String], order: OrderRow, in transaction: StoreTransaction
    ) throws -> [SourcePart] {
        guard !words.isEmpty else {
            throw EngineError.invalidArgument("give at least one --from SOURCE")
        }
        let currency = order.amount.currency
        var parsed: [(text: String, source: FlowSource, amount: Int64?)] = []
        for word in words {
            let pieces = word.split(separator: "=", maxSplits: 1).map(String.init)
            let source = try FlowSource(pieces[0])
            if parsed.contains(where: { $0.source == source }) {
                throw OrderError.duplicateSource(pieces[0])
            }
            switch source {
            case .account(let name):
                guard let account = try transaction.account(named: name) else {
                    throw LedgerError.unknownAccount(name.rawValue)
                }
                guard account.definition.isCustomerMoney else {
                    throw EngineError.invalidArgument(
                        "\(name) is not a payer's money: pay from a wallet, a family pool or a member's wallet, or channel:NAME"
                    )
                }
                guard account.definition.currency == currency else {
                    throw LedgerError.postingCurrencyMismatch(
                        account: name.rawValue, accountCurrency: account.definition.currency.code,
                        postingCurrency: currency.code)
                }
            case .channel(let name):
                _ = try ChannelRegistry.channel(name, in: transaction)
            }
            let amount =
                try pieces.count == 2
                ? Money.parsePositive(pieces[1], defaultCurrency: currency) : nil
            if let amount, amount.currency != currency {
                throw MoneyError.currencyMismatch(amount.currency.code, currency.code)
            }
            parsed.append((pieces[0], source, amount?.minorUnits))
        }
        let named = parsed.compactMap(\.amount).reduce(0, +)
        let open = parsed.filter { $0.amount == nil }
        guard open.count <= 1 else {
            throw EngineError.invalidArgument(
                "at most one source may go without an amount (it takes the rest)")
        }
        let rest = order.amount.minorUnits - named
        guard open.isEmpty ? rest == 0 : rest > 0 else {
            throw OrderError.sourcesDoNotCoverAmount(
                order: String(order.id), amount: order.amount.description,
                sources: Money(minorUnits: named, currency: currency).description
                    + (open.isEmpty ? "" : " before the rest"))
        }
        return parsed.map {
            SourcePart(text: $0.text, source: $0.source, amountMinor: $0.amount ?? rest)
        }
    }

    /// `order close ID`: closes an unpaid order; flows still in flight are refunded if they succeed.
    public func closeOrder(id: Int64, _ context: CommandContext) throws -> OrderView {
        try mutate(context, needs: .manageLedger) { mutation in
            guard try mutation.transaction.order(id: id) != nil else {
                throw OrderError.notFound(String(id))
            }
            try transitionOrder(id, .close, in: mutation)
            return try view(of: id, in: mutation.transaction)
        }.value
    }

    public func order(id: Int64, as actor: Actor) throws -> OrderView {
        try actor.require(.readLedger)
        return try store.read { try view(of: id, in: $0) }
    }

    /// The order a refund belongs to, with all its refunds.
    public func order(ofRefund id: Int64, as actor: Actor) throws -> OrderView {
        try actor.require(.readLedger)
        return try store.read { transaction in
            guard let refund = try transaction.refund(id: id) else {
                throw OrderError.notFound("with refund \(id)")
            }
            return try view(of: refund.order, in: transaction)
        }
    }

    public func orders(
        status: PaymentOrderState?, limit: Int, as actor: Actor
    ) throws -> [OrderView] {
        try actor.require(.readLedger)
        return try store.read { transaction in
            try transaction.orders(paymentState: status, limit: max(1, min(limit, 10_000))).map {
                try view(of: $0.id, in: transaction)
            }
        }
    }
}

/// Payer and payee identifiers: they become part of account names (`settlement:pending:PAYEE:CCY`).
enum PartyName {
    static func validate(_ name: String, role: String) throws {
        guard (1...40).contains(name.count), let first = name.first,
            first.isLetter || first.isNumber,
            name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") })
        else {
            throw EngineError.invalidArgument(
                "\(role) '\(name)' must be 1 to 40 letters, digits or dashes, starting with a letter or digit"
            )
        }
    }
}
