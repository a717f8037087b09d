import FundflowCore

extension PayoutCSV {
    /// Reads the lines of one file, remembering what must be unique across them.
    struct Reader {
        /// Problems sort by line, then column: key = line × lineKey + column.
        static let lineKey = 1_000_000

        let file: String
        var problems = ProblemList()
        var endToEndIDs = FirstOccurrences()

        init(file: String) { self.file = file }

        /// A line's fields by column name.
        struct Fields {
            let line: CSVRows.Line

            subscript(_ column: Column) -> CSVRows.Field {
                line.fields[Column.allCases.firstIndex(of: column) ?? 0]
            }

            /// The field's text, nil when blank.
            func value(_ column: Column) -> String? {
                let text = self[column].text
                return text.isEmpty ? nil : text
            }
        }

        mutating func problem(_ line: Int, _ field: CSVRows.Field, _ message: String) {
            problems.add(
                "\(file):\(line):\(field.column)", message, scope: .item("\(file):\(line)"),
                key: line * Self.lineKey + field.column)
        }

        /// Runs `body`, turning its failure into a problem at `field`.
        mutating func attempt<T>(
            _ line: Int, _ field: CSVRows.Field, _ body: () throws(CheckFailure) -> T
        ) -> T? {
            do {
                return try body()
            } catch {
                problem(line, field, error.message)
                return nil
            }
        }

        /// One line: the item when its account, currency, amount and amount type could be read.
        mutating func read(_ line: CSVRows.Line) -> BatchItem? {
            let number = line.number
            let path = "\(file):\(number)"
            guard line.fields.count == PayoutCSV.header.count else {
                problems.add(
                    path,
                    "expected \(PayoutCSV.header.count) columns as in the header, found \(line.fields.count)",
                    scope: .item(path), key: number * Self.lineKey + Self.lineKey - 1)
                return nil
            }
            let fields = Fields(line: line)
            let name = readName(fields)
            let account = readAccount(fields)
            let bank = readBank(fields, account)
            let amount = readAmount(fields)
            let endToEndID = readEndToEndID(fields)
            let bearer = readBearer(fields)
            let date = fields.value(.executionDate)
            if let date {
                _ = attempt(number, fields[.executionDate]) { () throws(CheckFailure) in
                    try BatchChecks.date(date)
                }
            }
            if let amount {
                _ = attempt(number, fields[.purpose]) { () throws(CheckFailure) in
                    try BatchChecks.purpose(
                        fields.value(.purpose), currency: amount.deliveredCurrency,
                        field: "the purpose column")
                }
            }
            let reference = fields.value(.reference)
            if let reference, reference.count > BatchChecks.nameLengthMaximum {
                problem(
                    number, fields[.reference],
                    "the reference has \(reference.count) characters: at most \(BatchChecks.nameLengthMaximum) are allowed"
                )
            }
            guard let account, let amount else { return nil }
            return BatchItem(
                path: path, instructionID: nil, endToEndID: endToEndID, uetr: nil, amount: amount,
                chargeBearer: bearer, executionDate: date, creditorName: name,
                creditorAccount: account.text, creditorAgentBIC: bank.bic,
                creditorAgentClearingID: bank.clearingID, creditorAgentClearingSystem: nil,
                creditorCountry: fields.value(.country)?.uppercased(),
                address: BeneficiaryDetails.Address(
                    street: fields.value(.street), building: fields.value(.building),
                    postcode: fields.value(.postcode), town: fields.value(.town)),
                purpose: fields.value(.purpose)?.uppercased(), remittance: reference,
                creditorReference: nil)
        }

        mutating func readName(_ fields: Fields) -> String? {
            let number = fields.line.number
            guard let name = fields.value(.name) else {
                problem(number, fields[.name], "the name is required: who is paid")
                return nil
            }
            if name.count > BatchChecks.nameLengthMaximum {
                problem(
                    number, fields[.name],
                    "the name has \(name.count) characters: at most \(BatchChecks.nameLengthMaximum) are allowed"
                )
            }
            return name
        }

        /// The account as written (`SCHEME:VALUE`, normalised when valid), its country, and
        /// whether it is an IBAN.
        struct Account {
            let text: String
            let country: String?
            let isIBAN: Bool
        }

        mutating func readAccount(_ fields: Fields) -> Account? {
            let number = fields.line.number
            guard let text = fields.value(.account) else {
                problem(
                    number, fields[.account],
                    "the account is required, as SCHEME:VALUE, e.g. IBAN:DE89370400440532013000")
                return nil
            }
            do {
                let account = try AccountNumber(parsing: text)
                if case .iban = account {
                    return Account(
                        text: account.description, country: account.country, isIBAN: true)
                }
                return Account(text: account.description, country: account.country, isIBAN: false)
            } catch {
                problem(number, fields[.account], error.description)
                let isIBAN = text.uppercased().hasPrefix("IBAN:")
                return Account(text: text, country: nil, isIBAN: isIBAN)
            }
        }
    }
}
