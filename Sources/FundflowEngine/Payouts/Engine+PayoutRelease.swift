import Foundation
import FundflowCore
import FundflowStore

extension Engine {
    /// How many due payouts one read picks up; each is then advanced in its own transaction.
    static let payoutPage = 200

    /// Advances every payout whose next step is due: an approved payout is released at its
    /// cut-off (the hold is booked, wallet → the servicing bank's nostro, and the network runs its
    /// journey); a released payout ends when the clock passes its journey's last event (credited,
    /// or the return booked back to the wallet). Run by every worker pass with the job queue.
    func runDuePayouts(limit: Int) throws -> JobRun {
        var report = JobRun()
        var skipped: Set<Int64> = []
        var loaded: Network?
        while report.jobs + report.failures.count < limit {
            let due = try store.read { transaction in
                try transaction.duePayouts(at: try time(in: transaction), limit: Self.payoutPage)
            }.filter { !skipped.contains($0) }
            guard !due.isEmpty else { break }
            let network: Network
            if let loaded {
                network = loaded
            } else {
                network = try self.network()
                try ensureRates()
                loaded = network
            }
            for id in due {
                do {
                    if let notices = try advancePayout(id, network: network) {
                        report.jobs += 1
                        report.notices += notices
                    }
                } catch let error as StoreError where error.isTransient {
                    skipped.insert(id)
                    report.failures.append("payout \(id): \(error)")
                } catch {
                    // The network cannot take it (a route gone, a rate missing): a payout not yet
                    // released stays approved with its hold, out of the workers' way, and people
                    // are told. A released payout keeps its place: its end is tried again.
                    skipped.insert(id)
                    let message =
                        "payout \(id) could not be advanced: \(error); an approved payout is cancelled with `payout cancel \(id)`, which returns the held money"
                    report.failures.append(message)
                    try store.write { transaction in
                        let scope = try makeScope(transaction)
                        // Another worker may have advanced it meanwhile: only a payout still
                        // waiting for the same release leaves the queue.
                        guard let row = try transaction.payout(id: id),
                            row.status == PayoutStatus.approved.rawValue, row.dueAt == row.releaseAt
                        else { return }
                        try transaction.setPayoutDue(id: id, at: nil)
                        _ = try scope.appendAudit(
                            CommandContext(actor: .system, commandText: "payout \(id) release"),
                            outcome: "failed: \(error)", marked: false, reason: nil)
                        _ = try transaction.insertNotice(order: nil, text: message, at: scope.now)
                    }
                }
            }
        }
        return report
    }

    /// One step of one payout in one transaction; nil when another worker took it first.
    private func advancePayout(_ id: Int64, network: Network) throws -> [String]? {
        try store.write { transaction in
            let scope = try makeScope(transaction)
            guard let row = try transaction.payout(id: id), let due = row.dueAt, due <= scope.now
            else { return nil }
            try expireDueHolds(scope)
            let step = row.status == PayoutStatus.approved.rawValue ? "release" : "end"
            let context = CommandContext(
                actor: .system, commandText: "payout \(row.id) \(step) \(row.uetr)")
            let audit = try scope.appendAudit(context, outcome: "ok", marked: false, reason: nil)
            let mutation = Mutation(scope: scope, context: context, audit: audit)
            switch PayoutStatus(rawValue: row.status) {
            case .approved: try release(row, network: network, in: mutation)
            case .released: try finish(row, in: mutation)
            default: try transaction.setPayoutDue(id: row.id, at: nil)
            }
            try scope.flush()
            return scope.notices
        }
    }

    /// Books the held debit and runs the journey from the release time.
    private func release(_ row: PayoutRow, network: Network, in mutation: Mutation) throws {
        let transaction = mutation.transaction
        let quote = try PayoutQuote.decode(row.quote)
        guard let hold = row.hold else {
            throw PayoutError.notApprovable(id: row.id, status: "unheld")
        }
        let rejection = BankFailure.rejection(
            on: quote.path, uetr: row.uetr,
            failures: try transaction.networkFailures().map {
                BankFailure(bic: $0.bic, reason: $0.reason, shareBps: $0.shareBps, seed: $0.seed)
            })
        let journey = try runJourney(
            quote, start: row.releaseAt, rejection: rejection, network: network, in: transaction)
        _ = try postReservation(
            hold, amount: nil, key: SystemKey.payoutRelease(row.id), in: mutation)
        try transaction.setPayoutJourney(
            id: row.id, status: PayoutStatus.released.rawValue, journey: try journey.json(),
            dueAt: journey.endsAt)
        try notify(
            mutation, order: nil,
            "payout \(row.id) released: \(quote.debited) \(quote.sendCurrency) debited, UETR \(row.uetr) — `track \(row.uetr)`"
        )
    }

    /// Runs the network on a quote's route.
    func runJourney(
        _ quote: PayoutQuote, start: Timestamp, rejection: PayoutJourney.Rejection?,
        network: Network, in transaction: StoreTransaction
    ) throws -> StoredJourney {
        let instructed = try Money.parsePositive("\(quote.instructed) \(quote.sendCurrency)")
        guard let bearer = ChargeBearer(parsing: quote.bearer) else {
            throw EngineError.invalidArgument("the stored quote has no charge bearer")
        }
        var rates: [String: CrossRate] = [:]
        let journey = try PayoutJourney.simulate(
            try quote.plan(), instructed: instructed, bearer: bearer, start: start,
            network: network, rejection: rejection
        ) { day, from, to in
            let key = "\(day)\(from.code)\(to.code)"
            if let known = rates[key] { return known }
            let found = try self.crossRate(from: from, to: to, on: day, in: transaction)
            rates[key] = found
            return found
        }
        return StoredJourney(journey, rejectedBy: rejection?.bank)
    }

    /// The journey has ended: the beneficiary was credited, or the return reached the debtor
    /// agent and is credited to the wallet in the currency it came back in.
    private func finish(_ row: PayoutRow, in mutation: Mutation) throws {
        let transaction = mutation.transaction
        guard let text = row.journey else {
            try transaction.setPayoutDue(id: row.id, at: nil)
            return
        }
        let journey = try StoredJourney.decode(text)
        let amount = try journey.endAmount.money
        if journey.end == "credited" {
            try transaction.setPayoutJourney(
                id: row.id, status: PayoutStatus.credited.rawValue, journey: text, dueAt: nil)
            try transaction.markBeneficiaryPaid(
                company: row.company, id: row.beneficiary, version: row.beneficiaryVersion)
            try notify(
                mutation, order: nil,
                "payout \(row.id) credited: \(amount) to \(row.beneficiary) (UETR \(row.uetr))")
            return
        }
        let quote = try PayoutQuote.decode(row.quote)
        if amount.minorUnits > 0 {
            let nostro = try ensureAccount(
                "nostro:\(quote.path[0]):\(amount.currency.code)", amount.currency,
                in: mutation.scope)
            let wallet = try ensureAccount(
                "wallet:\(row.company):\(amount.currency.code)", amount.currency,
                in: mutation.scope)
            // A return in a currency the company holds no wallet in opens one, serviced by the
            // bank the money came back to, so it is shown and can be spent.
            if try transaction.wallet(company: row.company, currency: amount.currency) == nil,
                let account = try mutation.scope.account(named: wallet)
            {
                try transaction.insertWallet(
                    company: row.company, currency: amount.currency, bank: quote.path[0],
                    accountID: account.id, at: mutation.now)
            }
            _ = try book(
                .twoLeg(debit: nostro, credit: wallet, amount: amount), kind: "payout-return",
                key: SystemKey.payoutReturn(row.id),
                memo: "return of payout \(row.id) \(row.uetr) (\(journey.reason ?? ""))",
                in: mutation)
            // The wallet in that currency may be serviced by another bank: the money is moved
            // there between our own accounts, so the wallet's next payout finds it where it
            // is sent from.
            if let serviced = try transaction.wallet(
                company: row.company, currency: amount.currency),
                serviced.bank != quote.path[0]
            {
                let home = try ensureAccount(
                    "nostro:\(serviced.bank):\(amount.currency.code)", amount.currency,
                    in: mutation.scope)
                _ = try book(
                    .twoLeg(debit: home, credit: nostro, amount: amount), kind: "return-cover",
                    key: SystemKey.payoutReturn(row.id) + ":cover",
                    memo:
                        "return of payout \(row.id) moved from \(quote.path[0]) to \(serviced.bank), which services the wallet",
                    in: mutation)
            }
        }
        try transaction.setPayoutJourney(
            id: row.id, status: PayoutStatus.returned.rawValue, journey: text, dueAt: nil)
        let why = journey.reason.map { "\($0) \(GPIReason.meaning($0))" } ?? ""
        try notify(
            mutation, order: nil,
            "payout \(row.id) returned (\(why)): \(amount) credited back to wallet \(row.company) \(amount.currency.code)"
        )
    }
}

extension PayoutQuote {
    static func decode(_ text: String) throws -> PayoutQuote {
        try JSONDecoder().decode(PayoutQuote.self, from: Data(text.utf8))
    }
}

extension SystemKey {
    static func payoutRelease(_ id: Int64) -> String { "\(prefix)payout:\(id):release" }
    static func payoutReturn(_ id: Int64) -> String { "\(prefix)payout:\(id):return" }
}
