/// Who a payout goes to, checked as a whole: the account (its scheme's own checks), the bank (a
/// BIC or a national clearing id) in the same country as the account, the currency, the
/// beneficiary's country and structured address (ISO 20022 `PstlAdr`), and a purpose where the
/// currency needs one.
public struct BeneficiaryDetails: Equatable, Sendable {
    public struct Address: Equatable, Sendable {
        public var street: String?
        public var building: String?
        public var postcode: String?
        public var town: String?

        public init(
            street: String? = nil, building: String? = nil, postcode: String? = nil,
            town: String? = nil
        ) {
            self.street = street
            self.building = building
            self.postcode = postcode
            self.town = town
        }

        /// One line for tables: `Hauptstr. 5, 10115 Berlin`.
        public var line: String {
            let first = [street, building].compactMap { $0 }.joined(separator: " ")
            let second = [postcode, town].compactMap { $0 }.joined(separator: " ")
            return [first, second].filter { !$0.isEmpty }.joined(separator: ", ")
        }
    }

    public let name: String
    public let account: AccountNumber
    public let bank: BankIdentifier
    public let currency: Currency
    public let country: String
    public let address: Address
    public let purpose: String?

    public init(
        name: String, account: String, bank: String, currency: String, country: String,
        address: Address = Address(), purpose: String?
    ) throws {
        let trimmed = name.trimmingSpaces
        guard (1...140).contains(trimmed.count) else { throw BeneficiaryError.invalidName(name) }
        let upperCountry = country.uppercased()
        guard CountryCode.isKnown(upperCountry) else {
            throw BeneficiaryError.invalidCountry(country)
        }
        let parsedAccount: AccountNumber
        do {
            parsedAccount = try AccountNumber(parsing: account)
        } catch {
            throw BeneficiaryError.account(error)
        }
        let bankCountry = parsedAccount.country ?? upperCountry
        let parsedBank = try BankIdentifier(parsing: bank, country: bankCountry)
        if let accountCountry = parsedAccount.country, parsedBank.country != accountCountry {
            throw BeneficiaryError.countryMismatch(
                account: parsedAccount.description, accountCountry: accountCountry,
                bank: parsedBank.description, bankCountry: parsedBank.country)
        }
        let parsedCurrency = try Currency.named(currency.uppercased())
        guard !parsedCurrency.isHistoric else {
            throw BeneficiaryError.historicCurrency(parsedCurrency.code)
        }
        self.name = trimmed
        self.account = parsedAccount
        self.bank = parsedBank
        self.currency = parsedCurrency
        self.country = upperCountry
        self.address = address
        self.purpose = try PurposeCode.check(purpose, currency: parsedCurrency.code)
    }
}

extension String {
    var trimmingSpaces: String {
        var text = Substring(self)
        while text.first?.isWhitespace == true { text.removeFirst() }
        while text.last?.isWhitespace == true { text.removeLast() }
        return String(text)
    }
}
