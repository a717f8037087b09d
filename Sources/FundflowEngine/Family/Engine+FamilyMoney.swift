import FundflowCore
import FundflowStore

/// What `family deposit` booked.
public struct FamilyDepositOutcome: Equatable, Sendable, Codable, Replayable {
    public let family: String
    public let amount: String
    public let from: String
    public let to: String
    public let transferID: Int64
}

/// What `family allowance` set up and paid first.
public struct FamilyAllowanceOutcome: Equatable, Sendable, Codable, Replayable {
    public let family: String
    public let member: String
    public let amount: String?
    public let every: String?
    public let firstPaid: Bool
    public let nextAt: String?
    public let stopped: Bool
}

extension Engine {
    /// `family deposit ID "AMOUNT" [--to pool|MEMBER] [--from ACCOUNT]`: money into the pool or a
    /// member's own wallet, from outside (the currency's bank nostro, the default) or from the
    /// depositor's own wallet. Viewers cannot deposit.
    public func depositToFamily(
        id: String, amount text: String, to target: String?, from source: String?, key: String?,
        _ context: CommandContext
    ) throws -> Keyed<FamilyDepositOutcome> {
        let key = try SystemKey.user(key)
        let fingerprint = RequestFingerprint(
            command: "family deposit",
            fields: [
                .init("depositor", context.actor.name),
                .init("family", id), .init("amount", text), .init("to", target ?? "pool"),
                .init("from", source ?? "outside"),
            ])
        return try mutate(
            context, needs: nil, request: IdempotentRequest(key: key, fingerprint: fingerprint)
        ) { mutation in
            let access = try familyAccess(
                id, context.actor, in: mutation.transaction, action: "deposit money",
                allowed: \.deposits)
            let amount = try Money.parsePositive(text, defaultCurrency: access.family.currency)
            guard amount.currency == access.family.currency else {
                throw EngineError.invalidArgument(
                    "family \(id) keeps \(access.family.currency.code); deposit \(access.family.currency.code) (convert elsewhere first)"
                )
            }
            let targetName = target ?? "pool"
            let credit: String
            if targetName == "pool" {
                credit = access.pool
            } else {
                let member = try activeMember(targetName, of: access, in: mutation.transaction)
                credit = try ensureAccount(
                    access.wallet(of: member.person), amount.currency, in: mutation.scope
                ).rawValue
            }
            let debit: String
            switch source {
            case nil, "outside":
                debit = try outsideAccount(amount.currency, in: mutation)
            case "own", .some(access.wallet(of: access.me.person)):
                debit = access.wallet(of: access.me.person)
            case .some(let other):
                throw EngineError.invalidArgument(
                    "--from '\(other)': deposit from outside (the default) or from your own wallet (--from own)"
                )
            }
            guard debit != credit else {
                throw EngineError.invalidArgument(
                    "the money is already there: --from and --to are the same")
            }
            let result = try move(
                amount, from: debit, to: credit, kind: "family-deposit", key: key,
                memo: "\(context.actor.name) deposits into \(targetName) of family \(id)",
                in: mutation)
            try mutation.transaction.insertFamilyDeposit(
                family: id, depositor: context.actor.name, target: targetName,
                amountMinor: amount.minorUnits, source: debit, transfer: result.transferID,
                at: mutation.now)
            if targetName != "pool" && targetName != context.actor.name {
                try mutation.transaction.insertFamilyNotice(
                    family: id, recipient: targetName,
                    text: "\(context.actor.name) put \(amount) into your wallet",
                    order: nil, at: mutation.now)
            }
            return FamilyDepositOutcome(
                family: id, amount: amount.description, from: debit, to: credit,
                transferID: result.transferID)
        }
    }

    /// `family allowance ID MEMBER "AMOUNT" --every week|month` (owner, guardians): the pool pays
    /// the member's own wallet now and then every period, by the job queue. `--stop` ends it.
    public func setFamilyAllowance(
        id: String, member user: String, amount text: String?, every: String?, stop: Bool,
        _ context: CommandContext
    ) throws -> FamilyAllowanceOutcome {
        try mutate(context, needs: nil) { mutation in
            let access = try familyAccess(
                id, context.actor, in: mutation.transaction, action: "set allowances",
                allowed: \.manages)
            let member = try activeMember(user, of: access, in: mutation.transaction)
            // Pool money to a wallet: never to yourself, and a guardian only to those whose
            // rules a guardian sets.
            if member.person == access.me.person
                || (access.me.role != .owner && member.role.approves)
            {
                throw FamilyError.roleNotAllowed(
                    user: access.me.person, role: access.me.role.rawValue, family: id,
                    action:
                        "give \(member.person == access.me.person ? "themselves" : member.person) an allowance from the pool"
                )
            }
            if stop {
                try mutation.transaction.stopFamilyAllowances(family: id, member: member.person)
                return FamilyAllowanceOutcome(
                    family: id, member: member.person, amount: nil, every: nil, firstPaid: false,
                    nextAt: nil, stopped: true)
            }
            guard let text else {
                throw EngineError.invalidArgument("give the allowance's amount, or --stop")
            }
            guard let every, let period = FamilyCalendar.Period(rawValue: every), period != .day
            else {
                throw EngineError.invalidArgument("--every: use week or month")
            }
            let amount = try Money.parsePositive(text, defaultCurrency: access.family.currency)
            let minor = try amount.minorUnits(in: access.family.currency)
            // Changing an allowance keeps its schedule: this period was paid already.
            if let current = try mutation.transaction.familyAllowances(family: id).first(where: {
                $0.member == member.person
            }) {
                try mutation.transaction.updateFamilyAllowance(
                    id: current.id, amountMinor: minor, every: period.rawValue)
                let next = try mutation.transaction.jobs(subject: current.id, kind: .allowance)
                    .first { $0.status == "due" }?.dueAt
                return FamilyAllowanceOutcome(
                    family: id, member: member.person, amount: amount.description,
                    every: period.rawValue, firstPaid: false,
                    nextAt: next.map { access.calendar.local($0) + " " + access.family.timeZone },
                    stopped: false)
            }
            let allowance = try mutation.transaction.insertFamilyAllowance(
                family: id, member: member.person, amountMinor: minor, every: period.rawValue,
                startsAt: mutation.now, by: context.actor.name, at: mutation.now)
            guard let row = try mutation.transaction.familyAllowance(id: allowance) else {
                preconditionFailure("an inserted allowance cannot be read back")
            }
            let paid = try payAllowance(row, number: 1, access: access, in: mutation)
            let next = access.calendar.adding(period, 1, to: row.startsAt)
            return FamilyAllowanceOutcome(
                family: id, member: member.person, amount: amount.description,
                every: period.rawValue, firstPaid: paid,
                nextAt: access.calendar.local(next) + " " + access.family.timeZone,
                stopped: false)
        }.value
    }

    /// The `allowance` job: pays payment number `seq` of an allowance still active.
    func runAllowance(_ job: JobRow, in mutation: Mutation) throws {
        guard let row = try mutation.transaction.familyAllowance(id: job.subject), row.active,
            row.paidCount < job.seq,
            let family = try mutation.transaction.family(id: row.family),
            let member = try mutation.transaction.familyMember(
                family: row.family, person: row.member), member.isActive
        else { return }
        let access = FamilyAccess(family: family, me: member, calendar: try calendar(of: family))
        _ = try payAllowance(row, number: job.seq, access: access, in: mutation)
    }

    /// Pays one allowance from the pool and schedules the next. A pool too short to pay it does
    /// not stop the allowance: this one is skipped and the owner is told.
    private func payAllowance(
        _ row: FamilyAllowanceRow, number: Int, access: FamilyAccess, in mutation: Mutation
    ) throws -> Bool {
        let family = access.family
        let amount = access.money(row.amountMinor)
        let pool = try available(access.pool, in: mutation.scope)
        var paid = false
        if pool >= row.amountMinor {
            let wallet = try ensureAccount(
                access.wallet(of: row.member), family.currency, in: mutation.scope)
            try move(
                amount, from: access.pool, to: wallet.rawValue, kind: "family-allowance",
                key: "sys:family-allowance:\(row.id):\(number)",
                memo: "allowance \(number) for \(row.member) in family \(family.id)",
                in: mutation)
            try mutation.transaction.insertFamilyNotice(
                family: family.id, recipient: row.member,
                text: "your allowance of \(amount) arrived in your wallet", order: nil,
                at: mutation.now)
            paid = true
        } else {
            try mutation.transaction.insertFamilyNotice(
                family: family.id, recipient: family.owner,
                text:
                    "allowance \(number) for \(row.member) (\(amount)) not paid: the pool has \(access.money(pool))",
                order: nil, at: mutation.now)
        }
        try mutation.transaction.setFamilyAllowancePaid(id: row.id, count: number)
        guard let period = FamilyCalendar.Period(rawValue: row.every) else { return paid }
        try mutation.transaction.scheduleJob(
            .allowance, subject: row.id, seq: number + 1,
            dueAt: access.calendar.adding(period, number, to: row.startsAt), at: mutation.now)
        return paid
    }
}
