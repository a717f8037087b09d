import Foundation
import FundflowCore
import FundflowFormats
import FundflowStore

/// One item of a batch as `batch quote` and `batch status` show it.
public struct BatchItemView: Codable, Equatable, Sendable {
    public let position: Int
    public let path: String
    public let endToEndID: String
    public let beneficiary: String?
    public let payout: Int64?
    public let uetr: String?
    /// The payout's status, or `unquoted` / `no route`.
    public let status: String
    public let route: [String]
    public let instructed: String
    public let sendCurrency: String
    public let debited: String
    public let delivered: String
    public let targetCurrency: String
    public let fees: String
    public let eta: String
    public let flags: [String]
    public let problem: String?
}

/// `batch quote`, `batch approve`, `batch submit` and `batch status`: the batch, its items and
/// what it needs from each wallet.
public struct BatchQuoteView: Codable, Equatable, Sendable, Replayable {
    public struct Funding: Codable, Equatable, Sendable {
        public let currency: String
        public let needed: String
        public let available: String
        public let short: Bool
        /// The conversion from another wallet that approving makes to cover the shortfall.
        public let proposal: String?
    }

    /// How many of a batch's items have a status.
    public struct StatusCount: Codable, Equatable, Sendable {
        public let status: String
        public var count: Int
    }

    public let batch: BatchView
    /// Every item, or those a text view shows (``BatchItemsShown``).
    public let items: [BatchItemView]
    public let itemCount: Int
    /// Items per status, in the order the statuses first appear.
    public let statusCounts: [StatusCount]
    /// What leaves each wallet (principal and billed fees), per currency.
    public let debits: [BatchView.Total]
    /// What arrives, per currency.
    public let deliveries: [BatchView.Total]
    public let funding: [Funding]
    public let approvals: [String]
    public let approvalsNeeded: Int
    /// An approved batch's possible duplicates, held out of its approval, and their own
    /// follow-up approval so far; nil when there are none.
    public let held: Held?
    public let warnings: [String]

    public struct Held: Codable, Equatable, Sendable {
        public let count: Int
        public let approvals: [String]
        public let approvalsNeeded: Int
    }
}

/// Which items a batch view reads in full: all (`--json`), or the first `n` with the items
/// that have a problem first (text).
public enum BatchItemsShown: Sendable {
    case all
    case first(Int)
}

/// Why a batch cannot move on.
public enum BatchError: Error, Equatable, Sendable, CustomStringConvertible {
    case unknown(Int64)
    case wrongStatus(id: Int64, status: String, expected: String)
    case ownBatch(user: String, id: Int64)
    case alreadyApproved(user: String, id: Int64)
    case shortfall(id: Int64, [String])
    case nothingQuoted(Int64)
    case onlyDuplicates(id: Int64, count: Int)
    case duplicatesDiffer(id: Int64, approvals: [String], included: Bool)

    public var description: String {
        switch self {
        case .unknown(let id): return "no batch \(id): see `batch list COMPANY`"
        case .wrongStatus(let id, let status, let expected):
            return "batch \(id) is \(status); this needs it \(expected)"
        case .ownBatch(let user, let id):
            return
                "\(user) imported batch \(id); another treasurer or approver of the company must approve it"
        case .alreadyApproved(let user, let id):
            return
                "\(user) has already approved batch \(id); the second approval must come from someone else"
        case .shortfall(let id, let lines):
            return
                "batch \(id) is not funded: \(lines.joined(separator: "; ")) — fund the wallets or convert (`wallet convert`), then approve"
        case .nothingQuoted(let id): return "batch \(id) has no quoted item to approve"
        case .onlyDuplicates(let id, let count):
            return
                "every quoted item of batch \(id) (\(count)) may repeat a recent payout: check them (`batch status \(id)`), then `batch approve \(id) --include-duplicates` to pay them anyway"
        case .duplicatesDiffer(let id, let approvals, let included):
            return
                "\(approvals.joined(separator: " and ")) approved batch \(id) \(included ? "with" : "without") its possible duplicates; every approver approves the same payouts: approve \(included ? "with" : "without") --include-duplicates"
        }
    }
}

extension Engine {
    /// `batch quote ID [--valid SECONDS]` (a treasurer): a quote per item — the route from the
    /// wallet's servicing bank, fees, FX, debit, delivery, ETA, flags — and a payout for each in
    /// status `quoted`. An item is paid to the company's beneficiary with the same account and
    /// currency, else to a new one (pending: the batch's approver approves it with the batch).
    /// Quoting again re-quotes expired items only.
    public func quoteBatch(
        _ id: Int64, validSeconds: Int64 = 1_800, _ context: CommandContext,
        shown: BatchItemsShown = .all, progress: ((Int, Int) -> Void)? = nil
    ) throws -> BatchQuoteView {
        let network = try network()
        try ensureRates()
        return try mutate(context, needs: nil) { mutation in
            let transaction = mutation.transaction
            let batch = try Self.findBatch(id, in: transaction)
            try requireMember(batch.company, context.actor, roles: [.treasurer], in: transaction)
            guard batch.status == "draft" || batch.status == "quoted" else {
                throw BatchError.wrongStatus(
                    id: id, status: batch.status, expected: "draft or quoted")
            }
            var warnings: [String] = []
            var problems: [Int: String] = [:]
            var requoted = 0
            // The payouts made from here on are the new ones the duplicate check looks at.
            let lastBefore = try transaction.lastPayoutID()
            let cache = QuoteCache()
            let rows = try transaction.batchItems(batch: id)
            let pipeline = BatchItemPipeline(rows, company: batch.company, now: mutation.now)
            defer { pipeline.finish() }
            for (index, row) in rows.enumerated() {
                defer { if (index + 1) % 500 == 0 { progress?(index + 1, rows.count) } }
                if let payoutID = row.payout, let payout = try transaction.payout(id: payoutID),
                    payout.status != PayoutStatus.quoted.rawValue
                        || mutation.now <= payout.expiresAt
                {
                    // Only an expired quote is made again: a payout cancelled, approved or on
                    // its way is never rewritten.
                    continue
                }
                let prepared = try pipeline.take(index)
                let item = prepared.item
                do {
                    let beneficiary = try batchBeneficiary(
                        try prepared.details.get(), batch: batch, at: mutation.now,
                        in: transaction)
                    let terms = try prepared.terms.get()
                    let (quote, release, notes) = try quotePayout(
                        terms, to: beneficiary, network: network, now: mutation.now,
                        cache: cache, in: transaction)
                    for note in notes where !warnings.contains(note) { warnings.append(note) }
                    let expires = mutation.now.adding(milliseconds: validSeconds * 1000)
                    if let payoutID = row.payout {
                        try transaction.updatePayout(
                            id: payoutID, status: PayoutStatus.quoted.rawValue,
                            quote: try quote.json(), expiresAt: expires, approvals: [], hold: nil)
                        try transaction.setPayoutRelease(id: payoutID, at: release)
                        requoted += 1
                        continue
                    }
                    let asked = terms.fixed.money
                    var generator = SeededGenerator(
                        seed: Self.seed("\(batch.company)|\(batch.messageID)|\(row.position)"))
                    // A UETR already carried by another payout makes this one a possible
                    // duplicate of it; the new payout gets a UETR of its own.
                    let earlierUETR = try item.uetr.flatMap {
                        try transaction.payout(uetr: $0.lowercased())
                    }
                    let uetr =
                        earlierUETR == nil
                        ? item.uetr?.lowercased() ?? UETR.make(using: &generator).value
                        : UETR.make(using: &generator).value
                    let payout = try transaction.insertPayout(
                        NewPayout(
                            uetr: uetr,
                            company: batch.company, beneficiary: beneficiary.id,
                            beneficiaryVersion: beneficiary.version,
                            status: PayoutStatus.quoted.rawValue, quote: try quote.json(),
                            executionDate: terms.date.description, releaseAt: release,
                            reference: item.remittance ?? item.endToEndID,
                            createdBy: batch.importedBy, createdAt: mutation.now,
                            expiresAt: expires, account: beneficiary.accountKey,
                            batch: batch.id, batchPosition: row.position,
                            endToEnd: item.endToEndID,
                            asked: asked))
                    if let earlier = earlierUETR {
                        try transaction.setPayoutDuplicate(id: payout.id, of: earlier.id)
                    }
                } catch let error as PayoutError {
                    problems[row.position] = error.description
                } catch let error as BeneficiaryError {
                    problems[row.position] = error.description
                }
            }
            let duplicates = try transaction.markBatchDuplicates(
                batch: id, after: lastBefore,
                since: mutation.now.adding(milliseconds: -Self.duplicateWindow))
            progress?(rows.count, rows.count)
            if problems.count == rows.count {
                throw BatchError.nothingQuoted(id)
            }
            if batch.status == "draft" {
                try transaction.setBatchStatus(
                    id: id, status: "quoted", approvals: [], includesDuplicates: nil)
            } else if requoted > 0, !batch.approvals.isEmpty {
                // New figures need the approvals again: nobody approved what they now say.
                try transaction.setBatchStatus(
                    id: id, status: "quoted", approvals: [], includesDuplicates: nil)
                warnings.append(
                    "\(requoted) expired quote\(requoted == 1 ? " was" : "s were") made again: the approvals given so far (\(batch.approvals.joined(separator: ", "))) are dropped"
                )
            }
            if duplicates > 0 {
                warnings.append(
                    "\(duplicates) item\(duplicates == 1 ? "" : "s") may repeat a payout of the last 30 days (same EndToEndId, or same account, amount and reference): held until approved with --include-duplicates"
                )
            }
            if !problems.isEmpty {
                warnings.append(
                    "\(problems.count) item\(problems.count == 1 ? "" : "s") could not be quoted: see the items marked `no route`"
                )
            }
            return try batchQuoteView(
                id, problems: problems, warnings: warnings, shown: shown, in: mutation.scope)
        }.value
    }

    /// `batch approve ID` (a treasurer or approver who did not import it). Expired quotes are
    /// made again first; if the batch then debits more in any currency the approvals are dropped
    /// and it waits for approval again. Above the company's threshold (the batch's debits at the
    /// quotes' mid rates) two approvers are needed. The last approval checks the funding against
    /// the wallets' available balances, approves the batch's new beneficiaries and holds every
    /// item's debit. Possible duplicates are held out unless `includeDuplicates`; once the batch
    /// is approved, `--include-duplicates` approves the held ones on their own (a follow-up
    /// approval with the same rules, scheduled at once if the batch was already submitted).
    public func approveBatch(
        _ id: Int64, includeDuplicates: Bool = false, _ context: CommandContext,
        shown: BatchItemsShown = .all
    ) throws -> BatchQuoteView {
        let network = try network()
        try ensureRates()
        return try mutate(context, needs: nil) { mutation in
            let transaction = mutation.transaction
            let batch = try Self.findBatch(id, in: transaction)
            try requireMember(
                batch.company, context.actor, roles: [.treasurer, .approver], in: transaction)
            // What each payout debits, towards which bank, and whether it is still quoted, from
            // figures SQLite pulls out of the quotes: no quote document is decoded on the way (a
            // batch has up to 100,000).
            let figures = try transaction.batchPayoutFigures(batch: id)
            if includeDuplicates, batch.status == "approved" || batch.status == "scheduled" {
                if figures.contains(where: Self.isHeldDuplicate) {
                    return try approveHeldDuplicates(
                        batch, figures, network: network, context, mutation, shown: shown)
                }
                if figures.contains(where: {
                    $0.duplicateOf != nil && $0.approvals.contains(context.actor.name)
                }) {
                    return try batchQuoteView(
                        id, problems: [:], warnings: [], shown: shown, in: mutation.scope)
                }
            }
            if batch.status != "quoted", batch.approvals.contains(context.actor.name) {
                return try batchQuoteView(
                    id, problems: [:], warnings: [], shown: shown, in: mutation.scope)
            }
            guard batch.status == "quoted" else {
                throw BatchError.wrongStatus(id: id, status: batch.status, expected: "quoted")
            }
            guard batch.importedBy != context.actor.name else {
                throw BatchError.ownBatch(user: context.actor.name, id: id)
            }
            guard !batch.approvals.contains(context.actor.name) else {
                throw BatchError.alreadyApproved(user: context.actor.name, id: id)
            }
            // Every approver approves the same payouts: the possible duplicates are in only when
            // the approvals so far took them in too.
            if let earlier = batch.includesDuplicates, earlier != includeDuplicates {
                throw BatchError.duplicatesDiffer(
                    id: id, approvals: batch.approvals, included: earlier)
            }
            func approvable(_ figure: BatchPayoutFigures) -> Bool {
                figure.status == PayoutStatus.quoted.rawValue
                    && (includeDuplicates || figure.duplicateOf == nil)
            }
            // Possible duplicates wait for an approval that names them.
            let held = includeDuplicates ? 0 : figures.count(where: Self.isHeldDuplicate)
            guard figures.contains(where: approvable) else {
                if held > 0 { throw BatchError.onlyDuplicates(id: id, count: held) }
                throw BatchError.nothingQuoted(id)
            }
            var warnings: [String] = []
            if held > 0 {
                warnings.append(
                    "\(held) possible duplicate\(held == 1 ? " is" : "s are") held (not approved): once the batch is approved, `batch approve \(id) --include-duplicates` approves them on their own"
                )
            }
            guard
                let payouts = try requoteStale(
                    id, figures, taking: approvable, network: network, warnings: &warnings,
                    in: mutation)
            else {
                try transaction.setBatchStatus(
                    id: id, status: "quoted", approvals: [], includesDuplicates: nil)
                return try batchQuoteView(
                    id, problems: [:], warnings: warnings, shown: shown, in: mutation.scope)
            }
            let approvals = batch.approvals + [context.actor.name]
            let debits = try Self.debits(payouts)
            let needed = try batchApprovalsNeeded(batch.company, debits, in: transaction)
            guard approvals.count >= needed else {
                try transaction.setBatchStatus(
                    id: id, status: "quoted", approvals: approvals,
                    includesDuplicates: includeDuplicates)
                warnings.append(
                    "approved by \(context.actor.name); a second approver is needed above the company's threshold"
                )
                return try batchQuoteView(
                    id, problems: [:], warnings: warnings, shown: shown, in: mutation.scope)
            }
            warnings += try fundBatch(
                id, company: batch.company, debits, key: SystemKey.batchFunding(id),
                in: mutation)
            warnings += try holdBatchPayouts(
                batch, payouts, includeDuplicates: includeDuplicates, approvals: approvals,
                in: mutation)
            try transaction.setBatchStatus(
                id: id, status: "approved", approvals: approvals,
                includesDuplicates: includeDuplicates)
            // The view's figures are the ones read here, as the approval has left them: a
            // second read over 100,000 quotes would only say the same.
            let approvedNow = Dictionary(uniqueKeysWithValues: payouts.map { ($0.id, $0) })
            let current = figures.map { figure in
                approvedNow[figure.id].map {
                    $0.with(status: PayoutStatus.approved.rawValue, approvals: approvals)
                } ?? figure
            }
            return try batchQuoteView(
                id, problems: [:], warnings: warnings, shown: shown, figures: current,
                in: mutation.scope)
        }.value
    }

    /// A quoted payout the duplicate check found, held until an approval names it.
    static func isHeldDuplicate(_ figure: BatchPayoutFigures) -> Bool {
        figure.status == PayoutStatus.quoted.rawValue && figure.duplicateOf != nil
    }

    /// The follow-up approval of an approved batch's held possible duplicates: by a treasurer or
    /// approver other than the importer (whoever approved the batch may), as many approvers as
    /// the whole batch's debits with them need, each counted once; expired quotes made again
    /// first; the funding checked and converted as for the batch; held, approved and, when the
    /// batch was already submitted, scheduled for their cut-off. `figures` are the batch's as
    /// the approval read them.
    private func approveHeldDuplicates(
        _ batch: BatchRow, _ figures: [BatchPayoutFigures], network: Network,
        _ context: CommandContext, _ mutation: Mutation, shown: BatchItemsShown
    ) throws -> BatchQuoteView {
        let transaction = mutation.transaction
        let id = batch.id
        let user = context.actor.name
        guard batch.importedBy != user else { throw BatchError.ownBatch(user: user, id: id) }
        let earlier = figures.first(where: Self.isHeldDuplicate)?.approvals ?? []
        guard !earlier.contains(user) else {
            throw BatchError.alreadyApproved(user: user, id: id)
        }
        guard
            figures.contains(where: {
                $0.status != PayoutStatus.quoted.rawValue
                    && $0.status != PayoutStatus.cancelled.rawValue
            })
        else {
            throw BatchError.wrongStatus(
                id: id, status: "cancelled",
                expected: "with payouts approved or on their way to approve its held duplicates")
        }
        var warnings: [String] = []
        guard
            let held = try requoteStale(
                id, figures, taking: Self.isHeldDuplicate, network: network,
                warnings: &warnings, in: mutation)
        else {
            // New figures: nobody has approved them, the approvals given before included.
            try transaction.setHeldDuplicateApprovals(batch: id, approvals: [])
            return try batchQuoteView(
                id, problems: [:], warnings: warnings, shown: shown, in: mutation.scope)
        }
        let approvals = earlier + [user]
        let debits = try Self.debits(held)
        // As many approvers as the whole batch would need with them: held ones paid on their
        // own do not get past the company's second-approval threshold.
        // (the held ones as quoted now, every other payout as read).
        let others = figures.filter {
            !Self.isHeldDuplicate($0) && $0.status != PayoutStatus.cancelled.rawValue
        }
        let needed = try batchApprovalsNeeded(
            batch.company, try Self.debits(others + held), in: transaction)
        let count = "\(held.count) held possible duplicate\(held.count == 1 ? "" : "s")"
        guard approvals.count >= needed else {
            try transaction.setHeldDuplicateApprovals(batch: id, approvals: approvals)
            warnings.append(
                "\(count) approved by \(user); a second approver is needed above the company's threshold"
            )
            return try batchQuoteView(
                id, problems: [:], warnings: warnings, shown: shown, in: mutation.scope)
        }
        warnings += try fundBatch(
            id, company: batch.company, debits, key: SystemKey.batchDuplicatesFunding(id),
            in: mutation)
        warnings += try holdBatchPayouts(
            batch, held, includeDuplicates: true, approvals: approvals, in: mutation)
        if batch.submittedAt != nil {
            _ = try transaction.scheduleBatchPayouts(batch: id, notBefore: mutation.now)
            warnings.append("\(count) approved and scheduled: each leaves at its cut-off")
        } else {
            warnings.append("\(count) approved: they leave with the batch once it is submitted")
        }
        return try batchQuoteView(
            id, problems: [:], warnings: warnings, shown: shown, in: mutation.scope)
    }

    /// The payouts an approval takes in, their expired quotes (or passed release times) made
    /// again first; nil when a new quote debits more in some currency (their approvals are then
    /// dropped, and a warning says to approve again).
    private func requoteStale(
        _ id: Int64, _ figures: [BatchPayoutFigures], taking: (BatchPayoutFigures) -> Bool,
        network: Network, warnings: inout [String], in mutation: Mutation
    ) throws -> [BatchPayoutFigures]? {
        let transaction = mutation.transaction
        let taken = figures.filter(taking)
        let stale = Set(
            taken.filter { mutation.now > $0.expiresAt || mutation.now > $0.releaseAt }.map(\.id))
        guard !stale.isEmpty else { return taken }
        let before = try Self.debits(taken).byCurrency
        for payout in try transaction.payouts(batch: id) where stale.contains(payout.id) {
            guard
                let beneficiary = try transaction.beneficiary(
                    company: payout.company, id: payout.beneficiary)
            else { continue }
            let old = try PayoutQuote.decode(payout.quote)
            let (fresh, release, notes) = try quotePayout(
                try PayoutTerms(payout, old), to: beneficiary, network: network,
                now: mutation.now, in: transaction)
            warnings += notes.filter { !warnings.contains($0) }
            let validity =
                payout.expiresAt.millisecondsSinceEpoch - payout.createdAt.millisecondsSinceEpoch
            try transaction.updatePayout(
                id: payout.id, status: payout.status, quote: try fresh.json(),
                expiresAt: mutation.now.adding(milliseconds: validity), approvals: [], hold: nil)
            try transaction.setPayoutRelease(id: payout.id, at: release)
        }
        let fresh = try transaction.batchPayoutFigures(batch: id).filter(taking)
        let after = try Self.debits(fresh).byCurrency
        if after.contains(where: { currency, amount in amount > (before[currency] ?? 0) }) {
            warnings.append(
                "not approved: quotes had expired and the new ones debit more; approve again")
            return nil
        }
        warnings.append("expired quotes were made again; they debit no more")
        return fresh
    }

    /// Approves the new beneficiaries the payouts go to, holds each payout's debit on its wallet
    /// towards its first bank and marks them approved: each step one statement over the batch
    /// (or a loop of cheap inserts), as a batch has up to 100,000 payouts.
    private func holdBatchPayouts(
        _ batch: BatchRow, _ payouts: [BatchPayoutFigures], includeDuplicates: Bool,
        approvals: [String], in mutation: Mutation
    ) throws -> [String] {
        let transaction = mutation.transaction
        let id = batch.id
        // Every beneficiary must still be the version quoted, approved or new with this
        // batch's import; checked before anything is held.
        if let beneficiary = try transaction.batchBeneficiaryNotPayable(
            batch: id, includeDuplicates: includeDuplicates, importedBy: batch.importedBy)
        {
            throw PayoutError.beneficiaryNotApproved(beneficiary)
        }
        let approvedBeneficiaries = try transaction.approveBatchBeneficiaries(
            batch: id, includeDuplicates: includeDuplicates, by: approvals[approvals.count - 1],
            at: mutation.now)
        for payout in payouts {
            let debit = try payout.debit()
            let currency = debit.currency.code
            _ = try reserve(
                debit, debit: try AccountName("wallet:\(batch.company):\(currency)"),
                credit: try AccountName("nostro:\(payout.firstBank):\(currency)"),
                key: SystemKey.payoutHold(payout.id), expiresAt: nil,
                memo: "payout \(payout.id) \(payout.uetr) of batch \(id)", in: mutation.scope)
        }
        try transaction.setBatchPayoutsApproved(
            batch: id, includeDuplicates: includeDuplicates, approvals: approvals,
            holdKeyPrefix: SystemKey.payoutHoldPrefix, holdKeySuffix: SystemKey.holdSuffix)
        guard approvedBeneficiaries > 0 else { return [] }
        return [
            "approved with the batch: \(approvedBeneficiaries) new beneficiar\(approvedBeneficiaries == 1 ? "y" : "ies")"
        ]
    }

    /// `batch submit ID` (a treasurer or approver): the approved batch is scheduled; each payout
    /// is released at its servicing bank's cut-off on its execution date.
    public func submitBatch(
        _ id: Int64, _ context: CommandContext, shown: BatchItemsShown = .all,
        progress: ((Int, Int) -> Void)? = nil
    ) throws -> BatchQuoteView {
        let network = try network()
        return try mutate(context, needs: nil) { mutation in
            let transaction = mutation.transaction
            let batch = try Self.findBatch(id, in: transaction)
            try requireMember(
                batch.company, context.actor, roles: [.treasurer, .approver], in: transaction)
            if batch.submittedAt != nil {
                return try batchQuoteView(
                    id, problems: [:], warnings: ["batch \(id) was already submitted"],
                    shown: shown, in: mutation.scope)
            }
            guard batch.status == "approved" else {
                throw BatchError.wrongStatus(id: id, status: batch.status, expected: "approved")
            }
            // Payouts still ahead of their cut-off leave at it; one submitted after its cut-off
            // leaves at the next one, on the approved quote.
            let scheduled = try transaction.scheduleBatchPayouts(batch: id, notBefore: mutation.now)
            let late = try transaction.latePayouts(batch: id, before: mutation.now)
            for payout in late {
                let quote = try PayoutQuote.decode(payout.quote)
                guard
                    let next = RouteTiming.release(
                        bank: quote.path[0], currency: try Currency.named(quote.sendCurrency),
                        requested: RateDay(mutation.now), now: mutation.now, network: network)
                else { throw PayoutError.closedForever(bank: quote.path[0]) }
                try transaction.setPayoutRelease(id: payout.id, at: next.time)
                try transaction.setPayoutDue(id: payout.id, at: next.time)
            }
            let rolled = late.count
            progress?(scheduled + rolled, scheduled + rolled)
            try transaction.setBatchSubmitted(id: id, by: context.actor.name, at: mutation.now)
            let warnings =
                rolled == 0
                ? []
                : [
                    "\(rolled) payout\(rolled == 1 ? "'s" : "s'") release time had passed: released at the next cut-off on the approved quote"
                ]
            return try batchQuoteView(
                id, problems: [:], warnings: warnings, shown: shown, in: mutation.scope)
        }.value
    }

    /// `batch cancel ID` (a treasurer or approver) before anything was released: every payout of
    /// the batch not yet released is cancelled (holds voided, nothing leaves) and the batch ends
    /// `cancelled`. Once a payout is on its way, it can only be recalled (`payout recall`).
    public func cancelBatch(
        _ id: Int64, _ context: CommandContext, shown: BatchItemsShown = .all
    ) throws -> BatchQuoteView {
        try mutate(context, needs: nil) { mutation in
            let transaction = mutation.transaction
            let batch = try Self.findBatch(id, in: transaction)
            try requireMember(
                batch.company, context.actor, roles: [.treasurer, .approver], in: transaction)
            if batch.status == "cancelled" {
                return try batchQuoteView(
                    id, problems: [:], warnings: [], shown: shown, in: mutation.scope)
            }
            let payouts = try transaction.payouts(batch: id)
            let gone = payouts.filter {
                $0.status != PayoutStatus.quoted.rawValue
                    && $0.status != PayoutStatus.approved.rawValue
                    && $0.status != PayoutStatus.cancelled.rawValue
            }
            guard gone.isEmpty else {
                throw BatchError.wrongStatus(
                    id: id, status: "released in part (\(gone.count) payouts on their way)",
                    expected: "not yet released: recall its payouts with `payout recall`")
            }
            for payout in payouts where payout.status != PayoutStatus.cancelled.rawValue {
                if let hold = payout.hold, payout.status == PayoutStatus.approved.rawValue {
                    try voidReservation(hold, in: mutation.scope)
                }
                try transaction.updatePayout(
                    id: payout.id, status: PayoutStatus.cancelled.rawValue, quote: payout.quote,
                    expiresAt: payout.expiresAt, approvals: payout.approvals, hold: payout.hold)
                try transaction.setPayoutDue(id: payout.id, at: nil)
            }
            // Conversions its approval made to fund it go back (cover first).
            let notes = try reverseBatchFunding(batch, in: mutation)
            try transaction.setBatchStatus(
                id: id, status: "cancelled", approvals: batch.approvals,
                includesDuplicates: batch.includesDuplicates)
            return try batchQuoteView(
                id, problems: [:],
                warnings: ["batch \(id) cancelled: \(payouts.count) payouts, nothing sent"] + notes,
                shown: shown, in: mutation.scope)
        }.value
    }

    /// `batch status ID` (members).
    public func batchStatus(
        _ id: Int64, as actor: Actor, shown: BatchItemsShown = .all
    ) throws -> BatchQuoteView {
        try store.read { transaction in
            let batch = try Self.findBatch(id, in: transaction)
            if actor.role != .admin { try requireMember(batch.company, actor, in: transaction) }
            // After the batch's approval, what is still quoted is what the approval held out.
            var warnings: [String] = []
            if batch.status == "approved" || batch.status == "scheduled",
                let held = try transaction.batchPayoutStatuses(batch: id)[
                    PayoutStatus.quoted.rawValue], held > 0
            {
                warnings.append(
                    "\(held) possible duplicate\(held == 1 ? " is" : "s are") held out of the approval: check \(held == 1 ? "it" : "them"), then `batch approve \(id) --include-duplicates` pays \(held == 1 ? "it" : "them") too (or `payout cancel` \(held == 1 ? "it" : "each"))"
                )
            }
            return try batchQuoteView(
                id, problems: [:], warnings: warnings, shown: shown,
                in: try makeScope(transaction))
        }
    }

    /// How far back an item is compared with earlier payouts: 30 days.
    static let duplicateWindow: Int64 = 30 * 24 * 3_600_000

    static func findBatch(_ id: Int64, in transaction: StoreTransaction) throws -> BatchRow {
        guard let batch = try transaction.batch(id: id) else { throw BatchError.unknown(id) }
        return batch
    }

    /// The lifecycle past submission follows the payouts: released once any is on its way,
    /// completed when all are credited, partly completed when all ended and some did not arrive.
    static func lifecycle(_ batch: BatchRow, in transaction: StoreTransaction) throws -> String {
        guard batch.status == "scheduled" else { return batch.status }
        let counts = try transaction.batchPayoutStatuses(batch: batch.id)
        func count(_ status: PayoutStatus) -> Int { counts[status.rawValue] ?? 0 }
        let cancelled = count(.cancelled)
        let left = count(.quoted) + count(.cancelled)
        let waiting = count(.approved)
        let moving = count(.released)
        let ended = count(.credited) + count(.returned)
        if waiting + moving + ended == 0 { return cancelled > 0 ? "cancelled" : "scheduled" }
        if moving > 0 || (ended > 0 && waiting > 0) { return "released" }
        if ended == 0 { return "scheduled" }
        // Everything that was sent has ended: completed only when all of the batch was credited.
        return count(.credited) == batch.items && left == 0 ? "completed" : "partly_completed"
    }

    /// The view reads through `scope`: inside a use case its own, which knows the balances the
    /// use case changed before they are written.
    private func batchQuoteView(
        _ id: Int64, problems: [Int: String], warnings: [String], shown: BatchItemsShown,
        figures known: [BatchPayoutFigures]? = nil, in scope: TransactionScope
    ) throws -> BatchQuoteView {
        let transaction = scope.transaction
        let batch = try Self.findBatch(id, in: transaction)
        var view = try batchView(batch, existing: false, in: transaction)
        view = view.with(status: try Self.lifecycle(batch, in: transaction))
        // Totals and counts come from figures SQLite pulls out of the quotes; only the items
        // shown are read and decoded in full (a 100,000-item batch shows 50 as text).
        let heads = try transaction.batchItemHeads(batch: id)
        var figures: [Int64: BatchPayoutFigures] = [:]
        var open = BatchDebits()
        var openCount = 0
        var heldApprovals: [String]?
        var standing = BatchDebits()
        var deliveries: [String: Int64] = [:]
        var order: [String] = []
        for figure in try known ?? transaction.batchPayoutFigures(batch: id) {
            figures[figure.id] = figure
            let debited = try figure.debit().minorUnits
            if figure.status != PayoutStatus.cancelled.rawValue {
                let delivered = try Money.parseMinorUnits(
                    figure.delivered, currency: try Currency.named(figure.targetCurrency))
                for code in [figure.sendCurrency, figure.targetCurrency] where !order.contains(code)
                {
                    order.append(code)
                }
                deliveries[figure.targetCurrency, default: 0] += delivered
                standing.add(debited, currency: figure.sendCurrency, rateDay: figure.rateDay)
            }
            if figure.status == PayoutStatus.quoted.rawValue {
                open.add(debited, currency: figure.sendCurrency, rateDay: figure.rateDay)
                openCount += 1
                heldApprovals = heldApprovals ?? figure.approvals
            }
        }
        var counts: [BatchQuoteView.StatusCount] = []
        var troubled: [Int] = []
        for head in heads {
            let status =
                head.payout.flatMap { figures[$0]?.status }
                ?? (problems[head.position] == nil ? "unquoted" : "no route")
            if let index = counts.firstIndex(where: { $0.status == status }) {
                counts[index].count += 1
            } else {
                counts.append(.init(status: status, count: 1))
            }
            if problems[head.position] != nil { troubled.append(head.position) }
        }
        var items: [BatchItemView] = []
        switch shown {
        case .all:
            var payouts: [Int64: PayoutRow] = [:]
            for payout in try transaction.payouts(batch: id) { payouts[payout.id] = payout }
            for row in try transaction.batchItems(batch: id) {
                items.append(
                    try itemView(
                        row, payout: row.payout.flatMap { payouts[$0] },
                        problem: problems[row.position], company: batch.company, in: transaction))
            }
        case .first(let limit):
            let others = heads.map(\.position).filter { problems[$0] == nil }
            for position in Array(troubled + others).prefix(limit).sorted() {
                guard let row = try transaction.batchItem(batch: id, position: position) else {
                    continue
                }
                items.append(
                    try itemView(
                        row, payout: try row.payout.flatMap { try transaction.payout(id: $0) },
                        problem: problems[position], company: batch.company, in: transaction))
            }
        }
        func totals(_ sums: [String: Int64]) throws -> [BatchView.Total] {
            try order.compactMap { code in
                guard let minor = sums[code] else { return nil }
                return BatchView.Total(
                    currency: code,
                    amount: Money(minorUnits: minor, currency: try Currency.named(code))
                        .amountString)
            }
        }
        let funding = openCount == 0 ? [] : try fundingCheck(batch.company, open, in: scope)
        // Once the batch is approved, what is still quoted are its held possible duplicates,
        // with approvals of their own, counted as their follow-up approval counts them.
        let approved = batch.status == "approved" || batch.status == "scheduled"
        let held =
            approved && openCount > 0
            ? BatchQuoteView.Held(
                count: openCount, approvals: heldApprovals ?? [],
                approvalsNeeded: try batchApprovalsNeeded(
                    batch.company, standing, in: transaction))
            : nil
        return BatchQuoteView(
            batch: view, items: items, itemCount: heads.count, statusCounts: counts,
            debits: try totals(standing.byCurrency),
            deliveries: try totals(deliveries), funding: funding, approvals: batch.approvals,
            approvalsNeeded: openCount == 0 || approved
                ? max(1, batch.approvals.count)
                : try batchApprovalsNeeded(batch.company, open, in: transaction),
            held: held, warnings: warnings)
    }

    /// One item as views show it: read from the file's item and its payout's quote.
    private func itemView(
        _ row: BatchItemRow, payout: PayoutRow?, problem: String?, company: String,
        in transaction: StoreTransaction
    ) throws -> BatchItemView {
        let item = try StoredBatchItem.decode(row.item)
        guard let payout else {
            return BatchItemView(
                position: row.position, path: row.path, endToEndID: item.endToEndID,
                beneficiary: nil, payout: nil, uetr: nil,
                status: problem == nil ? "unquoted" : "no route", route: [],
                instructed: item.amount, sendCurrency: item.currency, debited: "",
                delivered: "", targetCurrency: item.deliveredCurrency, fees: "", eta: "",
                flags: [], problem: problem)
        }
        let quote = try PayoutQuote.decode(payout.quote)
        var flags = quote.flags
        let paid = try transaction.beneficiary(company: company, id: payout.beneficiary)?
            .paidVersion
        if paid != payout.beneficiaryVersion {
            flags.append("new beneficiary")
        }
        if let earlier = payout.duplicateOf {
            flags.append("possible duplicate of payout \(earlier)")
        }
        let fees = quote.fees.map { "\($0.amount) \($0.currency)" }.joined(separator: " + ")
        return BatchItemView(
            position: row.position, path: row.path, endToEndID: item.endToEndID,
            beneficiary: payout.beneficiary, payout: payout.id, uetr: payout.uetr,
            status: payout.status, route: quote.path, instructed: quote.instructed,
            sendCurrency: quote.sendCurrency, debited: quote.debited,
            delivered: quote.delivered, targetCurrency: quote.targetCurrency,
            fees: fees, eta: quote.eta, flags: flags, problem: problem)
    }

    /// What quoted payouts debit, per currency and per currency and rate day.
    struct BatchDebits {
        var byCurrency: [String: Int64] = [:]
        var byRateDay: [String: Int64] = [:]

        mutating func add(_ debit: Int64, currency: String, rateDay: String) {
            byCurrency[currency, default: 0] += debit
            byRateDay["\(currency)|\(rateDay)", default: 0] += debit
        }
    }

    /// Debits of the payouts, from their quotes' figures.
    private static func debits(_ payouts: [BatchPayoutFigures]) throws -> BatchDebits {
        var debits = BatchDebits()
        for payout in payouts {
            debits.add(
                try payout.debit().minorUnits, currency: payout.sendCurrency,
                rateDay: payout.rateDay)
        }
        return debits
    }

    /// What the payouts need from each wallet against what it has available now, and for a
    /// wallet that is short the conversion from another one that would cover it (what the batch
    /// needs from that one, and earlier proposals, kept aside).
    private func fundingCheck(
        _ company: String, _ debits: BatchDebits, in scope: TransactionScope
    ) throws -> [BatchQuoteView.Funding] {
        let sums = debits.byCurrency
        var committed = sums
        return try sums.keys.sorted().map { code in
            let currency = try Currency.named(code)
            let account = try scope.account(named: try AccountName("wallet:\(company):\(code)"))
            let available = account.map { Int64(clamping: $0.balance.availableMinor) } ?? 0
            let needed = sums[code] ?? 0
            var proposal: String?
            if needed > available,
                let found = try fundingProposal(
                    company: company,
                    shortfall: Money(minorUnits: needed - available, currency: currency),
                    on: RateDay(scope.now), committed: committed, in: scope)
            {
                proposal = found.proposal.text
                committed[found.amount.currency.code, default: 0] += found.amount.minorUnits
            }
            return BatchQuoteView.Funding(
                currency: code, needed: Money(minorUnits: needed, currency: currency).amountString,
                available: Money(minorUnits: available, currency: currency).amountString,
                short: needed > available, proposal: proposal)
        }
    }

    /// Makes the conversions that cover the batch's short wallets, each worked out again on
    /// today's balances; refuses (nothing made) when one cannot be covered.
    private func fundBatch(
        _ id: Int64, company: String, _ debits: BatchDebits, key: String, in mutation: Mutation
    ) throws -> [String] {
        let funding = try fundingCheck(company, debits, in: mutation.scope)
        let unfunded = funding.filter { $0.short && $0.proposal == nil }
        guard unfunded.isEmpty else {
            throw BatchError.shortfall(
                id: id,
                unfunded.map { "\($0.currency) needs \($0.needed), \($0.available) available" })
        }
        var made: [String] = []
        var committed = debits.byCurrency
        for line in funding where line.short {
            let currency = try Currency.named(line.currency)
            let missing = try shortfall(
                company: company,
                debit: Money(minorUnits: debits.byCurrency[line.currency] ?? 0, currency: currency),
                in: mutation.scope)
            guard missing.minorUnits > 0,
                let found = try fundingProposal(
                    company: company, shortfall: missing, on: RateDay(mutation.now),
                    committed: committed, in: mutation.scope)
            else { continue }
            committed[found.amount.currency.code, default: 0] += found.amount.minorUnits
            _ = try bookConversion(
                company: company, found.amount, to: currency, rate: found.rate, marginBps: 0,
                key: "\(key):\(line.currency)", cover: true,
                in: mutation)
            made.append("converted for batch \(id): \(found.proposal.text)")
        }
        return made
    }

    /// One approval, or two when the batch's debits at the quotes' mid rates (each currency's
    /// sum per rate day converted once) exceed the company's second-approval threshold.
    private func batchApprovalsNeeded(
        _ company: String, _ debits: BatchDebits, in transaction: StoreTransaction
    ) throws -> Int {
        guard let row = try transaction.company(id: company),
            let threshold = row.secondApprovalOver
        else { return 1 }
        var total: Int64 = 0
        for (key, minor) in debits.byRateDay {
            let parts = key.split(separator: "|").map(String.init)
            let debit = Money(minorUnits: minor, currency: try Currency.named(parts[0]))
            if debit.currency == threshold.currency {
                total += debit.minorUnits
            } else {
                guard let day = RateDay(parts[1]) else { return 2 }
                total +=
                    try crossRate(
                        from: debit.currency, to: threshold.currency, on: day, in: transaction
                    ).convert(debit, marginBps: 0).positionMinor
            }
        }
        return total > threshold.minorUnits ? 2 : 1
    }

    /// The terms of an item: its fixed amount, the wallet it is paid from, its bearer and date.
    static func terms(
        _ item: StoredBatchItem, company: String, now: Timestamp
    ) throws
        -> PayoutTerms
    {
        let amount = try Money.parsePositive("\(item.amount) \(item.currency)")
        let wallet = try Currency.named(item.wallet)
        let fixed: Router.Amount
        switch item.amountType {
        case "receive": fixed = .receive(amount)
        // An equivalent amount is a fixed debit; it is quoted as a fixed amount sent from that
        // wallet (the billed fees come on top).
        default: fixed = .send(amount)
        }
        return PayoutTerms(
            company: company, fixed: fixed, send: wallet,
            bearer: ChargeBearer(parsing: item.bearer) ?? .sha, choice: "best",
            date: item.executionDate.flatMap(RateDay.init) ?? RateDay(now))
    }

    /// The beneficiary a batch item describes (its account, bank, currency, address).
    static func beneficiaryDetails(_ item: StoredBatchItem) throws -> BeneficiaryDetails {
        let country =
            item.creditorCountry ?? Self.accountCountry(item.creditorAccount)
            ?? item.creditorAgentBIC.map { String($0.dropFirst(4).prefix(2)) } ?? ""
        let bank = item.creditorAgentBIC ?? item.creditorAgentClearingID ?? "IBAN"
        return try BeneficiaryDetails(
            name: item.creditorName ?? "ESR \(item.creditorAccount)",
            account: item.creditorAccount, bank: bank, currency: item.deliveredCurrency,
            country: country,
            address: BeneficiaryDetails.Address(
                street: item.street, building: item.building, postcode: item.postcode,
                town: item.town), purpose: item.purpose)
    }

    /// The company's beneficiary for this account and currency, or a new one made from the
    /// item's details (pending until the batch is approved).
    private func batchBeneficiary(
        _ details: BeneficiaryDetails, batch: BatchRow, at time: Timestamp,
        in transaction: StoreTransaction
    ) throws -> BeneficiaryRow {
        if let id = try transaction.beneficiaryID(
            company: batch.company, scheme: details.account.scheme,
            account: details.account.value, currency: details.currency.code),
            let existing = try transaction.beneficiary(company: batch.company, id: id)
        {
            return existing
        }
        let id = "b-" + String(Self.seed("\(details.account)|\(details.currency.code)"), radix: 16)
        let row = Self.row(
            company: batch.company, id: id, details, version: 1, by: batch.importedBy, at: time,
            paidVersion: nil)
        try transaction.saveBeneficiary(row)
        return row
    }
}

extension BatchPayoutFigures {
    /// What the payout's quote debits from the wallet.
    func debit() throws -> Money {
        let currency = try Currency.named(sendCurrency)
        return Money(
            minorUnits: try Money.parseMinorUnits(debited, currency: currency), currency: currency)
    }
}

extension BatchView {
    func with(status: String) -> BatchView {
        BatchView(
            id: id, company: company, messageID: messageID, format: format, fileName: fileName,
            status: status, items: items, leftOut: leftOut, totals: totals, errors: errors,
            importedBy: importedBy, importedAt: importedAt, existing: existing)
    }
}
