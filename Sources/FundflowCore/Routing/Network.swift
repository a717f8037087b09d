/// A correspondent network as DESIGN.md §5 describes it: banks, the links along which they can
/// send a currency, their fees, FX margins, opening hours, holidays, domestic clearing, and the
/// currencies that may only be converted and carried at home.
public struct Network: Sendable {
    public struct Bank: Equatable, Sendable {
        public let bic: String
        public let name: String
        public let country: String
        public let timeZone: String
        public let gpi: Bool
        public let deductsUnderOur: Bool

        public init(
            bic: String, name: String, country: String, timeZone: String, gpi: Bool,
            deductsUnderOur: Bool
        ) {
            self.bic = bic
            self.name = name
            self.country = country
            self.timeZone = timeZone
            self.gpi = gpi
            self.deductsUnderOur = deductsUnderOur
        }
    }

    /// `from` can send a payment in `currency` to `to`, taking `latencyMinutes`.
    public struct Link: Equatable, Sendable {
        public let from: String
        public let to: String
        public let currency: Currency
        public let latencyMinutes: Int

        public init(from: String, to: String, currency: Currency, latencyMinutes: Int) {
            self.from = from
            self.to = to
            self.currency = currency
            self.latencyMinutes = latencyMinutes
        }
    }

    public enum FeeRole: String, Sendable, CaseIterable {
        case debtor
        case intermediary
        case creditor
        case any
    }

    /// `fee = clamp(fixed + round_half_up(base × bps / 10000), min, max)`, `max` 0 = no maximum.
    public struct Fee: Equatable, Sendable {
        public let bic: String
        public let currency: Currency
        public let role: FeeRole
        public let fixedMinor: Int64
        public let bps: Int64
        public let minMinor: Int64
        public let maxMinor: Int64

        public init(
            bic: String, currency: Currency, role: FeeRole, fixedMinor: Int64, bps: Int64,
            minMinor: Int64, maxMinor: Int64
        ) {
            self.bic = bic
            self.currency = currency
            self.role = role
            self.fixedMinor = fixedMinor
            self.bps = bps
            self.minMinor = minMinor
            self.maxMinor = maxMinor
        }

        public func charge(onMinor base: Int64) throws(MoneyError) -> Int64 {
            try Rounding.percentageFee(
                baseMinor: base, bps: bps, fixedMinor: fixedMinor, minMinor: minMinor,
                maxMinor: maxMinor)
        }
    }

    /// That bank converts `from` into `to` at the ECB cross rate less `marginBps`.
    public struct FX: Equatable, Sendable {
        public let bic: String
        public let from: Currency
        public let to: Currency
        public let marginBps: Int64

        public init(bic: String, from: Currency, to: Currency, marginBps: Int64) {
            self.bic = bic
            self.from = from
            self.to = to
            self.marginBps = marginBps
        }
    }

    /// Local opening time and cut-off of a bank for a currency, in minutes after midnight.
    public struct Cutoff: Equatable, Sendable {
        public let bic: String
        public let currency: Currency
        public let opensMinute: Int
        public let cutoffMinute: Int

        public init(bic: String, currency: Currency, opensMinute: Int, cutoffMinute: Int) {
            self.bic = bic
            self.currency = currency
            self.opensMinute = opensMinute
            self.cutoffMinute = cutoffMinute
        }
    }

    /// Any bank of `country`, even one outside the network, is reachable in `currency` from a
    /// network bank of the same country, for `fixedMinor` and `latencyMinutes`.
    public struct Clearing: Equatable, Sendable {
        public let country: String
        public let currency: Currency
        public let fixedMinor: Int64
        public let latencyMinutes: Int

        public init(country: String, currency: Currency, fixedMinor: Int64, latencyMinutes: Int) {
            self.country = country
            self.currency = currency
            self.fixedMinor = fixedMinor
            self.latencyMinutes = latencyMinutes
        }
    }

    public let banks: [String: Bank]
    public let links: [Link]
    public let fees: [Fee]
    public let fx: [FX]
    public let cutoffs: [Cutoff]
    /// `(date "2026-12-25", calendar: a country or a currency code)`.
    public let holidays: Set<String>
    public let clearing: [Clearing]
    /// Restricted currencies and their home country.
    public let restricted: [Currency: String]

    /// Every currency some link carries.
    public let linkCurrencies: Set<Currency>
    /// The smallest margin any bank converts into each currency at.
    private let thinnestMargins: [Currency: Int64]

    // Lookup tables built once, by BIC: a route search looks rows up for every partial route, so
    // a lookup is one hash of the BIC and a scan of that bank's few rows, with no string built.
    let outgoing: [String: [Link]]
    let incoming: [String: [Link]]
    private let feeRows: [String: [Fee]]
    private let fxRows: [String: [FX]]
    private let cutoffRows: [String: [Cutoff]]
    private let clearingIndex: [String: Clearing]

    public init(
        banks: [Bank], links: [Link], fees: [Fee], fx: [FX], cutoffs: [Cutoff],
        holidays: [(String, String)],
        clearing: [Clearing], restricted: [Currency: String]
    ) {
        self.banks = Dictionary(banks.map { ($0.bic, $0) }, uniquingKeysWith: { first, _ in first })
        self.links = links
        self.fees = fees
        self.fx = fx
        self.cutoffs = cutoffs
        self.holidays = Set(holidays.map { "\($0.0)|\($0.1)" })
        self.clearing = clearing
        self.restricted = restricted
        linkCurrencies = Set(links.map(\.currency))
        thinnestMargins = fx.reduce(into: [:]) { margins, rule in
            margins[rule.to] = min(margins[rule.to] ?? rule.marginBps, rule.marginBps)
        }
        outgoing = Dictionary(grouping: links, by: \.from)
        incoming = Dictionary(grouping: links, by: \.to)
        feeRows = Dictionary(grouping: fees, by: \.bic)
        fxRows = Dictionary(grouping: fx, by: \.bic)
        cutoffRows = Dictionary(grouping: cutoffs, by: \.bic)
        clearingIndex = Dictionary(
            clearing.map { ("\($0.country)|\($0.currency.code)", $0) },
            uniquingKeysWith: { a, _ in a })
    }

    /// The fee row a bank uses for a role and currency: the role's own, else `any`; none is free.
    public func fee(_ bic: String, _ currency: Currency, role: FeeRole) -> Fee? {
        guard let rows = feeRows[bic] else { return nil }
        var fallback: Fee?
        for row in rows where row.currency == currency {
            if row.role == role { return row }
            if row.role == .any && fallback == nil { fallback = row }
        }
        return fallback
    }

    public func fxRule(_ bic: String, from: Currency, to: Currency) -> FX? {
        fxRows[bic]?.first { $0.from == from && $0.to == to }
    }

    /// The smallest margin of any conversion into `currency`; nil when no bank converts into it.
    public func thinnestMargin(into currency: Currency) -> Int64? { thinnestMargins[currency] }

    public func cutoff(_ bic: String, _ currency: Currency) -> Cutoff? {
        cutoffRows[bic]?.first { $0.currency == currency }
    }

    public func clearingRule(_ country: String, _ currency: Currency) -> Clearing? {
        clearingIndex["\(country)|\(currency.code)"]
    }

    public func links(from bic: String) -> [Link] { outgoing[bic] ?? [] }

    public func links(to bic: String) -> [Link] { incoming[bic] ?? [] }

    /// The country encoded in a BIC (characters 5 and 6).
    public static func country(ofBIC bic: String) -> String {
        let characters = Array(bic)
        return characters.count >= 6 ? String(characters[4...5]) : ""
    }

    /// A bank may convert or hold a restricted currency only in that currency's home country.
    public func allows(_ currency: Currency, at bic: String) -> Bool {
        guard let home = restricted[currency] else { return true }
        return (banks[bic]?.country ?? Network.country(ofBIC: bic)) == home
    }
}
