/// Why a payment is made, where the currency's rules ask for it (INR and CNY): an ISO 20022
/// `ExternalPurpose1Code` from the list below, or for INR a Reserve Bank of India purpose code
/// (`P` and four digits, e.g. `P1006`).
public enum PurposeCode {
    /// Currencies whose payments must carry a purpose.
    public static let required: Set<String> = ["INR", "CNY"]

    /// The ISO 20022 external purpose codes a treasury pays suppliers, staff and the state with.
    public static let iso: Set<String> = [
        "ACCT", "ADVA", "BEXP", "BONU", "CASH", "CBFF", "CCRD", "CHAR", "COMC", "COMM", "COMT",
        "CORT",
        "DCRD", "DIVD", "EDUC", "FEES", "GDDS", "GOVT", "GSCB", "HEDG", "ICRF", "INSU", "INTC",
        "INTE",
        "INVS", "IVPT", "LICF", "LOAN", "MDCS", "OTHR", "PENS", "RENT", "ROYA", "SALA", "SCVE",
        "SECU",
        "SSBE", "SUPP", "TAXS", "TRAD", "TREA", "VATX", "WHLD",
    ]

    /// Checks `code` for a payment in `currency`; nil is refused only where the currency needs one.
    public static func check(_ code: String?, currency: String) throws(BeneficiaryError) -> String?
    {
        guard let code else {
            if required.contains(currency) { throw .purposeRequired(currency) }
            return nil
        }
        let upper = code.uppercased()
        if iso.contains(upper) { return upper }
        let characters = Array(upper)
        if currency == "INR", characters.count == 5, characters[0] == "P",
            characters[1...].allSatisfy({ $0.isASCII && $0.isNumber })
        {
            return upper
        }
        throw .invalidPurpose(code, currency: currency)
    }
}

/// Why a beneficiary's details cannot be taken.
public enum BeneficiaryError: Error, Equatable, Sendable, CustomStringConvertible {
    case account(AccountError)
    case purposeRequired(String)
    case invalidPurpose(String, currency: String)
    case invalidBank(String, country: String)
    case countryMismatch(account: String, accountCountry: String, bank: String, bankCountry: String)
    case invalidCountry(String)
    case invalidName(String)
    case invalidID(String)
    case historicCurrency(String)

    public var description: String {
        switch self {
        case .account(let error): return error.description
        case .purposeRequired(let currency):
            return
                "\(currency) payments need a purpose: --purpose CODE (ISO 20022, e.g. SUPP or GDDS\(currency == "INR" ? ", or an RBI code such as P1006" : ""))"
        case .invalidPurpose(let code, let currency):
            return
                "'\(code)' is not a purpose code for \(currency): an ISO 20022 code such as SUPP, GDDS, SCVE, SALA\(currency == "INR" ? ", or an RBI code such as P1006" : "")"
        case .invalidBank(let text, let country):
            return
                "--bank '\(text)' is neither a BIC (e.g. DEUTDEFFXXX) nor a clearing id for \(country) (\(BankIdentifier.clearingHint(country)))"
        case .countryMismatch(let account, let accountCountry, let bank, let bankCountry):
            return
                "the account \(account) is in \(accountCountry) but the bank \(bank) is in \(bankCountry)"
        case .invalidCountry(let text):
            return "'\(text)' is not an ISO 3166 country code such as DE, IN or MX"
        case .invalidName(let text):
            return "'\(text)' is not a name: 1 to 140 characters, as ISO 20022 allows"
        case .historicCurrency(let code):
            return "\(code) is no longer issued: pay in its successor currency"
        case .invalidID(let id):
            return
                "'\(id)' is not a beneficiary id: 1 to 40 letters, digits, '-', '_' or '.', starting with a letter or digit"
        }
    }
}

/// The beneficiary's bank: a BIC, or a national clearing id (US ABA routing number, Indian IFSC,
/// Chinese CNAPS code, or another country's clearing member id of 3–15 letters and digits).
public enum BankIdentifier: Hashable, Sendable, CustomStringConvertible {
    case bic(String)
    case clearing(country: String, id: String)

    public init(parsing text: String, country: String) throws(BeneficiaryError) {
        let upper = String(text.filter { !$0.isWhitespace }).uppercased()
        if BIC.isWellFormed(upper), CountryCode.isKnown(Network.country(ofBIC: upper)) {
            self = .bic(upper)
            return
        }
        do {
            switch country {
            case "US": self = .clearing(country: country, id: try ABARouting.check(upper))
            case "IN": self = .clearing(country: country, id: try IFSC.check(upper))
            case "CN": self = .clearing(country: country, id: try CNAPS.check(upper))
            default:
                guard (3...15).contains(upper.count),
                    upper.allSatisfy({ ("A"..."Z").contains($0) || ($0.isASCII && $0.isNumber) })
                else { throw BeneficiaryError.invalidBank(text, country: country) }
                self = .clearing(country: country, id: upper)
            }
        } catch {
            throw .invalidBank(text, country: country)
        }
    }

    public var country: String {
        switch self {
        case .bic(let bic): return Network.country(ofBIC: bic)
        case .clearing(let country, _): return country
        }
    }

    /// A BIC as is; a clearing id as `US:026009593`.
    public var description: String {
        switch self {
        case .bic(let bic): return bic
        case .clearing(let country, let id): return "\(country):\(id)"
        }
    }

    static func clearingHint(_ country: String) -> String {
        switch country {
        case "US": return "a 9-digit ABA routing number"
        case "IN": return "an IFSC such as HDFC0000240"
        case "CN": return "a 12-digit CNAPS code"
        default: return "3–15 letters and digits"
        }
    }
}
