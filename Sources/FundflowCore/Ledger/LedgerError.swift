/// Why a ledger operation was refused. Cases marked *business* in ``isBusinessRefusal`` depend on
/// the state of the books (a balance, a hold's status); the rest are about the request itself.
public enum LedgerError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidAccountName(String, reason: String)
    case unknownPrefix(String)
    case accountPattern(String, expected: String)
    case currencySegmentMismatch(account: String, segment: String, currency: String)
    case typeMismatch(account: String, derived: String, requested: String)
    case historicCurrency(String)
    case accountConflict(account: String, existing: String, requested: String)
    case unknownAccount(String)
    case postingCurrencyMismatch(account: String, accountCurrency: String, postingCurrency: String)
    case tooFewPostings
    case sameAccountBothSides(String)
    case unbalanced(currency: String, debits: String, credits: String)
    case insufficientFunds(account: String, available: String, needed: String)
    case overflow(account: String)
    case holdNotFound(Int64)
    case holdNotPending(Int64, status: String)
    case holdPostExceedsAmount(Int64, requested: String, held: String)
    case transferNotFound(Int64)
    case alreadyReversed(Int64, by: Int64)
    case reversalOfReversal(Int64)
    case customerMoneyNeedsReason(String)

    /// True when the books' state, not the request, caused the refusal: such refusals are recorded
    /// under the idempotency key and repeated for the same key (DESIGN.md §4).
    public var isBusinessRefusal: Bool {
        switch self {
        case .insufficientFunds, .overflow, .holdNotPending, .alreadyReversed: return true
        case .invalidAccountName, .unknownPrefix, .accountPattern, .currencySegmentMismatch,
            .typeMismatch, .historicCurrency, .accountConflict, .unknownAccount,
            .postingCurrencyMismatch, .tooFewPostings, .sameAccountBothSides, .unbalanced,
            .holdNotFound, .holdPostExceedsAmount, .transferNotFound, .reversalOfReversal,
            .customerMoneyNeedsReason:
            return false
        }
    }

    public var description: String {
        switch self {
        case .invalidAccountName(let name, let reason):
            return "'\(name)' is not an account name: \(reason)"
        case .unknownPrefix(let name):
            return "'\(name)' has no known prefix: expected one of \(AccountClass.prefixList)"
        case .accountPattern(let name, let expected):
            return "'\(name)' does not follow its prefix's pattern: expected \(expected)"
        case .currencySegmentMismatch(let account, let segment, let currency):
            return
                "account \(account) ends in \(segment) but was opened in \(currency): the last segment must be the account's currency"
        case .typeMismatch(let account, let derived, let requested):
            return
                "account \(account) is \(derived) by its prefix; --type \(requested) contradicts it"
        case .historicCurrency(let code):
            return
                "\(code) is a historic currency: usable for conversions on dates it was quoted, never for new accounts"
        case .accountConflict(let account, let existing, let requested):
            return
                "account \(account) already exists as \(existing); cannot open it again as \(requested)"
        case .unknownAccount(let name):
            return "no account named \(name): open it first with `ledger open \(name) CCY`"
        case .postingCurrencyMismatch(let account, let accountCurrency, let postingCurrency):
            return "account \(account) holds \(accountCurrency), not \(postingCurrency)"
        case .tooFewPostings:
            return "a transfer needs at least one debit and one credit"
        case .sameAccountBothSides(let account):
            return "account \(account) cannot be both debited and credited in one transfer"
        case .unbalanced(let currency, let debits, let credits):
            return
                "the transfer does not balance in \(currency): debits \(debits), credits \(credits)"
        case .insufficientFunds(let account, let available, let needed):
            return "insufficient funds in \(account): available \(available), needed \(needed)"
        case .overflow(let account):
            return "the balance of \(account) would exceed what can be represented exactly"
        case .holdNotFound(let id):
            return "no hold with id \(id): see `ledger hold list`"
        case .holdNotPending(let id, let status):
            return
                "hold \(id) is \(status), not pending: only a pending hold can be posted or voided"
        case .holdPostExceedsAmount(let id, let requested, let held):
            return "cannot post \(requested) from hold \(id): it reserves only \(held)"
        case .transferNotFound(let id):
            return "no transfer with id \(id): see `ledger history ACCOUNT`"
        case .alreadyReversed(let id, let by):
            return "transfer \(id) was already reversed by transfer \(by)"
        case .reversalOfReversal(let id):
            return "transfer \(id) is itself a reversal; post a new transfer instead"
        case .customerMoneyNeedsReason(let account):
            return
                "the post touches customer money in \(account): give --reason explaining why (it is marked in the audit log)"
        }
    }
}

/// An error that may be a *business* refusal: the state of the books said no, so the refusal is
/// recorded under the request's idempotency key and repeated for that key.
public protocol BusinessRefusable: Error, CustomStringConvertible {
    var isBusinessRefusal: Bool { get }
}

extension LedgerError: BusinessRefusable {}
