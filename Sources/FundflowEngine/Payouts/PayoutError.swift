/// Why a payout cannot be created or moved on, in words a treasurer can act on.
public enum PayoutError: Error, Equatable, Sendable, CustomStringConvertible {
    case amountChoice
    case currencyMismatch(beneficiary: String, currency: String, given: String)
    case noRoute(from: String, to: String, currency: String)
    case noSuchRoute(rank: Int, found: Int)
    case invalidRouteChoice(String)
    case invalidDate(String)
    case closedForever(bank: String)
    case unknownPayout(String)
    case notApprovable(id: Int64, status: String)
    case notCancellable(id: Int64, status: String)
    case ownPayout(user: String, id: Int64)
    case alreadyApproved(user: String, id: Int64)
    case beneficiaryNotApproved(String)
    case notReleased(id: Int64, status: String)
    case notRecallable(id: Int64, status: String)
    case inBatch(id: Int64, batch: Int64)
    case heldDuplicate(id: Int64, of: Int64)

    public var description: String {
        switch self {
        case .amountChoice:
            return
                "give either --send \"AMOUNT CCY\" (a fixed amount sent) or --receive \"AMOUNT CCY\" (a fixed amount to arrive)"
        case .currencyMismatch(let beneficiary, let currency, let given):
            return
                "\(beneficiary) is paid in \(currency); --receive must be in \(currency), not \(given)"
        case .noRoute(let from, let to, let currency):
            return
                "no route from \(from) to \(to) in \(currency): see `route compare` and `network show \(from)`"
        case .noSuchRoute(let rank, let found):
            return "--route \(rank): only \(found) route\(found == 1 ? "" : "s") found"
        case .invalidRouteChoice(let text):
            return "--route must be best, fastest or a rank (1, 2, …), not '\(text)'"
        case .invalidDate(let text): return "--date \(text): expected a date such as 2026-12-04"
        case .closedForever(let bank): return "\(bank) has no business day within 30 days"
        case .unknownPayout(let id): return "no payout \(id): see `payout list COMPANY`"
        case .notApprovable(let id, let status):
            return "payout \(id) is \(status); only a quoted payout is approved"
        case .notCancellable(let id, let status):
            return "payout \(id) is \(status): after release a payout can only be recalled"
        case .ownPayout(let user, let id):
            return
                "\(user) created payout \(id); another treasurer or approver of the company must approve it"
        case .alreadyApproved(let user, let id):
            return
                "\(user) has already approved payout \(id); the second approval must come from someone else"
        case .notReleased(let id, let status):
            return
                "payout \(id) is \(status) and not released yet: `payout cancel \(id)` returns everything"
        case .inBatch(let id, let batch):
            return
                "payout \(id) belongs to batch \(batch): it is approved and submitted with the batch (`batch approve \(batch)`)"
        case .heldDuplicate(let id, let earlier):
            return
                "payout \(id) looks like payout \(earlier) (same beneficiary and amount within a minute): check it, then `payout approve \(id) --confirm-duplicate` to pay both"
        case .notRecallable(let id, let status):
            return "payout \(id) is \(status): there is nothing on its way to recall"
        case .beneficiaryNotApproved(let id):
            return
                "beneficiary \(id) has a version waiting for approval (or changed since the quote): `beneficiary approve`, then quote again"
        }
    }
}
