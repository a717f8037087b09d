import FundflowCore
import FundflowStore

/// What `request approve` or `request decline` did.
public struct FamilyDecision: Equatable, Sendable, Codable, Replayable {
    public let request: FamilyRequestView
    /// `paid` when this approval completed the request, `pending` when it needs another.
    public let outcome: String
    /// Never shown to an approver: what the member's own wallet paid is theirs to know.
    public let own: String?
    public let pool: String?
}

extension Engine {
    /// `request list [--family F]`: your own requests, and as an approver every request of the
    /// families you approve for. A request past its expiry reads `expired` even before the
    /// worker has closed it.
    public func familyRequests(
        family: String?, status: String?, as actor: Actor
    ) throws -> [FamilyRequestView] {
        try store.read { transaction in
            let now = try time(in: transaction)
            let families: [FamilyRow]
            if let family {
                families = [
                    try familyAccess(family, actor, in: transaction, action: "see requests").family
                ]
            } else {
                families = try transaction.families(of: actor.name)
            }
            var views: [FamilyRequestView] = []
            for family in families {
                guard let me = try transaction.familyMember(family: family.id, person: actor.name),
                    me.isActive
                else { continue }
                for row in try transaction.familyRequests(family: family.id)
                where row.member == actor.name || me.role.approves {
                    let view = try requestView(row, in: transaction, now: now)
                    if status == nil || view.status == status { views.append(view) }
                }
            }
            return views
        }
    }

    /// `request approve ID`: an approver other than the one who asked. The last approval the
    /// request needs checks the rules and balances again at this moment and pays; an earlier one
    /// is recorded and the request keeps waiting.
    public func approveFamilyRequest(
        id: Int64, _ context: CommandContext
    ) throws
        -> FamilyDecision
    {
        try mutate(context, needs: nil) { mutation in
            let user = context.actor.name
            guard let row = try mutation.transaction.familyRequest(id: id) else {
                throw FamilyError.unknownRequest(id)
            }
            if row.member == user { throw FamilyError.ownRequest(id) }
            let access = try pendingRequest(
                row, context.actor, action: "approve requests", in: mutation)
            if row.approvals.contains(user) {
                throw FamilyError.alreadyApproved(id: id, user: user)
            }
            guard let order = try mutation.transaction.order(id: row.order),
                let payment = try mutation.transaction.familyPayment(order: row.order)
            else { throw FamilyError.unknownRequest(id) }
            let member = try activeMember(row.member, of: access, in: mutation.transaction)
            // The rules again, now: a freeze or a new cap since the request refuses it; a spend
            // grown past the two-approver threshold needs the second approver.
            var needed = row.approvalsNeeded
            switch try decide(
                member, spend: payment.spendMinor, category: payment.category, access: access,
                in: mutation.transaction)
            {
            case .refused(let reason):
                throw FamilyError.spendRefused(member: member.person, reason: reason)
            case .request(let approvers, _): needed = max(needed, approvers)
            case .allowed: break
            }
            // Only approvals of people who still approve for this member count: a guardian
            // removed since, or no longer a guardian, does not make up the quorum.
            let current = try approvers(
                for: member.person, family: access.family.id, in: mutation.transaction)
            let approvals = row.approvals.filter(current.contains) + [user]
            try mutation.transaction.setFamilyRequestApprovals(
                id: id, approvals: approvals, needed: needed)
            if approvals.count < needed {
                for other in current where !approvals.contains(other) {
                    try mutation.transaction.insertFamilyNotice(
                        family: access.family.id, recipient: other,
                        text:
                            "\(user) approved request \(id) of \(member.person) (\(order.amount) at \(payment.merchant)); it needs one more approver",
                        order: order.id, at: mutation.now)
                }
                return FamilyDecision(
                    request: try requestView(
                        try reread(id, in: mutation), in: mutation.transaction, now: mutation.now),
                    outcome: "pending", own: nil, pool: nil)
            }
            let split = try coPayment(
                payment.spendMinor, choice: Self.fundingChoice(stored: row.funding),
                member: member.person, access: access, in: mutation.scope)
            try settle(order, split: split, member: member.person, access: access, in: mutation)
            try mutation.transaction.decideFamilyRequest(
                id: id, status: "approved", by: user, at: mutation.now)
            try mutation.transaction.insertFamilyNotice(
                family: access.family.id, recipient: member.person,
                text:
                    "\(user) approved your request \(id): \(order.amount) paid at \(payment.merchant)",
                order: order.id, at: mutation.now)
            return FamilyDecision(
                request: try requestView(
                    try reread(id, in: mutation), in: mutation.transaction, now: mutation.now),
                outcome: "paid", own: nil, pool: access.money(split.pool).description)
        }.value
    }

    /// `request decline ID`: an approver says no, or the member withdraws their own request.
    public func declineFamilyRequest(
        id: Int64, _ context: CommandContext
    ) throws
        -> FamilyDecision
    {
        try mutate(context, needs: nil) { mutation in
            let user = context.actor.name
            guard let row = try mutation.transaction.familyRequest(id: id) else {
                throw FamilyError.unknownRequest(id)
            }
            let own = row.member == user
            let access = try pendingRequest(
                row, context.actor, action: "decline requests", own: own, in: mutation)
            try mutation.transaction.decideFamilyRequest(
                id: id, status: "declined", by: user, at: mutation.now)
            try closeIfOpen(row.order, in: mutation)
            if !own {
                try mutation.transaction.insertFamilyNotice(
                    family: access.family.id, recipient: row.member,
                    text: "\(user) declined your request \(id)", order: row.order,
                    at: mutation.now)
            }
            return FamilyDecision(
                request: try requestView(
                    try reread(id, in: mutation), in: mutation.transaction, now: mutation.now),
                outcome: "declined", own: nil, pool: nil)
        }.value
    }

    /// The `request_expire` job: a request nobody answered ends `expired` and its order closes.
    func expireFamilyRequest(_ job: JobRow, in mutation: Mutation) throws {
        guard let row = try mutation.transaction.familyRequest(id: job.subject),
            row.status == "pending", row.expiresAt <= mutation.now
        else { return }
        try mutation.transaction.decideFamilyRequest(
            id: row.id, status: "expired", by: nil, at: mutation.now)
        try closeIfOpen(row.order, in: mutation)
        try mutation.transaction.insertFamilyNotice(
            family: row.family, recipient: row.member,
            text: "your request \(row.id) expired: nobody answered it in time", order: row.order,
            at: mutation.now)
    }

    /// The acting user's place in the request's family, once the request is known to be one
    /// that can still be answered.
    private func pendingRequest(
        _ row: FamilyRequestRow, _ actor: Actor, action: String, own: Bool = false,
        in mutation: Mutation
    ) throws -> FamilyAccess {
        let id = row.id
        let access = try familyAccess(
            row.family, actor, in: mutation.transaction, action: action,
            allowed: { own || $0.approves })
        guard row.status == "pending" else {
            throw FamilyError.requestNotPending(id: id, status: row.status)
        }
        let order = try mutation.transaction.order(id: row.order)
        if mutation.now >= row.expiresAt || order?.paymentState.isTerminal == true {
            throw FamilyError.requestExpired(
                id: id, at: access.calendar.local(row.expiresAt) + " " + access.family.timeZone)
        }
        return access
    }

    private func reread(_ id: Int64, in mutation: Mutation) throws -> FamilyRequestRow {
        guard let row = try mutation.transaction.familyRequest(id: id) else {
            throw FamilyError.unknownRequest(id)
        }
        return row
    }

    func requestView(
        _ row: FamilyRequestRow, in transaction: StoreTransaction, now: Timestamp
    ) throws -> FamilyRequestView {
        guard let order = try transaction.order(id: row.order),
            let payment = try transaction.familyPayment(order: row.order)
        else { throw FamilyError.unknownRequest(row.id) }
        let status = row.status == "pending" && now >= row.expiresAt ? "expired" : row.status
        return FamilyRequestView(
            id: row.id, family: row.family, member: row.member,
            amount: order.amount.amountString, currency: order.amount.currency.code,
            merchant: payment.merchant, category: payment.category, status: status,
            expiresAt: row.expiresAt.iso8601, approvals: row.approvals,
            approvalsNeeded: row.approvalsNeeded, reasons: row.reasons, order: row.order)
    }
}
