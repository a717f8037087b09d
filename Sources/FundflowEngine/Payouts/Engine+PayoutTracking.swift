import Foundation
import FundflowCore
import FundflowStore

/// Why a released payout is recalled (ISO 20022 cancellation reasons, camt.056).
public enum RecallReason: String, Sendable, CaseIterable {
    /// A duplicate payment.
    case dupl = "DUPL"
    /// The customer asked.
    case cust = "CUST"
    /// An agent's mistake.
    case agnt = "AGNT"
    /// Fraud.
    case frad = "FRAD"
}

/// What `network fail` set.
public struct NetworkFailureView: Codable, Equatable, Sendable {
    public let bic: String
    public let reason: String
    public let meaning: String
    /// The share of payouts that fail there, `0.1` for one in ten.
    public let share: String
    public let seed: Int64
    public let setBy: String
    public let setAt: String
    /// Payouts already on their way that will now be rejected when they reach the bank.
    public var reachedInFlight: [Int64] = []
}

extension NetworkFailureView: Replayable {}

/// What `network heal` did: `healed` is false when the bank was not failing.
public struct NetworkHealView: Codable, Equatable, Sendable, Replayable {
    public let bic: String
    public let healed: Bool
}

extension Engine {
    /// `payout recall ID --reason DUPL|CUST|AGNT|FRAD` after release (a treasurer or approver).
    ///
    /// The network answers as the gpi stop-and-recall service does: a payout still on its way is
    /// stopped at the next bank it reaches, which returns it (`CNCL`, reason `FOCR`, the money
    /// comes back as a return when it arrives); a payout already credited needs the beneficiary's
    /// consent (`PDCR`: money moves only if a return arrives); one already rejected or returned
    /// cannot be recalled (`RJCR`). Asking again gives the first answer.
    public func recallPayout(
        _ id: String, reason: String, _ context: CommandContext
    ) throws -> PayoutView {
        guard let code = RecallReason(rawValue: reason.uppercased()) else {
            throw EngineError.invalidArgument(
                "--reason must be one of DUPL, CUST, AGNT, FRAD, not '\(reason)'")
        }
        let network = try network()
        try ensureRates()
        return try mutate(context, needs: nil) { mutation in
            let transaction = mutation.transaction
            let row = try Self.findPayout(id, in: transaction)
            try requireMember(
                row.company, context.actor, roles: [.treasurer, .approver], in: transaction)
            if let existing = row.recall.flatMap({ try? StoredRecall.decode($0) }) {
                return try payoutView(
                    row,
                    warnings: [
                        "payout \(row.id) was already recalled (\(existing.reason)): \(existing.status)"
                    ], in: transaction)
            }
            guard let text = row.journey else {
                if row.status == PayoutStatus.cancelled.rawValue {
                    throw PayoutError.notRecallable(id: row.id, status: row.status)
                }
                throw PayoutError.notReleased(id: row.id, status: row.status)
            }
            let journey = try StoredJourney.decode(text)
            let now = mutation.now.millisecondsSinceEpoch
            let passed = journey.events.filter { $0.time <= now }
            let status: String
            let detail: String
            if passed.contains(where: { $0.status == GPIStatus.rjct.rawValue }) {
                status = "RJCR"
                detail = "already rejected: its return brings the money back"
            } else if passed.contains(where: { $0.status == GPIStatus.accc.rawValue }) {
                status = "PDCR"
                detail =
                    "already credited: the beneficiary's bank asks the beneficiary; money moves only if a return arrives"
            } else {
                guard let next = journey.events.first(where: { $0.time > now }) else {
                    throw PayoutError.notRecallable(id: row.id, status: row.status)
                }
                let quote = try PayoutQuote.decode(row.quote)
                let stopped = try runJourney(
                    quote, start: row.releaseAt,
                    rejection: PayoutJourney.Rejection(bank: next.from, reason: "FOCR"),
                    network: network, in: transaction)
                try transaction.setPayoutJourney(
                    id: row.id, status: row.status, journey: try stopped.json(),
                    dueAt: stopped.endsAt)
                status = "CNCL"
                detail =
                    "stopped at \(next.from); the return reaches \(quote.path[0]) at \(stopped.endsAt)"
            }
            let recall = StoredRecall(
                reason: code.rawValue, status: status, detail: detail, by: context.actor.name,
                at: now)
            try transaction.setPayoutRecall(id: row.id, recall: try recall.json())
            guard let updated = try transaction.payout(id: row.id) else {
                throw PayoutError.unknownPayout(id)
            }
            return try payoutView(updated, warnings: [], in: transaction)
        }.value
    }

    /// `track UETR` (members of the payout's company): the events the database clock has passed,
    /// as the gpi tracker knows them.
    public func track(_ uetr: String, as actor: Actor) throws -> PayoutTrack {
        try store.read { transaction in
            let row = try Self.findPayout(uetr, in: transaction)
            if actor.role != .admin { try requireMember(row.company, actor, in: transaction) }
            let now = try time(in: transaction).millisecondsSinceEpoch
            let beneficiary = try transaction.beneficiary(company: row.company, id: row.beneficiary)
            // The stand-in for a bank reached by domestic clearing (the last bank of an estimated
            // route) reads as its clearing id, as `payout show` has it.
            let quote = try PayoutQuote.decode(row.quote)
            func name(_ bank: String) -> String {
                guard quote.estimated, bank == quote.path.last, let beneficiary else { return bank }
                return beneficiary.bank
            }
            let journey = try row.journey.map(StoredJourney.decode)
            let seen = (journey?.events ?? []).filter { $0.time <= now && $0.tracked }
            let events = seen.map { event in
                PayoutTrack.Event(
                    from: name(event.from), to: name(event.to), eventStatus: event.status,
                    eventStatusReason: event.reason.isEmpty ? nil : event.reason,
                    meaning: Self.meaning(event.status, event.reason, isReturn: event.isReturn),
                    instructedAmount: PayoutTrack.Amount(event.instructed),
                    interbankSettlementAmount: event.settlement.map(PayoutTrack.Amount.init),
                    confirmedAmount: event.confirmed.map(PayoutTrack.Amount.init),
                    chargesInformation: event.charges.map {
                        PayoutTrack.Charge(
                            amount: PayoutTrack.Amount($0.amount), agent: name($0.agent))
                    },
                    sourceCurrency: event.conversion?.source,
                    targetCurrency: event.conversion?.target,
                    exchangeRate: event.conversion?.rate,
                    eventCreationDateTime: Timestamp(millisecondsSinceEpoch: event.time).iso8601,
                    isReturn: event.isReturn)
            }
            let last = seen.last
            let recall = try row.recall.map(StoredRecall.decode).map {
                PayoutTrack.Recall(
                    reason: $0.reason, status: $0.status, detail: $0.detail, requestedBy: $0.by,
                    requestedAt: Timestamp(millisecondsSinceEpoch: $0.at).iso8601)
            }
            let status = last?.status ?? "PDNG"
            let reason = last.flatMap { $0.reason.isEmpty ? nil : $0.reason }
            let meaning =
                last.map { Self.meaning($0.status, $0.reason, isReturn: $0.isReturn) }
                ?? (row.status == PayoutStatus.cancelled.rawValue
                    ? "cancelled before release: nothing was sent"
                    : "not released yet: it leaves at \(row.releaseAt) once approved")
            return PayoutTrack(
                uetr: row.uetr, payout: row.id, company: row.company,
                beneficiary: row.beneficiary, state: row.status, transactionStatus: status,
                transactionStatusReason: reason, meaning: meaning,
                releaseAt: row.releaseAt.iso8601, paymentEvent: events, recall: recall)
        }
    }

    static func meaning(_ status: String, _ reason: String, isReturn: Bool) -> String {
        let what = GPIStatus(rawValue: status)?.meaning ?? status
        let why = reason.isEmpty ? "" : ": \(GPIReason.meaning(reason))"
        if isReturn { return "returning\(why)" }
        return what + why
    }

    /// `network fail BIC --reason CODE [--share 0.1] [--seed N]`: payouts released from now on
    /// are rejected at that bank (all, or the share the seed picks).
    public func failBank(
        _ bic: String, reason: String, share: String, seed: Int64, _ context: CommandContext
    ) throws -> NetworkFailureView {
        let network = try network()
        let bank = try Self.networkBank(bic, in: network)
        let code = reason.uppercased()
        guard code.count == 4, code.allSatisfy({ $0.isLetter || $0.isNumber }) else {
            throw EngineError.invalidArgument(
                "--reason must be a four-character ISO reason code such as AC01, not '\(reason)'")
        }
        let bps = try Self.shareBasisPoints(share)
        try ensureRates()
        return try mutate(context, needs: .manageLedger) { mutation in
            let row = NetworkFailureRow(
                bic: bank, reason: code, shareBps: bps, seed: seed, setBy: context.actor.name,
                setAt: mutation.now)
            try mutation.transaction.saveNetworkFailure(row)
            var view = Self.view(row)
            view.reachedInFlight = try failInFlight(row, network: network, in: mutation)
            return view
        }.value
    }

    /// A bank told to fail rejects the payouts on their way that have not reached it yet (and
    /// that its share picks): their journeys are run again from their release with the reject
    /// at that bank, so what already happened stays as it was and the rest changes.
    private func failInFlight(
        _ failure: NetworkFailureRow, network: Network, in mutation: Mutation
    ) throws -> [Int64] {
        let transaction = mutation.transaction
        let rule = BankFailure(
            bic: failure.bic, reason: failure.reason, shareBps: failure.shareBps,
            seed: failure.seed)
        let now = mutation.now.millisecondsSinceEpoch
        var reached: [Int64] = []
        for row in try transaction.payoutsInFlight(at: mutation.now) {
            guard let text = row.journey else { continue }
            let journey = try StoredJourney.decode(text)
            let quote = try PayoutQuote.decode(row.quote)
            // Already rejected or returning, already through that bank, or not picked: unchanged.
            guard journey.rejectedBy == nil, row.recall == nil,
                quote.path.dropFirst().contains(failure.bic), rule.rejects(uetr: row.uetr),
                !journey.events.contains(where: {
                    $0.time <= now && ($0.from == failure.bic || $0.isReturn)
                })
            else { continue }
            let failed = try runJourney(
                quote, start: row.releaseAt,
                rejection: PayoutJourney.Rejection(bank: failure.bic, reason: failure.reason),
                network: network, in: transaction)
            // The bank may act on it before the failure was set (it was through it already).
            guard
                let rejectedAt = failed.events.first(where: {
                    $0.status == GPIStatus.rjct.rawValue
                })?.time, rejectedAt > now
            else { continue }
            try transaction.setPayoutJourney(
                id: row.id, status: row.status, journey: try failed.json(), dueAt: failed.endsAt)
            reached.append(row.id)
        }
        return reached
    }

    /// `network heal BIC`.
    public func healBank(_ bic: String, _ context: CommandContext) throws -> NetworkHealView {
        let bank = try Self.networkBank(bic, in: try network())
        return try mutate(context, needs: .manageLedger) { mutation in
            NetworkHealView(
                bic: bank, healed: try mutation.transaction.deleteNetworkFailure(bic: bank))
        }.value
    }

    /// `network failures`.
    public func bankFailures(as actor: Actor) throws -> [NetworkFailureView] {
        try store.read { try $0.networkFailures().map(Self.view) }
    }

    static func view(_ row: NetworkFailureRow) -> NetworkFailureView {
        NetworkFailureView(
            bic: row.bic, reason: row.reason, meaning: GPIReason.meaning(row.reason),
            share: Self.shareText(row.shareBps), seed: row.seed, setBy: row.setBy,
            setAt: row.setAt.iso8601)
    }

    private static func networkBank(_ bic: String, in network: Network) throws -> String {
        let upper = bic.uppercased()
        let full = upper.count == 8 ? upper + "XXX" : upper
        guard network.banks[full] != nil else {
            throw EngineError.invalidArgument(
                "\(bic) is not a bank of the network: see `network banks`")
        }
        return full
    }

    /// `0.1` → 1,000 basis points; a share is more than 0 and at most 1, with at most four decimals.
    static func shareBasisPoints(_ text: String) throws -> Int {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        let whole = parts.first.map(String.init) ?? ""
        let fraction = parts.count == 2 ? String(parts[1]) : ""
        guard parts.count <= 2, !whole.isEmpty, whole.allSatisfy(\.isASCII),
            let units = Int(whole), fraction.count <= 4,
            fraction.allSatisfy({ $0.isASCII && $0.isNumber })
        else {
            throw EngineError.invalidArgument(
                "--share \(text): expected a fraction such as 0.1 (at most four decimals)")
        }
        let bps =
            units * 10_000 + (Int(fraction.padding(toLength: 4, withPad: "0", startingAt: 0)) ?? 0)
        guard bps > 0, bps <= 10_000 else {
            throw EngineError.invalidArgument("--share \(text): must be more than 0 and at most 1")
        }
        return bps
    }

    static func shareText(_ bps: Int) -> String {
        if bps == 10_000 { return "1" }
        var digits = String(bps)
        while digits.count < 4 { digits = "0" + digits }
        while digits.hasSuffix("0") { digits.removeLast() }
        return "0." + digits
    }
}
