import Foundation
import FundflowCore
import FundflowStore

extension Engine {
    /// `payout approve ID` (a treasurer or approver of the company who did not create it).
    ///
    /// The approval binds the quote. A quote that has expired is made again first: if it debits
    /// no more than before, the approval goes on with the new quote; if it debits more, the new
    /// quote is stored, earlier approvals are dropped and the payout waits for approval again (a
    /// warning says so). Above the company's second-approval threshold (the debit valued at the
    /// quote's mid rate), two different approvers are needed. When the last approval is given the
    /// debit (principal and billed fees) is held on the wallet until the payout is released.
    public func approvePayout(
        _ id: String, confirmDuplicate: Bool = false, _ context: CommandContext
    ) throws -> PayoutView {
        let network = try network()
        try ensureRates()
        return try mutate(context, needs: nil) { mutation in
            let transaction = mutation.transaction
            let row = try Self.findPayout(id, in: transaction)
            try requireMember(
                row.company, context.actor, roles: [.treasurer, .approver], in: transaction)
            guard row.status == PayoutStatus.quoted.rawValue else {
                if row.status == PayoutStatus.approved.rawValue,
                    row.approvals.contains(context.actor.name)
                {
                    return try payoutView(row, warnings: [], in: transaction)
                }
                throw PayoutError.notApprovable(id: row.id, status: row.status)
            }
            if let batch = row.batch { throw PayoutError.inBatch(id: row.id, batch: batch) }
            if let earlier = row.duplicateOf, !confirmDuplicate {
                throw PayoutError.heldDuplicate(id: row.id, of: earlier)
            }
            guard row.createdBy != context.actor.name else {
                throw PayoutError.ownPayout(user: context.actor.name, id: row.id)
            }
            guard !row.approvals.contains(context.actor.name) else {
                throw PayoutError.alreadyApproved(user: context.actor.name, id: row.id)
            }
            guard
                let beneficiary = try transaction.beneficiary(
                    company: row.company, id: row.beneficiary),
                beneficiary.status == BeneficiaryStatus.approved.rawValue,
                beneficiary.version == row.beneficiaryVersion
            else { throw PayoutError.beneficiaryNotApproved(row.beneficiary) }
            var quote = try JSONDecoder().decode(PayoutQuote.self, from: Data(row.quote.utf8))
            var current = row
            var warnings: [String] = []
            // An expired quote, or one whose release time has gone by, is made again (the
            // release rolls to the next cut-off).
            if mutation.now > row.expiresAt || mutation.now > row.releaseAt {
                let why =
                    mutation.now > row.expiresAt
                    ? "the quote had expired" : "its release time \(row.releaseAt) had passed"
                let terms = try PayoutTerms(row, quote)
                var (fresh, release, notes) = try quotePayout(
                    terms, to: beneficiary, network: network, now: mutation.now, in: transaction)
                warnings += notes
                warnings += try proposeFunding(&fresh, company: row.company, in: mutation.scope)
                let validity =
                    row.expiresAt.millisecondsSinceEpoch - row.createdAt.millisecondsSinceEpoch
                let expires = mutation.now.adding(milliseconds: validity)
                let before = try Money.parsePositive("\(quote.debited) \(quote.sendCurrency)")
                let after = try Money.parsePositive("\(fresh.debited) \(fresh.sendCurrency)")
                try transaction.updatePayout(
                    id: row.id, status: row.status, quote: try fresh.json(), expiresAt: expires,
                    approvals: after.minorUnits > before.minorUnits ? [] : row.approvals, hold: nil)
                try transaction.setPayoutRelease(id: row.id, at: release)
                quote = fresh
                current = try transaction.payout(id: row.id) ?? row
                if after.minorUnits > before.minorUnits {
                    warnings.append(
                        "not approved: \(why) and the new quote debits \(after) instead of \(before); approve again"
                    )
                    return try payoutView(current, warnings: warnings, in: transaction)
                }
                warnings.append(
                    "\(why); approved on a new quote that debits no more (\(after)), released \(release)"
                )
            }
            let approvals = current.approvals + [context.actor.name]
            let needed = try approvalsNeeded(current, quote: quote, in: transaction)
            var hold: Int64?
            var status = PayoutStatus.quoted
            if approvals.count >= needed {
                let debit = try Money.parsePositive("\(quote.debited) \(quote.sendCurrency)")
                // The conversion the quote proposed, worked out again on today's balances.
                if quote.funding != nil,
                    let made = try fundShortfall(
                        company: current.company, debit: debit,
                        key: SystemKey.payoutFunding(current.id), in: mutation)
                {
                    warnings.append("converted for this payout: \(made.text)")
                }
                let bank = quote.path[0]
                let reserved = try reserve(
                    debit,
                    debit: try AccountName("wallet:\(current.company):\(debit.currency.code)"),
                    credit: try AccountName("nostro:\(bank):\(debit.currency.code)"),
                    key: SystemKey.payoutHold(current.id), expiresAt: nil,
                    memo: "payout \(current.id) \(current.uetr) to \(current.beneficiary)",
                    in: mutation.scope)
                hold = reserved.id
                status = .approved
                try transaction.setPayoutDue(id: current.id, at: current.releaseAt)
            } else {
                warnings.append(
                    "approved by \(context.actor.name); a second approver is needed above the company's threshold"
                )
            }
            try transaction.updatePayout(
                id: current.id, status: status.rawValue, quote: try quote.json(),
                expiresAt: current.expiresAt,
                approvals: approvals, hold: hold)
            guard let updated = try transaction.payout(id: current.id) else {
                throw PayoutError.unknownPayout(id)
            }
            return try payoutView(updated, warnings: warnings, in: transaction)
        }.value
    }

    /// `payout cancel ID` (a treasurer or approver) before release: the hold, if any, is voided and
    /// all the money stays in the wallet.
    public func cancelPayout(_ id: String, _ context: CommandContext) throws -> PayoutView {
        try mutate(context, needs: nil) { mutation in
            let transaction = mutation.transaction
            let row = try Self.findPayout(id, in: transaction)
            try requireMember(
                row.company, context.actor, roles: [.treasurer, .approver], in: transaction)
            if row.status == PayoutStatus.cancelled.rawValue {
                return try payoutView(row, warnings: [], in: transaction)
            }
            guard
                row.status == PayoutStatus.quoted.rawValue
                    || row.status == PayoutStatus.approved.rawValue
            else { throw PayoutError.notCancellable(id: row.id, status: row.status) }
            if let hold = row.hold { try voidReservation(hold, in: mutation.scope) }
            try transaction.setPayoutDue(id: row.id, at: nil)
            try transaction.updatePayout(
                id: row.id, status: PayoutStatus.cancelled.rawValue, quote: row.quote,
                expiresAt: row.expiresAt,
                approvals: row.approvals, hold: row.hold)
            // The conversion the approval made for it (and its cover) goes back too; for a
            // batch's payout, the batch's conversions once none of its payouts is approved or
            // on its way any more.
            var warnings = try [
                reverseFunding(
                    key: SystemKey.payoutFunding(row.id), for: "payout \(row.id)", in: mutation)
            ].compactMap { $0 }
            if let batchID = row.batch {
                warnings += try batchAfterCancel(batchID, in: mutation)
            }
            guard let updated = try transaction.payout(id: row.id) else {
                throw PayoutError.unknownPayout(id)
            }
            return try payoutView(updated, warnings: warnings, in: transaction)
        }.value
    }

    /// After one of its payouts is cancelled: when none of the batch's payouts is approved or
    /// past release any more, the conversions made to fund it are reversed, and an approved
    /// batch is cancelled with its held possible duplicates (nothing it was approved for is
    /// left to pay); a batch with nothing but cancelled payouts is cancelled too.
    private func batchAfterCancel(_ id: Int64, in mutation: Mutation) throws -> [String] {
        let transaction = mutation.transaction
        let batch = try Self.findBatch(id, in: transaction)
        let counts = try transaction.batchPayoutStatuses(batch: id)
        let open = counts.filter { $0.key != PayoutStatus.cancelled.rawValue }
        guard open.keys.allSatisfy({ $0 == PayoutStatus.quoted.rawValue }) else { return [] }
        var notes = try reverseBatchFunding(batch, in: mutation)
        let held = open[PayoutStatus.quoted.rawValue] ?? 0
        let approved = batch.status == "approved" || batch.status == "scheduled"
        if held > 0, approved {
            for payout in try transaction.payouts(batch: id)
            where payout.status == PayoutStatus.quoted.rawValue {
                try transaction.updatePayout(
                    id: payout.id, status: PayoutStatus.cancelled.rawValue, quote: payout.quote,
                    expiresAt: payout.expiresAt, approvals: payout.approvals, hold: payout.hold)
            }
            notes.append(
                "every payout approved with batch \(id) is cancelled: its \(held) held possible duplicate\(held == 1 ? " is" : "s are") cancelled with it"
            )
        }
        if (open.isEmpty || approved), batch.status != "cancelled" {
            try transaction.setBatchStatus(
                id: id, status: "cancelled", approvals: batch.approvals,
                includesDuplicates: batch.includesDuplicates)
            notes.append("every payout of batch \(id) is cancelled: the batch is cancelled")
        }
        return notes
    }

    /// One approval, or two when the debit, valued at the quote's ECB mid rate, is above the
    /// company's second-approval threshold.
    func approvalsNeeded(
        _ row: PayoutRow, quote: PayoutQuote, in transaction: StoreTransaction
    ) throws -> Int {
        guard let company = try transaction.company(id: row.company),
            let threshold = company.secondApprovalOver
        else { return 1 }
        let debit = try Money.parsePositive("\(quote.debited) \(quote.sendCurrency)")
        var value = debit.minorUnits
        if debit.currency != threshold.currency {
            guard let day = RateDay(quote.rateDay) else { return 2 }
            value = try crossRate(
                from: debit.currency, to: threshold.currency, on: day, in: transaction
            )
            .convert(debit, marginBps: 0).positionMinor
        }
        return value > threshold.minorUnits ? 2 : 1
    }
}

extension PayoutTerms {
    /// The terms a stored payout was quoted on.
    init(_ row: PayoutRow, _ quote: PayoutQuote) throws {
        let asked = try Money.parsePositive(quote.asked)
        guard let bearer = ChargeBearer(parsing: quote.bearer),
            let date = RateDay(row.executionDate)
        else {
            throw PayoutError.unknownPayout(String(row.id))
        }
        self.init(
            company: row.company, fixed: quote.fixed == "receive" ? .receive(asked) : .send(asked),
            send: try Currency.named(quote.sendCurrency), bearer: bearer, choice: quote.route,
            date: date)
    }
}

extension SystemKey {
    static func payoutHold(_ id: Int64) -> String { "\(payoutHoldPrefix)\(id)\(holdSuffix)" }
    /// A payout hold's key around its payout's id (for statements over many payouts).
    static let payoutHoldPrefix = "\(prefix)payout:"
    static let holdSuffix = ":hold"
    static func payoutFunding(_ id: Int64) -> String { "\(prefix)payout:\(id):fx" }
}
