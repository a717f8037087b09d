import FundflowCore
import FundflowStore

/// `family report ID --month YYYY-MM [--by member|category]`: spend of the payments paid in that
/// month (family time zone), gross and net of the refunds they have had since.
public struct FamilyReport: Equatable, Sendable, Codable {
    public struct Line: Equatable, Sendable, Codable {
        public let key: String
        public let payments: Int
        public let gross: String
        public let refunded: String
        public let net: String
        /// What the pool paid of the gross, and what came back to it.
        public let pool: String
        public let poolRefunded: String
        /// Gross in minor units, for the bar chart.
        public let grossMinor: Int64
    }

    public let family: String
    public let month: String
    public let by: String
    public let currency: String
    public let lines: [Line]
    public let total: Line
    /// Set when the one asking sees only part of the family's spending.
    public let scope: String
}

public struct FamilyNotification: Equatable, Sendable, Codable {
    public let id: Int64
    public let at: String
    public let text: String
    public let order: Int64?
}

/// One payment as the one looking may see it.
public struct FamilyActivity: Equatable, Sendable, Codable {
    public let order: Int64
    public let at: String
    public let member: String
    public let merchant: String
    public let category: String
    public let spend: String
    /// Shown to the member who paid only: another member's own wallet is nobody else's business.
    public let own: String?
    public let pool: String
    public let refunded: String
}

extension Engine {
    public func familyReport(
        id: String, month: String, by: String, as actor: Actor
    ) throws -> FamilyReport {
        guard ["member", "category"].contains(by) else {
            throw EngineError.invalidArgument("--by '\(by)': use member or category")
        }
        return try store.read { transaction in
            let access = try familyAccess(id, actor, in: transaction, action: "see reports")
            guard let window = access.calendar.window(month: month) else {
                throw FamilyError.invalidMonth(month)
            }
            let (payments, scope) = try visiblePayments(access, in: window, transaction)
            let refunds = try transaction.familyRefunds(family: id)
            var groups: [String: [FamilyPaymentRow]] = [:]
            for payment in payments {
                groups[by == "member" ? payment.member : payment.category, default: []].append(
                    payment)
            }
            let line = { (key: String, rows: [FamilyPaymentRow]) -> FamilyReport.Line in
                let orders = Set(rows.map(\.order))
                let back = refunds.filter { orders.contains($0.order) }
                let gross = rows.reduce(0) { $0 + $1.spendMinor }
                let refunded = back.reduce(0) { $0 + $1.amountMinor }
                let pool = rows.reduce(0) { $0 + $1.poolMinor }
                let poolBack = back.filter { $0.source == access.pool }.reduce(0) {
                    $0 + $1.amountMinor
                }
                return FamilyReport.Line(
                    key: key, payments: rows.count, gross: access.money(gross).amountString,
                    refunded: access.money(refunded).amountString,
                    net: access.money(gross - refunded).amountString,
                    pool: access.money(pool).amountString,
                    poolRefunded: access.money(poolBack).amountString, grossMinor: gross)
            }
            let lines = groups.map { line($0.key, $0.value) }.sorted {
                $0.grossMinor != $1.grossMinor ? $0.grossMinor > $1.grossMinor : $0.key < $1.key
            }
            return FamilyReport(
                family: id, month: month, by: by, currency: access.family.currency.code,
                lines: lines, total: line("total", payments), scope: scope)
        }
    }

    /// `family activity ID [--month YYYY-MM]`: the payments the one asking may see.
    public func familyActivity(
        id: String, month: String?, as actor: Actor
    ) throws -> [FamilyActivity] {
        try store.read { transaction in
            let access = try familyAccess(id, actor, in: transaction, action: "see activity")
            let window: Range<Timestamp>
            if let month {
                guard let range = access.calendar.window(month: month) else {
                    throw FamilyError.invalidMonth(month)
                }
                window = range
            } else {
                window =
                    Timestamp(
                        millisecondsSinceEpoch: 0)..<Timestamp(
                        millisecondsSinceEpoch: Int64.max)
            }
            let refunds = try transaction.familyRefunds(family: id)
            return try visiblePayments(access, in: window, transaction).0.map { payment in
                FamilyActivity(
                    order: payment.order,
                    at: access.calendar.local(payment.paidAt ?? payment.createdAt),
                    member: payment.member, merchant: payment.merchant,
                    category: payment.category,
                    spend: access.money(payment.spendMinor).description,
                    own: payment.member == access.me.person
                        ? access.money(payment.ownMinor).description : nil,
                    pool: access.money(payment.poolMinor).description,
                    refunded: access.money(
                        refunds.filter { $0.order == payment.order }.reduce(0) {
                            $0 + $1.amountMinor
                        }
                    ).description)
            }
        }
    }

    /// What one member may see of the family's payments (DESIGN.md §6): their own; as owner or
    /// guardian, everyone's (they set the rules it is spent under); as a viewer or a sponsor of
    /// the pool, what the pool paid for.
    private func visiblePayments(
        _ access: FamilyAccess, in window: Range<Timestamp>, _ transaction: StoreTransaction
    ) throws -> ([FamilyPaymentRow], String) {
        let me = access.me
        let all = try transaction.familyPayments(family: access.family.id, paidIn: window)
        if me.role.approves { return (all, "the whole family") }
        // A sponsor sees what the pool paid for from their first deposit on: a deposit is no
        // key to the family's past.
        let since: Timestamp? =
            me.role == .viewer
            ? Timestamp(millisecondsSinceEpoch: 0)
            : try transaction.familyDeposits(family: access.family.id).filter {
                $0.target == "pool" && $0.depositor == me.person
            }.map(\.at).min()
        let sponsor = since != nil
        let rows = all.filter { payment in
            payment.member == me.person
                || (payment.poolMinor > 0
                    && since.map { (payment.paidAt ?? payment.createdAt) >= $0 } == true)
        }
        return (rows, sponsor ? "your payments and what the pool paid for" : "your payments")
    }

    /// `family notifications ID`: what the family told you, oldest first.
    public func familyNotifications(id: String, as actor: Actor) throws -> [FamilyNotification] {
        try store.read { transaction in
            guard let family = try transaction.family(id: id) else {
                throw FamilyError.unknownFamily(id)
            }
            guard try transaction.familyMember(family: id, person: actor.name) != nil else {
                throw FamilyError.notMember(user: actor.name, family: id)
            }
            let calendar = try calendar(of: family)
            return try transaction.familyNotices(family: id, recipient: actor.name).map {
                FamilyNotification(
                    id: $0.id, at: calendar.local($0.at), text: $0.text, order: $0.order)
            }
        }
    }

    /// Tells the member and the pool's sponsors what a refund of a family payment gave back.
    func noticeFamilyRefund(
        order: Int64, amount: Money, in mutation: Mutation
    ) throws {
        guard let payment = try mutation.transaction.familyPayment(order: order),
            let family = try mutation.transaction.family(id: payment.family)
        else { return }
        let pool = FamilyAccounts.pool(family.id, family.currency)
        let back = try mutation.transaction.familyRefunds(family: family.id, order: order)
        let poolTotal = back.filter { $0.source == pool }.reduce(0) { $0 + $1.amountMinor }
        let money = { (minor: Int64) in Money(minorUnits: minor, currency: family.currency) }
        // A member who has left cannot reach their old wallet: what the refund put there is
        // paid out to them, as their wallet was when they left.
        let member = try mutation.transaction.familyMember(
            family: family.id, person: payment.member)
        if member?.isActive != true {
            _ = try payOutWallet(
                family, member: payment.member, event: "refund-payout",
                memo: "refund for \(payment.member), no longer in family \(family.id): paid out",
                in: mutation)
        }
        try mutation.transaction.insertFamilyNotice(
            family: family.id, recipient: payment.member,
            text:
                "\(payment.merchant) refunded \(amount) of order \(order); so far \(money(back.reduce(0) { $0 + $1.amountMinor })) back, \(money(poolTotal)) of it to the pool",
            order: order, at: mutation.now)
        for sponsor in try sponsors(of: family, in: mutation.transaction)
        where sponsor != payment.member {
            try mutation.transaction.insertFamilyNotice(
                family: family.id, recipient: sponsor,
                text:
                    "\(payment.merchant) refunded \(amount) of \(payment.member)'s payment (order \(order)); the pool has got back \(money(poolTotal)) of it",
                order: order, at: mutation.now)
        }
    }
}
