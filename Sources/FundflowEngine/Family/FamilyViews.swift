import FundflowCore
import FundflowStore

/// A family as `family show` presents it to one of its members.
public struct FamilyView: Equatable, Sendable, Codable, Replayable {
    public struct Member: Equatable, Sendable, Codable {
        public let user: String
        public let role: String
        public let status: String
        public let policy: PolicyView
        /// Spend today and this month (the member and approvers see it; nil for others).
        public let spentToday: String?
        public let spentThisMonth: String?
        /// How much more the member can pay now without asking: the least headroom of the
        /// rules, and no more than the money they can reach (the pool, and their own wallet when
        /// the one looking is that member). Nil when hidden from the one looking.
        public let canSpendNow: String?
        /// The member's own wallet: shown to that member only.
        public let ownWallet: String?
        public let allowance: String?
    }

    public let id: String
    public let currency: String
    public let timeZone: String
    public let owner: String
    public let refundsRestoreLimits: Bool
    /// The pool's available balance.
    public let pool: String
    public let members: [Member]
}

/// One member's rules, amounts with the family's currency.
public struct PolicyView: Equatable, Sendable, Codable {
    public let perPayment: String?
    public let daily: String?
    public let monthly: String?
    public let allow: [String]?
    public let deny: [String]
    public let funding: String
    public let override: Bool
    public let approvalOver: String?
    public let twoApproversOver: String?
    public let frozen: Bool

    init(_ policy: SpendPolicy, role: FamilyRole, currency: Currency) {
        let money = { (minor: Int64?) in
            minor.map { Money(minorUnits: $0, currency: currency).description }
        }
        perPayment = money(policy.perPayment)
        daily = money(policy.daily)
        monthly = money(policy.monthly)
        allow = policy.allow.map { $0.sorted() }
        deny = policy.deny.sorted()
        funding = policy.funding.rawValue
        override = policy.override ?? role.overridesByDefault
        approvalOver = money(policy.approvalOver)
        twoApproversOver = money(policy.twoApproversOver)
        frozen = policy.frozen
    }
}

public struct FamilySummary: Equatable, Sendable, Codable {
    public let id: String
    public let currency: String
    public let owner: String
    public let role: String
    public let status: String
}

/// What happened when someone left or was removed.
public struct FamilyDeparture: Equatable, Sendable, Codable, Replayable {
    public let family: String
    public let user: String
    public let status: String
    public let withdrawnRequests: [Int64]
    /// What the member's own wallet held, paid out to them.
    public let paidOut: String?
}

extension Engine {
    func familyView(
        _ id: String, for viewer: String, in transaction: StoreTransaction
    ) throws -> FamilyView {
        guard let family = try transaction.family(id: id) else {
            throw FamilyError.unknownFamily(id)
        }
        let calendar = try calendar(of: family)
        let now = try time(in: transaction)
        let currency = family.currency
        let money = { (minor: Int64) in Money(minorUnits: minor, currency: currency).description }
        let members = try transaction.familyMembers(family: id)
        let viewerRole = members.first { $0.person == viewer && $0.isActive }?.role
        let pool = try available(FamilyAccounts.pool(id, currency), in: transaction)
        let allowances = try transaction.familyAllowances(family: id)
        let day = calendar.window(.day, containing: now)
        let month = calendar.window(.month, containing: now)
        return FamilyView(
            id: family.id, currency: currency.code, timeZone: family.timeZone,
            owner: family.owner, refundsRestoreLimits: family.refundsRestoreLimits,
            pool: money(pool),
            members: try members.filter { $0.isActive || $0.status == "invited" }.map { member in
                let seesSpend = member.person == viewer || viewerRole?.approves == true
                var today: Int64?
                var thisMonth: Int64?
                var canSpend: Int64?
                var own: Int64?
                if member.person == viewer {
                    own = try available(
                        FamilyAccounts.member(id, member.person, currency), in: transaction)
                }
                if seesSpend && member.isActive {
                    let spentToday = try transaction.familySpend(
                        family: id, member: member.person, in: day,
                        lessRefunds: family.refundsRestoreLimits)
                    let spentThisMonth = try transaction.familySpend(
                        family: id, member: member.person, in: month,
                        lessRefunds: family.refundsRestoreLimits)
                    today = spentToday
                    thisMonth = spentThisMonth
                    let funds = member.role.spends ? pool + (own ?? 0) : 0
                    let headroom = SpendRules.headroom(
                        policy: member.policy, spentToday: spentToday,
                        spentThisMonth: spentThisMonth)
                    canSpend = min(headroom ?? funds, funds)
                }
                let allowance = allowances.first { $0.member == member.person }.map {
                    "\(money($0.amountMinor)) every \($0.every)"
                }
                return FamilyView.Member(
                    user: member.person, role: member.role.rawValue, status: member.status,
                    policy: PolicyView(member.policy, role: member.role, currency: currency),
                    spentToday: today.map(money), spentThisMonth: thisMonth.map(money),
                    canSpendNow: canSpend.map(money), ownWallet: own.map(money),
                    allowance: allowance)
            })
    }

    /// Available balance of an account, zero when it was never opened.
    func available(_ name: String, in transaction: StoreTransaction) throws -> Int64 {
        guard let account = try transaction.account(named: try AccountName(name)) else { return 0 }
        return Int64(clamping: account.balance.availableMinor)
    }

    /// The same inside a use case: the scope holds balances its transfers changed but has not
    /// written yet.
    func available(_ name: String, in scope: TransactionScope) throws -> Int64 {
        guard let account = try scope.account(named: try AccountName(name)) else { return 0 }
        return Int64(clamping: account.balance.availableMinor)
    }
}
