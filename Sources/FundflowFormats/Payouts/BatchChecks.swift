import FundflowCore

/// Why one value of a batch file is not acceptable, as a sentence to show next to its location.
struct CheckFailure: Error, Equatable {
    let message: String
    init(_ message: String) { self.message = message }
}

/// The checks pain.001 and CSV batches share, so both say the same thing about the same mistake.
enum BatchChecks {
    /// ISO 20022 `Max35Text`: EndToEndId, InstrId, MsgId, PmtInfId.
    static let identifierLengthMaximum = 35
    /// ISO 20022 `Max140Text`: names and remittance lines.
    static let nameLengthMaximum = 140
    /// The EndToEndId a sender writes when it has none; the only one that may repeat.
    static let notProvided = "NOTPROVIDED"

    /// A currency that new payments can be made in.
    static func currency(_ code: String) throws(CheckFailure) -> Currency {
        let currency: Currency
        do {
            currency = try Currency.named(code)
        } catch {
            throw CheckFailure(error.description)
        }
        guard !currency.isHistoric else {
            throw CheckFailure("\(code) is no longer issued: pay in its successor currency")
        }
        return currency
    }

    /// A positive amount written as plain digits with an optional `.` and at most the currency's
    /// decimals (`1234.56`, `488`): no sign, no grouping, never rounded.
    static func amount(_ text: String, _ currency: Currency) throws(CheckFailure) -> Money {
        let example =
            currency.exponent == 0
            ? "1234" : "1234." + String(repeating: "5", count: currency.exponent)
        if text.isEmpty { throw CheckFailure("the amount is empty: expected e.g. \(example)") }
        if text.hasPrefix("-") {
            throw CheckFailure("'\(text)' is negative: amounts must be positive")
        }
        guard ExactDecimal(parsing: text) != nil else {
            throw CheckFailure(
                "'\(text)' is not an amount: expected digits with an optional '.' and up to \(currency.exponent) decimals, e.g. \(example)"
            )
        }
        let minor: Int64
        do {
            minor = try Money.parseMinorUnits(text, currency: currency)
        } catch {
            throw CheckFailure(error.description)
        }
        guard minor > 0 else {
            throw CheckFailure("'\(text) \(currency.code)' is zero: amounts must be positive")
        }
        return Money(minorUnits: minor, currency: currency)
    }

    /// The IBAN upper-cased without spaces, or why it is not one (FundflowCore's check, as schwifty's).
    static func iban(_ text: String) throws(CheckFailure) -> IBAN {
        do {
            return try IBAN(parsing: text)
        } catch {
            throw CheckFailure(error.description)
        }
    }

    /// A BIC of ISO 9362 form whose country is an ISO 3166 country.
    static func bic(_ text: String) throws(CheckFailure) {
        guard BIC.isWellFormed(text) else {
            throw CheckFailure(
                "BIC '\(text)' is not well-formed: 4 letters (bank), 2 letters (country), 2 letters or digits (location), optionally 3 more (branch), in capitals, e.g. DEUTDEFFXXX"
            )
        }
        let country = Network.country(ofBIC: text)
        guard CountryCode.isKnown(country) else {
            throw CheckFailure("BIC \(text): '\(country)' is not an ISO 3166 country code")
        }
    }

    /// A calendar date `YYYY-MM-DD`.
    static func date(_ text: String) throws(CheckFailure) {
        guard RateDay(text) != nil else {
            throw CheckFailure("'\(text)' is not a date: expected YYYY-MM-DD, e.g. 2024-01-02")
        }
    }

    /// A purpose code where the delivered currency needs one (INR, CNY) or one is given.
    static func purpose(_ code: String?, currency: Currency, field: String) throws(CheckFailure) {
        do {
            _ = try PurposeCode.check(code, currency: currency.code)
        } catch .purposeRequired(let needing) {
            throw CheckFailure(
                "\(needing) payments need a purpose: \(field) with an ISO 20022 code such as SUPP or GDDS\(needing == "INR" ? ", or an RBI code such as P1006" : "")"
            )
        } catch {
            throw CheckFailure(error.description)
        }
    }

    /// An identifier of at most 35 characters (`what` names it in the message).
    static func identifier(_ text: String, what: String) throws(CheckFailure) {
        if text.isEmpty { throw CheckFailure("the \(what) is empty") }
        if text.count > identifierLengthMaximum {
            throw CheckFailure(
                "the \(what) '\(text)' has \(text.count) characters: at most \(identifierLengthMaximum) are allowed"
            )
        }
    }

    /// A UUID v4 in lower case, as ISO 20022 `UUIDv4Identifier` and SWIFT gpi require.
    static func uetr(_ text: String) throws(CheckFailure) {
        let characters = Array(text)
        let hex: (Character) -> Bool = { ("0"..."9").contains($0) || ("a"..."f").contains($0) }
        let dashes = [8, 13, 18, 23]
        let wellFormed =
            characters.count == 36
            && characters.indices.allSatisfy {
                dashes.contains($0) ? characters[$0] == "-" : hex(characters[$0])
            }
            && characters[14] == "4" && "89ab".contains(characters[19])
        guard wellFormed else {
            throw CheckFailure(
                "UETR '\(text)' is not a lower-case UUID v4 such as 235d1eb5-8dd7-4c1a-8ece-559df8c67da1"
            )
        }
    }
}

/// First occurrences of identifiers that must be unique in a file (EndToEndId, UETR, PmtInfId).
struct FirstOccurrences {
    /// Value → where its location starts in `locations`. The locations (element paths of some
    /// 70 characters) share one byte buffer instead of a string each: 100,000 payments' ids then
    /// take a few megabytes, not a dozen.
    private var first: [String: Int] = [:]
    private var locations: [UInt8] = []

    /// Nil the first time `value` is seen, else where it was first seen.
    mutating func repeated(_ value: String, at location: String) -> String? {
        if let start = first[value] {
            let end = locations[start...].firstIndex(of: 0) ?? locations.endIndex
            return String(decoding: locations[start..<end], as: UTF8.self)
        }
        first[value] = locations.count
        locations.append(contentsOf: location.utf8)
        locations.append(0)
        return nil
    }
}
