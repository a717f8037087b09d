/// A currency that can be money here: an ISO 4217 code with a minor unit (0 to 4 digits).
///
/// Instances only come from ``Currency/table``, so a `Currency` value always has a known exponent.
/// Codes without a minor unit (XAU, XDR, …) are not in the table and never become money.
public struct Currency: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Three capital letters, as ISO 4217 spells them.
    public let code: String
    /// Digits after the decimal point of the major unit: JPY 0, USD 2, KWD 3, CLF 4.
    public let exponent: Int
    /// A code the ECB history still quotes but no one may open a wallet in (CYP, HRK, BGN, TRL, …).
    public let isHistoric: Bool

    init(_ code: String, _ exponent: Int, historic: Bool = false) {
        precondition(
            code.count == 3 && (0...4).contains(exponent), "bad currency table row \(code)")
        self.code = code
        self.exponent = exponent
        self.isHistoric = historic
    }

    /// Looks a code up; `nil` when it is not money here.
    public static func lookup(_ code: String) -> Currency? { byCode[code] }

    /// Looks a code up and explains what is wrong when it is not money here.
    public static func named(_ code: String) throws(MoneyError) -> Currency {
        if let currency = byCode[code] { return currency }
        let isCode = code.count == 3 && code.unicodeScalars.allSatisfy { ("A"..."Z").contains($0) }
        guard isCode else { throw .malformedCurrency(code) }
        if nonMoneyCodes.contains(code) { throw .notMoney(code) }
        throw .unknownCurrency(code)
    }

    /// 10^exponent, the number of minor units in one major unit.
    public var minorPerMajor: Int64 {
        var value: Int64 = 1
        for _ in 0..<exponent { value *= 10 }
        return value
    }

    public var description: String { code }

    public static func < (lhs: Currency, rhs: Currency) -> Bool { lhs.code < rhs.code }

    private static let byCode: [String: Currency] = Dictionary(
        uniqueKeysWithValues: table.map { ($0.code, $0) })

    /// ISO 4217 codes with "N.A." as minor unit: precious metals, SDR, bond units, test and no-currency codes.
    static let nonMoneyCodes: Set<String> = [
        "XAG", "XAU", "XBA", "XBB", "XBC", "XBD", "XDR", "XPD", "XPT", "XSU", "XTS", "XUA", "XXX",
    ]
}

extension Currency {
    public static let eur = Currency("EUR", 2)
    public static let usd = Currency("USD", 2)
}
