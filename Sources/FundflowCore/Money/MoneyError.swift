/// Everything that can be wrong with an amount a person typed or a computation on amounts.
public enum MoneyError: Error, Equatable, Sendable, CustomStringConvertible {
    case empty
    case malformedCurrency(String)
    case unknownCurrency(String)
    case notMoney(String)
    case missingCurrency(String)
    case malformedAmount(String, expected: String)
    case tooManyDecimals(String, currency: String, allowed: Int)
    case notPositive(String)
    case currencyMismatch(String, String)
    case overflow(String)
    case invalidRate(String, expected: String)
    case invalidAllocation(String)

    public var description: String {
        switch self {
        case .empty:
            return "an amount is required, e.g. \"1234.56 EUR\""
        case .malformedCurrency(let code):
            return "'\(code)' is not a currency code: expected three capital letters such as EUR"
        case .unknownCurrency(let code):
            return "unknown currency '\(code)': expected an ISO 4217 code such as EUR, USD or JPY"
        case .notMoney(let code):
            return "\(code) has no minor unit in ISO 4217 and cannot be used as money here"
        case .missingCurrency(let text):
            return "'\(text)' has no currency: write it as \"\(text) EUR\" or \"EUR \(text)\""
        case .malformedAmount(let text, let expected):
            return "'\(text)' is not an amount: expected \(expected)"
        case .tooManyDecimals(let text, let currency, let allowed):
            let digits = allowed == 1 ? "1 decimal" : "\(allowed) decimals"
            return
                "'\(text)' has more decimals than \(currency) allows (\(digits)); amounts are never rounded silently"
        case .notPositive(let text):
            return "'\(text)' must be a positive amount"
        case .currencyMismatch(let left, let right):
            return "cannot combine \(left) with \(right): the currencies differ"
        case .overflow(let what):
            return "\(what) is too large to represent exactly"
        case .invalidRate(let text, let expected):
            return "'\(text)' is not a rate: expected \(expected)"
        case .invalidAllocation(let reason):
            return "cannot allocate: \(reason)"
        }
    }
}
