import FundflowCore
import FundflowStore

/// Who is acting in a family, as the family sees them.
struct FamilyAccess {
    let family: FamilyRow
    let me: FamilyMemberRow
    let calendar: FamilyCalendar

    var pool: String { FamilyAccounts.pool(family.id, family.currency) }
    func wallet(of member: String) -> String {
        FamilyAccounts.member(family.id, member, family.currency)
    }
    func money(_ minor: Int64) -> Money { Money(minorUnits: minor, currency: family.currency) }
}

/// The ledger accounts of a family (DESIGN.md §3).
enum FamilyAccounts {
    static func pool(_ family: String, _ currency: Currency) -> String {
        "family:\(family):pool:\(currency.code)"
    }

    static func member(_ family: String, _ member: String, _ currency: Currency) -> String {
        "member:\(family):\(member):\(currency.code)"
    }
}

extension Engine {
    /// The longest a request waits for an answer (DESIGN.md §6).
    static let requestLifetimeMilliseconds: Int64 = 24 * 3_600_000

    // MARK: Families and members

    /// `family create ID --currency CCY [--timezone TZ]`: any user; they become its owner.
    public func createFamily(
        id: String, currency code: String, timeZone: String?, _ context: CommandContext
    ) throws -> FamilyView {
        try mutate(context, needs: nil) { mutation in
            try FamilyID.validate(id)
            let currency = try Currency.named(code)
            if currency.isHistoric { throw LedgerError.historicCurrency(code) }
            let zone = timeZone ?? "UTC"
            guard FamilyCalendar(timeZone: zone) != nil else {
                throw FamilyError.invalidTimeZone(zone)
            }
            let actor = context.actor.name
            if let existing = try mutation.transaction.family(id: id) {
                guard existing.owner == actor, existing.currency == currency,
                    existing.timeZone == zone
                else { throw FamilyError.familyExists(id) }
                return try familyView(id, for: actor, in: mutation.transaction)
            }
            try mutation.transaction.insertFamily(
                id: id, currency: currency, timeZone: zone, owner: actor, at: mutation.now)
            try mutation.transaction.upsertFamilyMember(
                family: id, person: actor, role: .owner, status: "active", invitedBy: actor,
                policy: SpendPolicy(), at: mutation.now)
            try ensureAccount(FamilyAccounts.pool(id, currency), currency, in: mutation.scope)
            return try familyView(id, for: actor, in: mutation.transaction)
        }.value
    }

    /// `family invite ID USER --role R`: the owner or a guardian. An invitation is not
    /// membership: the user can do nothing in the family until they accept.
    public func inviteToFamily(
        id: String, user: String, role text: String, _ context: CommandContext
    ) throws -> FamilyView {
        try mutate(context, needs: nil) { mutation in
            let access = try familyAccess(
                id, context.actor, in: mutation.transaction, action: "invite people",
                allowed: \.manages)
            guard let role = FamilyRole(rawValue: text), FamilyRole.invitable.contains(role) else {
                throw FamilyError.invalidRole(text)
            }
            if role == .guardian && access.me.role != .owner {
                throw FamilyError.roleNotAllowed(
                    user: access.me.person, role: access.me.role.rawValue, family: id,
                    action: "invite guardians (the owner does)")
            }
            guard try mutation.transaction.person(named: user) != nil else {
                throw EngineError.unknownUser(user, operatorName: nil)
            }
            if let existing = try mutation.transaction.familyMember(family: id, person: user) {
                if existing.isActive { throw FamilyError.alreadyMember(user: user, family: id) }
                if existing.status == "invited" && existing.role == role {
                    return try familyView(id, for: context.actor.name, in: mutation.transaction)
                }
            }
            // Someone invited back keeps the rules (and a freeze) they left with.
            let earlier = try mutation.transaction.familyMember(family: id, person: user)
            try mutation.transaction.upsertFamilyMember(
                family: id, person: user, role: role, status: "invited",
                invitedBy: context.actor.name, policy: earlier?.policy ?? SpendPolicy(),
                at: mutation.now)
            try mutation.transaction.insertFamilyNotice(
                family: id, recipient: user,
                text:
                    "\(context.actor.name) invited you to family \(id) as \(role.rawValue): `family accept \(id)`",
                order: nil, at: mutation.now)
            return try familyView(id, for: context.actor.name, in: mutation.transaction)
        }.value
    }

    /// `family accept ID`: the invited user becomes a member.
    public func acceptFamily(id: String, _ context: CommandContext) throws -> FamilyView {
        try mutate(context, needs: nil) { mutation in
            let user = context.actor.name
            guard try mutation.transaction.family(id: id) != nil else {
                throw FamilyError.unknownFamily(id)
            }
            guard let member = try mutation.transaction.familyMember(family: id, person: user)
            else { throw FamilyError.notInvited(user: user, family: id) }
            if member.isActive { return try familyView(id, for: user, in: mutation.transaction) }
            guard member.status == "invited" else {
                throw FamilyError.notInvited(user: user, family: id)
            }
            try mutation.transaction.setFamilyMemberStatus(
                family: id, person: user, status: "active", at: mutation.now)
            try mutation.transaction.insertFamilyNotice(
                family: id, recipient: member.invitedBy,
                text: "\(user) accepted and is now \(member.role.rawValue) in family \(id)",
                order: nil, at: mutation.now)
            return try familyView(id, for: user, in: mutation.transaction)
        }.value
    }

    /// `family remove ID USER` (the owner, or a guardian for adults, minors and viewers).
    public func removeFromFamily(
        id: String, user: String, _ context: CommandContext
    ) throws -> FamilyDeparture {
        try mutate(context, needs: nil) { mutation in
            let access = try familyAccess(
                id, context.actor, in: mutation.transaction, action: "remove people",
                allowed: \.manages)
            guard let member = try mutation.transaction.familyMember(family: id, person: user),
                member.isActive || member.status == "invited"
            else { throw FamilyError.notMember(user: user, family: id) }
            if member.role == .owner { throw FamilyError.ownerStays(id) }
            if member.role == .guardian && access.me.role != .owner {
                throw FamilyError.roleNotAllowed(
                    user: access.me.person, role: access.me.role.rawValue, family: id,
                    action: "remove a guardian (the owner does)")
            }
            return try depart(member, status: "removed", access: access, in: mutation)
        }.value
    }

    /// `family leave ID`: a member leaves (an invited user declines the invitation).
    public func leaveFamily(id: String, _ context: CommandContext) throws -> FamilyDeparture {
        try mutate(context, needs: nil) { mutation in
            let user = context.actor.name
            guard let family = try mutation.transaction.family(id: id) else {
                throw FamilyError.unknownFamily(id)
            }
            guard let member = try mutation.transaction.familyMember(family: id, person: user),
                member.isActive || member.status == "invited"
            else { throw FamilyError.notMember(user: user, family: id) }
            if member.role == .owner { throw FamilyError.ownerStays(id) }
            let access = FamilyAccess(
                family: family, me: member, calendar: try calendar(of: family))
            return try depart(member, status: "left", access: access, in: mutation)
        }.value
    }

    /// The rule for someone leaving: their pending requests are withdrawn (declined), their
    /// allowance stops, and what their own wallet holds is paid out to them (it is their money,
    /// and nothing may stay where nobody can reach it). An approver whose going would leave a
    /// policy without its quorum cannot go until that policy changes.
    private func depart(
        _ member: FamilyMemberRow, status: String, access: FamilyAccess, in mutation: Mutation
    ) throws -> FamilyDeparture {
        let family = access.family
        let transaction = mutation.transaction
        if member.isActive && member.role.approves {
            let others = try transaction.familyMembers(family: family.id).filter {
                $0.isActive && $0.person != member.person
            }
            for other in others where other.policy.largestQuorum > 0 {
                let approvers = others.filter { $0.role.approves && $0.person != other.person }
                if approvers.count < other.policy.largestQuorum {
                    throw FamilyError.breaksQuorum(user: member.person, member: other.person)
                }
            }
        }
        var withdrawn: [Int64] = []
        for request in try transaction.familyRequests(family: family.id)
        where request.member == member.person && request.status == "pending" {
            try transaction.decideFamilyRequest(
                id: request.id, status: "declined", by: mutation.context.actor.name,
                at: mutation.now)
            try closeIfOpen(request.order, in: mutation)
            withdrawn.append(request.id)
        }
        try transaction.stopFamilyAllowances(family: family.id, member: member.person)
        let paidOut = try payOutWallet(
            family, member: member.person, event: "leave",
            memo: "\(member.person) leaves family \(family.id): own wallet paid out",
            in: mutation)?.description
        try transaction.setFamilyMemberStatus(
            family: family.id, person: member.person, status: status, at: mutation.now)
        let actor = mutation.context.actor.name
        let withdrawnText =
            withdrawn.isEmpty
            ? "" : "; requests \(withdrawn.map(String.init).joined(separator: ", ")) withdrawn"
        if actor != family.owner {
            try transaction.insertFamilyNotice(
                family: family.id, recipient: family.owner,
                text: (status == "left"
                    ? "\(member.person) left family \(family.id)"
                    : "\(actor) removed \(member.person) from family \(family.id)") + withdrawnText,
                order: nil, at: mutation.now)
        }
        if actor != member.person {
            try transaction.insertFamilyNotice(
                family: family.id, recipient: member.person,
                text: "\(actor) removed you from family \(family.id)" + withdrawnText
                    + (paidOut.map { "; your own wallet's \($0) was paid out to you" } ?? ""),
                order: nil, at: mutation.now)
        }
        // What the wallet held is the leaver's business only.
        return FamilyDeparture(
            family: family.id, user: member.person, status: status,
            withdrawnRequests: withdrawn, paidOut: actor == member.person ? paidOut : nil)
    }

    /// Where money from outside comes from and goes to: the currency's default bank's nostro.
    /// Pays what a member's own wallet holds out to them, outside our books: when they leave,
    /// and for a refund that reaches the wallet after they left. What was paid, if anything.
    func payOutWallet(
        _ family: FamilyRow, member: String, event: String, memo: String, in mutation: Mutation
    ) throws -> Money? {
        let wallet = FamilyAccounts.member(family.id, member, family.currency)
        let held = try available(wallet, in: mutation.scope)
        guard held > 0 else { return nil }
        let amount = Money(minorUnits: held, currency: family.currency)
        try move(
            amount, from: wallet, to: try outsideAccount(family.currency, in: mutation),
            kind: "family-payout",
            key: "sys:family:\(family.id):\(member):\(event):\(mutation.audit.seq)", memo: memo,
            in: mutation)
        return amount
    }

    func outsideAccount(_ currency: Currency, in mutation: Mutation) throws -> String {
        guard let bic = DefaultBanks.byCurrency[currency.code] else {
            throw CompanyError.noDefaultBank(currency.code)
        }
        return try ensureAccount("nostro:\(bic):\(currency.code)", currency, in: mutation.scope)
            .rawValue
    }

    /// `family settings ID --refunds-restore-limits yes|no` (the owner).
    public func setFamilySettings(
        id: String, refundsRestoreLimits: Bool?, _ context: CommandContext
    ) throws -> FamilyView {
        try mutate(context, needs: nil) { mutation in
            let access = try familyAccess(
                id, context.actor, in: mutation.transaction, action: "change family settings",
                allowed: { $0 == .owner })
            if let refundsRestoreLimits {
                try mutation.transaction.setRefundsRestoreLimits(
                    family: access.family.id, refundsRestoreLimits)
            }
            return try familyView(id, for: context.actor.name, in: mutation.transaction)
        }.value
    }

    /// `family list`: the families you belong to or are invited to.
    public func families(as actor: Actor) throws -> [FamilySummary] {
        try store.read { transaction in
            try transaction.families(of: actor.name).map { family in
                let me = try transaction.familyMember(family: family.id, person: actor.name)
                return FamilySummary(
                    id: family.id, currency: family.currency.code, owner: family.owner,
                    role: me?.role.rawValue ?? "", status: me?.status ?? "")
            }
        }
    }

    /// `family show ID`: members and invitations, roles, policies and what each can spend now.
    public func family(_ id: String, as actor: Actor) throws -> FamilyView {
        try store.read { transaction in
            _ = try familyAccess(id, actor, in: transaction, action: "see the family")
            return try familyView(id, for: actor.name, in: transaction)
        }
    }

    // MARK: Access

    /// The acting user's membership, refusing anyone not an active member in an allowed role.
    func familyAccess(
        _ id: String, _ actor: Actor, in transaction: StoreTransaction, action: String,
        allowed: (FamilyRole) -> Bool = { _ in true }
    ) throws -> FamilyAccess {
        guard let family = try transaction.family(id: id) else {
            throw FamilyError.unknownFamily(id)
        }
        guard let me = try transaction.familyMember(family: id, person: actor.name) else {
            throw FamilyError.notMember(user: actor.name, family: id)
        }
        if me.status == "invited" {
            throw FamilyError.invitedNotAccepted(user: actor.name, family: id)
        }
        guard me.isActive else { throw FamilyError.notMember(user: actor.name, family: id) }
        guard allowed(me.role) else {
            throw FamilyError.roleNotAllowed(
                user: actor.name, role: me.role.rawValue, family: id, action: action)
        }
        return FamilyAccess(family: family, me: me, calendar: try calendar(of: family))
    }

    func calendar(of family: FamilyRow) throws -> FamilyCalendar {
        guard let calendar = FamilyCalendar(timeZone: family.timeZone) else {
            throw FamilyError.invalidTimeZone(family.timeZone)
        }
        return calendar
    }

    /// An active member of the family other than the one acting.
    func activeMember(
        _ user: String, of access: FamilyAccess, in transaction: StoreTransaction
    ) throws -> FamilyMemberRow {
        guard let member = try transaction.familyMember(family: access.family.id, person: user)
        else { throw FamilyError.notMember(user: user, family: access.family.id) }
        if member.status == "invited" {
            throw FamilyError.invitedNotAccepted(user: user, family: access.family.id)
        }
        guard member.isActive else {
            throw FamilyError.notMember(user: user, family: access.family.id)
        }
        return member
    }

    func closeIfOpen(_ order: Int64, in mutation: Mutation) throws {
        guard let row = try mutation.transaction.order(id: order), !row.paymentState.isTerminal
        else { return }
        try transitionOrder(order, .close, in: mutation)
    }
}

/// Family ids become part of account names (`family:lee:pool:CNY`).
enum FamilyID {
    static func validate(_ id: String) throws {
        guard OwnerID.isValid(id) else { throw FamilyError.invalidFamilyID(id) }
    }
}
