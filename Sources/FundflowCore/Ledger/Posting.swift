/// One leg of a transfer: a positive amount on one side of one account.
public struct Posting: Equatable, Sendable {
    public let account: AccountName
    public let side: Side
    public let amount: Money

    public init(_ side: Side, _ account: AccountName, _ amount: Money) {
        self.account = account
        self.side = side
        self.amount = amount
    }
}

/// The postings of one transfer before they are written, checked against the rules of double entry.
public struct TransferDraft: Equatable, Sendable {
    public let postings: [Posting]

    public init(postings: [Posting]) { self.postings = postings }

    /// A two-leg transfer: debit one account, credit another, the same amount.
    public static func twoLeg(
        debit: AccountName, credit: AccountName, amount: Money
    ) -> TransferDraft {
        TransferDraft(postings: [Posting(.debit, debit, amount), Posting(.credit, credit, amount)])
    }

    /// Checks the draft against the accounts it names: at least one debit and one credit, positive
    /// amounts in each account's own currency, no account on both sides, and for every currency
    /// debits equal to credits. The first failing check, in posting order, is reported.
    public func validate(accounts: [AccountName: AccountDefinition]) throws(LedgerError) {
        guard postings.contains(where: { $0.side == .debit }),
            postings.contains(where: { $0.side == .credit })
        else { throw .tooFewPostings }
        var sides: [AccountName: Side] = [:]
        var currencies: [Currency] = []
        for posting in postings {
            guard let account = accounts[posting.account] else {
                throw .unknownAccount(posting.account.rawValue)
            }
            guard posting.amount.currency == account.currency else {
                throw .postingCurrencyMismatch(
                    account: posting.account.rawValue, accountCurrency: account.currency.code,
                    postingCurrency: posting.amount.currency.code)
            }
            precondition(
                posting.amount.minorUnits > 0,
                "postings carry positive amounts; callers parse with parsePositive")
            if let seen = sides[posting.account], seen != posting.side {
                throw .sameAccountBothSides(posting.account.rawValue)
            }
            sides[posting.account] = posting.side
            if !currencies.contains(posting.amount.currency) {
                currencies.append(posting.amount.currency)
            }
        }
        for currency in currencies {
            let legs = postings.filter { $0.amount.currency == currency }
            let debits = Self.sum(legs.filter { $0.side == .debit }, currency)
            let credits = Self.sum(legs.filter { $0.side == .credit }, currency)
            guard let debits, let credits, debits == credits else {
                throw .unbalanced(
                    currency: currency.code,
                    debits: debits.map { Money(minorUnits: $0, currency: currency).amountString }
                        ?? "overflow",
                    credits: credits.map { Money(minorUnits: $0, currency: currency).amountString }
                        ?? "overflow")
            }
        }
    }

    private static func sum(_ postings: [Posting], _ currency: Currency) -> Int64? {
        try? Int64.checkedSum(postings.map(\.amount.minorUnits), what: "the \(currency.code) legs")
    }
}
