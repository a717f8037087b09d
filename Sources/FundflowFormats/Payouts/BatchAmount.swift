public import FundflowCore

/// What a batch item fixes: the amount instructed, the amount debited, or the amount received.
public enum BatchAmount: Equatable, Sendable {
    /// `InstdAmt`: this amount is sent in its currency; fees follow the charge bearer.
    case send(Money)
    /// `EqvtAmt`: this amount is debited in the debtor account's currency and converted into
    /// `creditorCurrency` (`CcyOfTrf`), the currency delivered. In a CSV line with
    /// `amount_type=send` and a `source_currency` other than `currency`, likewise.
    case debit(Money, creditorCurrency: Currency)
    /// CSV `amount_type=receive`: the beneficiary must receive this amount; what is debited (in
    /// `debitCurrency`, the line's `source_currency`, nil when it is blank) is worked out by the
    /// engine. pain.001 has no such amount.
    case receive(Money, debitCurrency: Currency?)

    /// The amount the file states.
    public var money: Money {
        switch self {
        case .send(let money), .debit(let money, _), .receive(let money, _): return money
        }
    }

    /// The currency the beneficiary is paid in.
    public var deliveredCurrency: Currency {
        switch self {
        case .send(let money), .receive(let money, _): return money.currency
        case .debit(_, let creditorCurrency): return creditorCurrency
        }
    }
}
