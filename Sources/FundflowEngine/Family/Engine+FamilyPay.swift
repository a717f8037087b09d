import FundflowCore
import FundflowStore

/// `pay --family ID --merchant M --category C "AMOUNT CCY" [--own-first|--pool-first|--split
/// own=A|pool=A]`.
public struct FamilyPayRequest: Sendable {
    public let family: String
    public let merchant: String
    public let category: String
    public let amount: String
    /// `own-first`, `pool-first`, `own=A`, `pool=A`; nil follows the policy.
    public let funding: String?
    public let key: String?
    public let expiresInSeconds: Int64
    /// For a bill in another currency: the price the member was shown; a different price now
    /// (new rates) refuses the payment rather than charge what was not shown.
    public let expectedSpend: String?
    /// Pay even though the same member paid the same merchant the same amount within a minute.
    public let confirmDuplicate: Bool

    /// A family purchase's order waits a week; its request waits at most 24 hours.
    public static let defaultExpirySeconds: Int64 = 7 * 24 * 3600

    public init(
        family: String, merchant: String, category: String, amount: String, funding: String?,
        key: String?, expiresInSeconds: Int64? = nil, expectedSpend: String? = nil,
        confirmDuplicate: Bool = false
    ) {
        self.family = family
        self.merchant = merchant
        self.category = category
        self.amount = amount
        self.funding = funding
        self.key = key
        self.expiresInSeconds = expiresInSeconds ?? Self.defaultExpirySeconds
        self.expectedSpend = expectedSpend
        self.confirmDuplicate = confirmDuplicate
    }
}

/// What `pay` did: paid at once (with the split), or turned into a request.
public struct FamilyPayOutcome: Equatable, Sendable, Codable, Replayable {
    public let status: String
    public let order: Int64
    public let family: String
    public let member: String
    public let merchant: String
    public let category: String
    public let amount: String
    public let own: String?
    public let pool: String?
    /// A purchase in another currency: its price in the family's currency.
    public let quote: FamilyPurchaseQuote?
    public let request: FamilyRequestView?
    /// The same request was already waiting: this one joined it.
    public let joined: Bool
    /// What else happened: a pending request for the same purchase withdrawn because the
    /// payment no longer needs approval, or the earlier payment this one looks like.
    public let note: String?
}

/// A request as `request list` shows it.
public struct FamilyRequestView: Equatable, Sendable, Codable {
    public let id: Int64
    public let family: String
    public let member: String
    public let amount: String
    public let currency: String
    public let merchant: String
    public let category: String
    public let status: String
    public let expiresAt: String
    public let approvals: [String]
    public let approvalsNeeded: Int
    public let reasons: [String]
    public let order: Int64
}

extension Engine {
    /// A family member pays a merchant: the rules decide (pay, ask, or refuse), the funding order
    /// splits the bill between their own wallet and the pool, and the order is paid from both
    /// in one transaction — all legs or none.
    public func payFamily(
        _ request: FamilyPayRequest, _ context: CommandContext
    ) throws -> Keyed<FamilyPayOutcome> {
        let key = try SystemKey.user(request.key)
        // A bill in another currency needs rates, loaded (once) in a transaction of their own.
        if let bill = try? Money.parsePositive(request.amount),
            try store.read({ try $0.family(id: request.family)?.currency }) != bill.currency
        {
            try ensureRates()
        }
        let fingerprint = RequestFingerprint(
            command: "pay",
            fields: [
                .init("payer", context.actor.name),
                .init("family", request.family), .init("merchant", request.merchant),
                .init("category", request.category), .init("amount", request.amount),
                .init("funding", request.funding ?? "policy"),
                .init("expires", String(request.expiresInSeconds)),
                .init("confirm-duplicate", request.confirmDuplicate ? "yes" : "no"),
            ])
        return try mutate(
            context, needs: nil, request: IdempotentRequest(key: key, fingerprint: fingerprint)
        ) { mutation in
            let access = try familyAccess(
                request.family, context.actor, in: mutation.transaction, action: "pay",
                allowed: \.spends)
            try PartyName.validate(request.merchant, role: "merchant")
            let category = SpendPolicy.category(request.category)
            _ = try Self.categories(category)
            try Self.checkExpiry(request.expiresInSeconds)
            let bill = try Money.parsePositive(
                request.amount, defaultCurrency: access.family.currency)
            let (amount, quote) = try price(
                bill, in: access.family.currency, mutation.transaction)
            if let expected = request.expectedSpend, expected != amount.description {
                throw EngineError.invalidArgument(
                    "the price of \(bill) changed from \(expected) to \(amount) (new rates): pay again to see it"
                )
            }
            let me = access.me
            let choice = try fundingChoice(request.funding, member: me, currency: amount.currency)
            let decision = try decide(
                me, spend: amount.minorUnits, category: category, access: access,
                in: mutation.transaction)
            switch decision {
            case .refused(let reason):
                throw FamilyError.spendRefused(member: me.person, reason: reason)
            case .request(let needed, let reasons):
                return try ask(
                    request, amount: amount, bill: bill, quote: quote, category: category,
                    choice: choice, needed: needed, reasons: reasons, key: key, access: access,
                    in: mutation)
            case .allowed:
                // A double tap: the same purchase paid within the last minute waits for
                // `--confirm-duplicate` (DESIGN.md §4); nothing moves.
                if !request.confirmDuplicate,
                    let earlier = try mutation.transaction.similarOrders(
                        payer: Self.familyPayer(access), payee: request.merchant, amount: amount,
                        since: Self.duplicateWindowStart(mutation.now),
                        until: mutation.now
                    ).last(where: { $0.paymentState == .succeeded })?.id
                {
                    return FamilyPayOutcome(
                        status: "held", order: earlier, family: access.family.id,
                        member: me.person, merchant: request.merchant, category: category,
                        amount: amount.description, own: nil, pool: nil, quote: quote,
                        request: nil, joined: false,
                        note:
                            "order \(earlier) paid the same \(amount) at \(request.merchant) less than a minute ago; nothing was paid now: pay again with --confirm-duplicate to pay it twice"
                    )
                }
                // The same purchase waiting for approval (asked before the rules changed) is
                // withdrawn: paying now and approving it later would pay twice.
                var note: String?
                if let waiting = try mutation.transaction.pendingFamilyRequest(
                    family: access.family.id, member: me.person, merchant: request.merchant,
                    category: category, amount: amount, funding: Self.fundingText(choice),
                    now: mutation.now)
                {
                    try mutation.transaction.decideFamilyRequest(
                        id: waiting.id, status: "declined", by: me.person, at: mutation.now)
                    try closeIfOpen(waiting.order, in: mutation)
                    note =
                        "request \(waiting.id) for the same purchase is withdrawn: it no longer needs approval"
                }
                let split = try coPayment(
                    amount.minorUnits, choice: choice, member: me.person, access: access,
                    in: mutation.scope)
                let order = try insertOrder(
                    familyOrder(key: key, request, amount: amount, access: access, mutation),
                    why: nil, in: mutation)
                try mutation.transaction.insertFamilyPayment(
                    order: order.id, family: access.family.id, member: me.person,
                    merchant: request.merchant, category: category,
                    spendMinor: amount.minorUnits, bill: bill, rate: quote?.midRate,
                    at: mutation.now)
                try settle(order, split: split, member: me.person, access: access, in: mutation)
                return FamilyPayOutcome(
                    status: "paid", order: order.id, family: access.family.id,
                    member: me.person, merchant: request.merchant, category: category,
                    amount: amount.description, own: access.money(split.own).description,
                    pool: access.money(split.pool).description, quote: quote, request: nil,
                    joined: false, note: note)
            }
        }
    }

    /// The payer of a member's orders: the same one each time, so the order machinery's
    /// like-order search finds a double tap.
    static func familyPayer(_ access: FamilyAccess) -> String {
        "\(access.family.id)-\(access.me.person)"
    }

    private func familyOrder(
        key: String, _ request: FamilyPayRequest, amount: Money, access: FamilyAccess,
        _ mutation: Mutation
    ) -> NewOrder {
        NewOrder(
            key: key, payer: Self.familyPayer(access), payee: request.merchant,
            amount: amount, reference: "family \(access.family.id) \(request.category)",
            paymentState: .open, withholding: false, createdAt: mutation.now,
            expiresAt: mutation.now.adding(milliseconds: request.expiresInSeconds * 1000),
            remindAt: nil, actor: mutation.context.actor.name)
    }

    /// Turns a payment the rules do not let through into a request, or joins the same one
    /// already waiting.
    private func ask(
        _ request: FamilyPayRequest, amount: Money, bill: Money, quote: FamilyPurchaseQuote?,
        category: String, choice: CoPayment.Choice,
        needed: Int, reasons: [String], key: String, access: FamilyAccess, in mutation: Mutation
    ) throws -> FamilyPayOutcome {
        let me = access.me
        let funding = Self.fundingText(choice)
        let approvers = try approvers(
            for: me.person, family: access.family.id, in: mutation.transaction)
        if approvers.count < needed {
            throw FamilyError.quorumUnmet(member: me.person, needed: needed, available: approvers)
        }
        var joined = false
        let row: FamilyRequestRow
        if let waiting = try mutation.transaction.pendingFamilyRequest(
            family: access.family.id, member: me.person, merchant: request.merchant,
            category: category, amount: amount, funding: funding, now: mutation.now)
        {
            row = waiting
            joined = true
        } else {
            let order = try insertOrder(
                familyOrder(key: key, request, amount: amount, access: access, mutation),
                why: "waiting for approval", in: mutation)
            try mutation.transaction.insertFamilyPayment(
                order: order.id, family: access.family.id, member: me.person,
                merchant: request.merchant, category: category, spendMinor: amount.minorUnits,
                bill: bill, rate: quote?.midRate, at: mutation.now)
            let expiresAt = min(
                mutation.now.adding(milliseconds: Self.requestLifetimeMilliseconds),
                order.expiresAt)
            row = try mutation.transaction.insertFamilyRequest(
                family: access.family.id, member: me.person, order: order.id, funding: funding,
                reasons: reasons, approvalsNeeded: needed, at: mutation.now, expiresAt: expiresAt)
            try mutation.transaction.scheduleJob(
                .requestExpire, subject: row.id, seq: 0, dueAt: expiresAt, at: mutation.now)
            for approver in approvers {
                try mutation.transaction.insertFamilyNotice(
                    family: access.family.id, recipient: approver,
                    text:
                        "\(me.person) asks to pay \(amount)\(bill == amount ? "" : " (\(bill))") at \(request.merchant) (\(category)): request \(row.id), `request approve \(row.id)` or `request decline \(row.id)`; \(reasons.joined(separator: "; "))",
                    order: order.id, at: mutation.now)
            }
        }
        let view = try requestView(row, in: mutation.transaction, now: mutation.now)
        return FamilyPayOutcome(
            status: "request", order: row.order, family: access.family.id, member: me.person,
            merchant: request.merchant, category: category, amount: amount.description,
            own: nil, pool: nil, quote: quote, request: view, joined: joined, note: nil)
    }

    /// Pays an order from the member's wallet and the pool as split, marks the family payment
    /// paid and tells the sponsors.
    func settle(
        _ order: OrderRow, split: CoPayment, member: String, access: FamilyAccess,
        in mutation: Mutation
    ) throws {
        var parts: [(account: String, amountMinor: Int64)] = []
        if split.own > 0 { parts.append((access.wallet(of: member), split.own)) }
        if split.pool > 0 { parts.append((access.pool, split.pool)) }
        try payFromAccounts(parts, order: order, in: mutation)
        guard let paid = try mutation.transaction.order(id: order.id),
            paid.paymentState == .succeeded
        else {
            preconditionFailure("a family order paid from ledger accounts did not succeed")
        }
        try mutation.transaction.markFamilyPaymentPaid(
            order: order.id, ownMinor: split.own, poolMinor: split.pool, at: mutation.now)
        guard let payment = try mutation.transaction.familyPayment(order: order.id) else { return }
        let spend = access.money(payment.spendMinor)
        try convertForMerchant(payment, spend: spend, in: mutation)
        // Sponsors hear of what the pool paid for; a purchase from the member's own wallet
        // alone is nobody else's business.
        guard split.pool > 0 else { return }
        for sponsor in try sponsors(of: access.family, in: mutation.transaction)
        where sponsor != member {
            try mutation.transaction.insertFamilyNotice(
                family: access.family.id, recipient: sponsor,
                text:
                    "\(member) paid \(spend)\(payment.billCurrency == spend.currency.code ? "" : " (\(Money(minorUnits: payment.billMinor, currency: Currency.lookup(payment.billCurrency) ?? spend.currency)))") at \(payment.merchant) (\(payment.category)); the pool paid \(access.money(split.pool))",
                order: order.id, at: mutation.now)
        }
    }

    /// The people who fund the pool and are told of every debit: the owner and whoever has
    /// deposited into the pool, while they are members.
    func sponsors(of family: FamilyRow, in transaction: StoreTransaction) throws -> [String] {
        let active = Set(
            try transaction.familyMembers(family: family.id).filter(\.isActive).map(\.person))
        var names = [family.owner]
        for deposit in try transaction.familyDeposits(family: family.id)
        where deposit.target == "pool" && !names.contains(deposit.depositor) {
            names.append(deposit.depositor)
        }
        return names.filter(active.contains)
    }

    /// The rules' answer for a member's spend now, counting what they already spent today and
    /// this month in the family's time zone.
    func decide(
        _ member: FamilyMemberRow, spend: Int64, category: String, access: FamilyAccess,
        in transaction: StoreTransaction
    ) throws -> SpendDecision {
        let now = try time(in: transaction)
        let lessRefunds = access.family.refundsRestoreLimits
        let today = try transaction.familySpend(
            family: access.family.id, member: member.person,
            in: access.calendar.window(.day, containing: now), lessRefunds: lessRefunds)
        let month = try transaction.familySpend(
            family: access.family.id, member: member.person,
            in: access.calendar.window(.month, containing: now), lessRefunds: lessRefunds)
        return SpendRules.decide(
            policy: member.policy, spend: spend, category: category, spentToday: today,
            spentThisMonth: month, format: { access.money($0).description })
    }

    /// Splits a bill over the member's wallet and the pool on their available balances now.
    func coPayment(
        _ bill: Int64, choice: CoPayment.Choice, member: String, access: FamilyAccess,
        in scope: TransactionScope
    ) throws -> CoPayment {
        // Only the member may learn what their own wallet holds.
        let forMember = access.me.person == member
        let own = try available(access.wallet(of: member), in: scope)
        let pool = try available(access.pool, in: scope)
        switch CoPayment.split(bill: bill, choice: choice, ownAvailable: own, poolAvailable: pool) {
        case .success(let split): return split
        case .failure(.partOverBill(let part, let bill)):
            throw EngineError.invalidArgument(
                "--split \(access.money(part)) is more than the bill of \(access.money(bill))")
        case .failure(.short(let ownAvailable, let poolAvailable, let bill)):
            throw FamilyError.short(
                member: member,
                detail: forMember
                    ? "the bill is \(access.money(bill)); your own wallet has \(access.money(ownAvailable)) and the pool \(access.money(poolAvailable)) available"
                    : "the bill is \(access.money(bill)); \(member)'s own wallet and the pool together do not cover it (the pool has \(access.money(poolAvailable)) available)"
            )
        case .failure(.sourceShort(let source, let available, let needed)):
            throw FamilyError.short(
                member: member,
                detail: source == "own" && !forMember
                    ? "\(member)'s own wallet does not cover its part of the split (\(access.money(needed)))"
                    : "the \(source == "own" ? "own wallet" : "pool") has \(access.money(available)) available, the split needs \(access.money(needed))"
            )
        }
    }

    /// The funding the member asked for, where their policy lets them choose.
    func fundingChoice(
        _ text: String?, member: FamilyMemberRow, currency: Currency
    ) throws -> CoPayment.Choice {
        let policyChoice = CoPayment.Choice.order(member.policy.funding)
        guard let text else { return policyChoice }
        let choice: CoPayment.Choice
        if let order = FundingOrder(rawValue: text) {
            choice = .order(order)
        } else {
            let pieces = text.split(separator: "=", maxSplits: 1).map(String.init)
            guard pieces.count == 2, ["own", "pool"].contains(pieces[0]) else {
                throw EngineError.invalidArgument(
                    "--split '\(text)': use own=AMOUNT or pool=AMOUNT")
            }
            let amount = try Money.parse(pieces[1], defaultCurrency: currency)
            let minor = try amount.minorUnits(in: currency)
            guard minor >= 0 else {
                throw EngineError.invalidArgument("--split: the amount cannot be negative")
            }
            choice = pieces[0] == "own" ? .ownPart(minor) : .poolPart(minor)
        }
        if choice != policyChoice && !(member.policy.override ?? member.role.overridesByDefault) {
            throw FamilyError.overrideNotAllowed(member: member.person)
        }
        return choice
    }

    static func fundingText(_ choice: CoPayment.Choice) -> String {
        switch choice {
        case .order(let order): order.rawValue
        case .ownPart(let minor): "own=\(minor)"
        case .poolPart(let minor): "pool=\(minor)"
        }
    }

    static func fundingChoice(stored text: String) -> CoPayment.Choice {
        if let order = FundingOrder(rawValue: text) { return .order(order) }
        let pieces = text.split(separator: "=", maxSplits: 1).map(String.init)
        let minor = pieces.count == 2 ? Int64(pieces[1]) ?? 0 : 0
        return pieces.first == "pool" ? .poolPart(minor) : .ownPart(minor)
    }
}
