import FundflowCore
public import FundflowStore

/// A hold as commands show it.
public struct HoldView: Equatable, Sendable, Codable, Replayable {
    public let id: Int64
    public let key: String
    public let debit: String
    public let credit: String
    public let amount: String
    public let currency: String
    public let status: String
    public let placedAt: String
    public let expiresAt: String?
    public let closedAt: String?
    public let memo: String?
}

/// `ledger hold place`: reserve an amount now, post it (in full or part) or void it later.
public struct HoldRequest: Sendable {
    public let debit: String
    public let credit: String
    public let amount: String
    public let expiresInSeconds: Int64?
    public let key: String?
    public let memo: String?
    /// Why, when the hold reserves customer money by hand (required then, and marked).
    public let reason: String?

    public init(
        debit: String, credit: String, amount: String, expiresInSeconds: Int64?, key: String?,
        memo: String?, reason: String? = nil
    ) {
        self.debit = debit
        self.credit = credit
        self.amount = amount
        self.expiresInSeconds = expiresInSeconds
        self.key = key
        self.memo = memo
        self.reason = reason
    }
}

extension Engine {
    public func placeHold(
        _ request: HoldRequest, _ context: CommandContext
    ) throws -> Keyed<HoldView> {
        let customer = [request.debit, request.credit].first(where: CustomerMoney.isCustomer)
        let (debit, credit, amount, idempotent) = try auditingFailures(
            context, marked: customer != nil, reason: request.reason
        ) {
            try context.actor.require(.manageLedger)
            let debit = try AccountName(request.debit)
            let credit = try AccountName(request.credit)
            let amount = try Money.parsePositive(request.amount)
            if debit == credit { throw LedgerError.sameAccountBothSides(debit.rawValue) }
            try CustomerMoney.requireReason(request.reason, touching: customer)
            if let seconds = request.expiresInSeconds, seconds <= 0 {
                throw EngineError.invalidArgument("--expires must be a positive duration")
            }
            let fingerprint = RequestFingerprint(
                command: "ledger hold place",
                fields: [
                    .init("debit", debit.rawValue), .init("credit", credit.rawValue),
                    .init("amount", amount.description),
                    .init("expires", request.expiresInSeconds.map(String.init) ?? ""),
                    .init("memo", request.memo ?? ""), .init("reason", request.reason ?? ""),
                ])
            let key = try SystemKey.user(request.key)
            return (debit, credit, amount, IdempotentRequest(key: key, fingerprint: fingerprint))
        }
        return try mutate(
            context, needs: .manageLedger, request: idempotent, marked: customer != nil,
            reason: request.reason
        ) { mutation in
            let expiresAt = request.expiresInSeconds.map {
                mutation.now.adding(milliseconds: $0 * 1000)
            }
            let hold = try reserve(
                amount, debit: debit, credit: credit, key: idempotent.key, expiresAt: expiresAt,
                memo: request.memo, in: mutation.scope)
            return try view(of: hold, in: mutation.scope)
        }
    }

    /// Reserves `amount` on every account a two-leg transfer would lower and records the hold.
    func reserve(
        _ amount: Money, debit: AccountName, credit: AccountName, key: String,
        expiresAt: Timestamp?,
        memo: String?, in scope: TransactionScope
    ) throws -> HoldRow {
        let draft = TransferDraft.twoLeg(debit: debit, credit: credit, amount: amount)
        var rows: [AccountRow] = []
        for name in [debit, credit] {
            guard let row = try scope.account(named: name) else {
                throw LedgerError.unknownAccount(name.rawValue)
            }
            rows.append(row)
        }
        try draft.validate(accounts: [debit: rows[0].definition, credit: rows[1].definition])
        var updated: [AccountRow] = []
        for (row, side) in zip(rows, [Side.debit, .credit]) where side != row.definition.normalSide
        {
            var changed = row
            changed.balance = try row.balance.holding(amount.minorUnits, account: row.definition)
            updated.append(changed)
        }
        updated.forEach(scope.update)
        return try scope.transaction.insertHold(
            key: key, debitAccountID: rows[0].id, creditAccountID: rows[1].id,
            amountMinor: amount.minorUnits, placedAt: scope.now, expiresAt: expiresAt, memo: memo)
    }

    /// `ledger hold post ID [AMOUNT]`: books up to the held amount and releases the whole hold.
    public func postHold(
        id: Int64, amount: String?, key: String?, reason: String? = nil, _ context: CommandContext
    ) throws -> Keyed<TransferResult> {
        let key = try SystemKey.user(key)
        let fingerprint = RequestFingerprint(
            command: "ledger hold post",
            fields: [
                .init("hold", String(id)), .init("amount", amount ?? ""),
                .init("reason", reason ?? ""),
            ])
        let accounts = try store.read { transaction -> [String] in
            guard let hold = try transaction.hold(id: id) else { return [] }
            return try [hold.debitAccountID, hold.creditAccountID].compactMap {
                try transaction.account(id: $0)?.definition.name.rawValue
            }
        }
        let customer = accounts.first(where: CustomerMoney.isCustomer)
        return try mutate(
            context, needs: .manageLedger,
            request: IdempotentRequest(key: key, fingerprint: fingerprint),
            marked: customer != nil, reason: reason
        ) { mutation in
            try CustomerMoney.requireReason(reason, touching: customer)
            return try postReservation(id, amount: amount, key: key, in: mutation)
        }
    }

    /// Books up to a pending hold's amount (all of it when `amount` is nil) and releases the hold.
    func postReservation(
        _ id: Int64, amount: String?, key: String, in mutation: Mutation
    ) throws
        -> TransferResult
    {
        let (hold, debit, credit) = try pendingHold(id, in: mutation.scope)
        let currency = debit.definition.currency
        let posted =
            try amount.map { try Money.parsePositive($0, defaultCurrency: currency) }
            ?? Money(minorUnits: hold.amountMinor, currency: currency)
        if posted.currency != currency {
            throw LedgerError.postingCurrencyMismatch(
                account: debit.definition.name.rawValue, accountCurrency: currency.code,
                postingCurrency: posted.currency.code)
        }
        if posted.minorUnits > hold.amountMinor {
            throw LedgerError.holdPostExceedsAmount(
                id, requested: posted.description,
                held: Money(minorUnits: hold.amountMinor, currency: currency).description)
        }
        var released: [Int64: Int64] = [:]
        for row in lowered(debit, credit) { released[row.id] = hold.amountMinor }
        let result = try book(
            .twoLeg(debit: debit.definition.name, credit: credit.definition.name, amount: posted),
            kind: "hold", key: key, memo: hold.memo, hold: id, releasing: released, in: mutation)
        try mutation.transaction.closeHold(id: id, status: .posted, at: mutation.now)
        return result
    }

    /// `ledger hold void ID`: releases the reserved amount; nothing is booked.
    public func voidHold(id: Int64, _ context: CommandContext) throws -> HoldView {
        try mutate(context, needs: .manageLedger) { mutation in
            try voidReservation(id, in: mutation.scope)
            guard let closed = try mutation.transaction.hold(id: id) else {
                throw LedgerError.holdNotFound(id)
            }
            return try view(of: closed, in: mutation.scope)
        }.value
    }

    /// Releases a pending hold without booking anything.
    func voidReservation(_ id: Int64, in scope: TransactionScope) throws {
        let (hold, debit, credit) = try pendingHold(id, in: scope)
        try release(hold, debit, credit, as: .voided, in: scope, at: scope.now)
    }

    public func holds(status: HoldStatus?, as actor: Actor) throws -> [HoldView] {
        try actor.require(.readLedger)
        return try store.read { transaction in
            let scope = try makeScope(transaction)
            return try transaction.holds(status: status).map { try view(of: $0, in: scope) }
        }
    }

    /// Expires every pending hold whose time has come; runs at the start of each mutating command.
    func expireDueHolds(_ scope: TransactionScope) throws {
        for hold in try scope.transaction.holdsDue(at: scope.now) {
            guard let debit = try scope.account(id: hold.debitAccountID),
                let credit = try scope.account(id: hold.creditAccountID)
            else { preconditionFailure("hold \(hold.id) names a missing account") }
            try release(
                hold, debit, credit, as: .expired, in: scope, at: hold.expiresAt ?? scope.now)
        }
    }

    private func pendingHold(
        _ id: Int64, in scope: TransactionScope
    ) throws -> (HoldRow, AccountRow, AccountRow) {
        guard let hold = try scope.transaction.hold(id: id) else {
            throw LedgerError.holdNotFound(id)
        }
        guard hold.status == .pending else {
            throw LedgerError.holdNotPending(id, status: hold.status.rawValue)
        }
        guard let debit = try scope.account(id: hold.debitAccountID),
            let credit = try scope.account(id: hold.creditAccountID)
        else { preconditionFailure("hold \(id) names a missing account") }
        return (hold, debit, credit)
    }

    /// The accounts a hold's legs lower: a debit lowers a credit-normal account, a credit a
    /// debit-normal one.
    private func lowered(_ debit: AccountRow, _ credit: AccountRow) -> [AccountRow] {
        [(debit, Side.debit), (credit, Side.credit)].filter { $0.1 != $0.0.definition.normalSide }
            .map(\.0)
    }

    private func release(
        _ hold: HoldRow, _ debit: AccountRow, _ credit: AccountRow, as status: HoldStatus,
        in scope: TransactionScope, at time: Timestamp
    ) throws {
        for row in lowered(debit, credit) {
            var released = row
            released.balance = row.balance.releasing(hold.amountMinor)
            scope.update(released)
        }
        try scope.transaction.closeHold(id: hold.id, status: status, at: time)
    }

    private func view(of hold: HoldRow, in scope: TransactionScope) throws -> HoldView {
        guard let debit = try scope.account(id: hold.debitAccountID),
            let credit = try scope.account(id: hold.creditAccountID)
        else { preconditionFailure("hold \(hold.id) names a missing account") }
        let currency = debit.definition.currency
        return HoldView(
            id: hold.id, key: hold.key, debit: debit.definition.name.rawValue,
            credit: credit.definition.name.rawValue,
            amount: Money(minorUnits: hold.amountMinor, currency: currency).amountString,
            currency: currency.code,
            status: hold.status.rawValue, placedAt: hold.placedAt.iso8601,
            expiresAt: hold.expiresAt?.iso8601,
            closedAt: hold.closedAt?.iso8601, memo: hold.memo)
    }
}

/// The rule for moving customers' money by hand (DESIGN.md §3, issue "ledger post"): a reason is
/// required, and the audit entry is marked.
enum CustomerMoney {
    static func isCustomer(_ name: String) -> Bool {
        guard let account = try? AccountName(name) else { return false }
        return (try? AccountClass.of(account).isCustomerMoney) == true
    }

    static func requireReason(_ reason: String?, touching account: String?) throws {
        guard let account else { return }
        if (reason ?? "").allSatisfy(\.isWhitespace) {
            throw LedgerError.customerMoneyNeedsReason(account)
        }
    }
}
