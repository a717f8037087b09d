import Foundation
import FundflowCore
import FundflowStore

/// `family policy ID MEMBER …`: each option changes one rule; the others stay. Amounts are in
/// the family's currency (the code may be left out); `none` removes a limit.
public struct PolicyChange: Sendable {
    public var perPayment: String?
    public var daily: String?
    public var monthly: String?
    /// Comma-separated categories; `all` removes the allow list.
    public var allow: String?
    /// Comma-separated categories; `none` empties the deny list.
    public var deny: String?
    public var funding: String?
    /// `allowed` or `denied`.
    public var override: String?
    public var approvalOver: String?
    public var twoApproversOver: String?

    public init(
        perPayment: String? = nil, daily: String? = nil, monthly: String? = nil,
        allow: String? = nil, deny: String? = nil, funding: String? = nil,
        override: String? = nil, approvalOver: String? = nil, twoApproversOver: String? = nil
    ) {
        self.perPayment = perPayment
        self.daily = daily
        self.monthly = monthly
        self.allow = allow
        self.deny = deny
        self.funding = funding
        self.override = override
        self.approvalOver = approvalOver
        self.twoApproversOver = twoApproversOver
    }
}

extension Engine {
    /// Sets a member's rules (the owner, or a guardian for anyone but the owner and
    /// themselves). A policy whose approvals the family could not give is refused.
    public func setFamilyPolicy(
        id: String, member user: String, change: PolicyChange, _ context: CommandContext
    ) throws -> FamilyView {
        try mutate(context, needs: nil) { mutation in
            let access = try familyAccess(
                id, context.actor, in: mutation.transaction, action: "set policies",
                allowed: \.manages)
            let member = try policyTarget(user, access: access, in: mutation.transaction)
            var policy = member.policy
            let currency = access.family.currency
            // Each limit's error names its option: `--daily 'abc': …`.
            func limit(_ option: String, _ text: String?, _ current: Int64?) throws -> Int64? {
                guard let text else { return current }
                if text == "none" { return nil }
                do {
                    return try Money.parsePositive(text, defaultCurrency: currency).minorUnits(
                        in: currency)
                } catch {
                    throw EngineError.invalidArgument("--\(option) '\(text)': \(error)")
                }
            }
            policy.perPayment = try limit("per-payment", change.perPayment, policy.perPayment)
            policy.daily = try limit("daily", change.daily, policy.daily)
            policy.monthly = try limit("monthly", change.monthly, policy.monthly)
            policy.approvalOver = try limit(
                "approval-over", change.approvalOver, policy.approvalOver)
            policy.twoApproversOver = try limit(
                "two-approvers-over", change.twoApproversOver, policy.twoApproversOver)
            if let allow = change.allow {
                policy.allow = allow == "all" ? nil : try Self.categories(allow)
            }
            if let deny = change.deny {
                policy.deny = deny == "none" ? [] : try Self.categories(deny)
            }
            if let funding = change.funding {
                guard let order = FundingOrder(rawValue: funding) else {
                    throw EngineError.invalidArgument(
                        "--funding '\(funding)': use own-first or pool-first")
                }
                policy.funding = order
            }
            if let override = change.override {
                guard ["allowed", "denied"].contains(override) else {
                    throw EngineError.invalidArgument(
                        "--override '\(override)': use allowed or denied")
                }
                policy.override = override == "allowed"
            }
            if let one = policy.approvalOver, let two = policy.twoApproversOver, two < one {
                throw EngineError.invalidArgument(
                    "--two-approvers-over (\(access.money(two))) is below --approval-over (\(access.money(one))): every payment over it needs two approvers anyway; raise it or drop --approval-over"
                )
            }
            try requireQuorum(policy, for: member, access: access, in: mutation.transaction)
            try mutation.transaction.setFamilyPolicy(
                family: id, person: member.person, policy: policy)
            return try familyView(id, for: context.actor.name, in: mutation.transaction)
        }.value
    }

    /// `family freeze|unfreeze ID MEMBER`: a frozen member cannot pay, whoever approves.
    public func setFamilyFreeze(
        id: String, member user: String, frozen: Bool, _ context: CommandContext
    ) throws -> FamilyView {
        try mutate(context, needs: nil) { mutation in
            let access = try familyAccess(
                id, context.actor, in: mutation.transaction,
                action: frozen ? "freeze members" : "unfreeze members", allowed: \.manages)
            let member = try policyTarget(user, access: access, in: mutation.transaction)
            var policy = member.policy
            policy.frozen = frozen
            try mutation.transaction.setFamilyPolicy(
                family: id, person: member.person, policy: policy)
            try mutation.transaction.insertFamilyNotice(
                family: id, recipient: member.person,
                text:
                    "\(context.actor.name) \(frozen ? "froze" : "unfroze") your spending in family \(id)",
                order: nil, at: mutation.now)
            return try familyView(id, for: context.actor.name, in: mutation.transaction)
        }.value
    }

    /// Whose rules the acting manager may set: the owner anyone's; a guardian those of adults,
    /// minors and viewers (never their own: nobody writes their own limits).
    private func policyTarget(
        _ user: String, access: FamilyAccess, in transaction: StoreTransaction
    ) throws -> FamilyMemberRow {
        guard let member = try transaction.familyMember(family: access.family.id, person: user),
            member.isActive || member.status == "invited"
        else { throw FamilyError.notMember(user: user, family: access.family.id) }
        if access.me.role != .owner && (member.role.approves || member.person == access.me.person) {
            throw FamilyError.roleNotAllowed(
                user: access.me.person, role: access.me.role.rawValue, family: access.family.id,
                action: "set the rules of \(member.role.rawValue) \(member.person) (the owner does)"
            )
        }
        return member
    }

    /// The approvers a member's requests can get: active owner and guardians other than them.
    func approvers(
        for member: String, family: String, in transaction: StoreTransaction
    ) throws -> [String] {
        try transaction.familyMembers(family: family).filter {
            $0.isActive && $0.role.approves && $0.person != member
        }.map(\.person)
    }

    func requireQuorum(
        _ policy: SpendPolicy, for member: FamilyMemberRow, access: FamilyAccess,
        in transaction: StoreTransaction
    ) throws {
        let available = try approvers(
            for: member.person, family: access.family.id, in: transaction)
        if policy.largestQuorum > available.count {
            throw FamilyError.quorumUnmet(
                member: member.person, needed: policy.largestQuorum, available: available)
        }
    }

    static func categories(_ text: String) throws -> Set<String> {
        let names = text.split(separator: ",").map {
            SpendPolicy.category($0.trimmingCharacters(in: .whitespaces))
        }
        guard !names.isEmpty,
            names.allSatisfy({ name in
                !name.isEmpty && name.count <= 40
                    && name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }
            })
        else {
            throw EngineError.invalidArgument(
                "'\(text)': categories are words of letters, digits, '-' or '_', separated by commas (medical,education)"
            )
        }
        return Set(names)
    }
}

extension Money {
    /// The minor units of an amount that must be in `currency`.
    func minorUnits(in currency: Currency) throws -> Int64 {
        guard self.currency == currency else {
            throw MoneyError.currencyMismatch(self.currency.code, currency.code)
        }
        return minorUnits
    }
}
