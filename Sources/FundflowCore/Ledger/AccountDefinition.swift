/// Everything fixed about an account when it is opened. Opening the identical definition again is a
/// no-op; a different currency or type under the same name is refused.
public struct AccountDefinition: Equatable, Sendable {
    public let name: AccountName
    public let currency: Currency
    public let type: AccountType
    public let mayGoNegative: Bool
    public let isCustomerMoney: Bool

    public init(
        name: AccountName, currency: Currency, type: AccountType, mayGoNegative: Bool,
        isCustomerMoney: Bool
    ) {
        self.name = name
        self.currency = currency
        self.type = type
        self.mayGoNegative = mayGoNegative
        self.isCustomerMoney = isCustomerMoney
    }

    /// Derives the definition from the name's prefix, checking the currency segment and an
    /// optional `--type` the user gave.
    public static func derive(
        name: AccountName, currency: Currency, requestedType: AccountType?
    )
        throws(LedgerError) -> AccountDefinition
    {
        let accountClass = try AccountClass.of(name)
        let segments = name.segments
        if currency.isHistoric { throw .historicCurrency(currency.code) }
        // The currency segment must name the account's currency; a free-form name (equity:…,
        // provider:…) that ends in a currency code must end in its own.
        let index =
            accountClass.currencySegmentIndex
            ?? (Currency.lookup(segments[segments.count - 1]) != nil ? segments.count - 1 : nil)
        if let index, segments[index] != currency.code {
            throw .currencySegmentMismatch(
                account: name.rawValue, segment: segments[index], currency: currency.code)
        }
        if let requestedType, requestedType != accountClass.type {
            throw .typeMismatch(
                account: name.rawValue, derived: accountClass.type.rawValue,
                requested: requestedType.rawValue)
        }
        return AccountDefinition(
            name: name, currency: currency, type: accountClass.type,
            mayGoNegative: accountClass.mayGoNegative, isCustomerMoney: accountClass.isCustomerMoney
        )
    }

    public var normalSide: Side { type.normalSide }

    /// `EUR liability`, as messages about conflicting definitions show it.
    public var summary: String { "\(currency.code) \(type.rawValue)" }
}
