import FundflowCore

extension PayoutCSV.Reader {
    struct Bank {
        var bic: String?
        var clearingID: String?
    }

    /// `bank` (a BIC, or a clearing id of the account's country or the `country` column's) and
    /// `country`; a blank bank is accepted only for an IBAN.
    mutating func readBank(_ fields: Fields, _ account: Account?) -> Bank {
        let number = fields.line.number
        let country = fields.value(.country)?.uppercased()
        if let country, !CountryCode.isKnown(country) {
            problem(
                number, fields[.country],
                "'\(country)' is not an ISO 3166 country code such as DE or CH")
        }
        guard let text = fields.value(.bank) else {
            if let account, !account.isIBAN {
                problem(
                    number, fields[.bank],
                    "the bank is required unless the account is an IBAN: a BIC or a clearing id of the account's country"
                )
            }
            return Bank()
        }
        let upper = text.uppercased()
        guard let bankCountry = account?.country ?? country else {
            if BIC.isWellFormed(upper) {
                _ = attempt(number, fields[.bank]) { () throws(CheckFailure) in
                    try BatchChecks.bic(upper)
                }
                return Bank(bic: upper)
            }
            problem(
                number, fields[.bank],
                "'\(text)' is not a BIC, and a clearing id needs a country: fill the country column"
            )
            return Bank()
        }
        do {
            switch try BankIdentifier(parsing: text, country: bankCountry) {
            case .bic(let bic): return Bank(bic: bic)
            case .clearing(_, let id): return Bank(clearingID: id)
            }
        } catch {
            problem(number, fields[.bank], error.description)
            return Bank()
        }
    }

    /// `currency`, `amount`, `amount_type` and `source_currency` (see `PayoutCSV`).
    mutating func readAmount(_ fields: Fields) -> BatchAmount? {
        let number = fields.line.number
        let currency = attempt(number, fields[.currency]) { () throws(CheckFailure) in
            try BatchChecks.currency(fields[.currency].text.uppercased())
        }
        var source: Currency?
        if let code = fields.value(.sourceCurrency) {
            source = attempt(number, fields[.sourceCurrency]) { () throws(CheckFailure) in
                try BatchChecks.currency(code.uppercased())
            }
            if source == nil { return nil }
        }
        let type = fields[.amountType].text.lowercased()
        guard type == "send" || type == "receive" else {
            problem(
                number, fields[.amountType],
                "amount_type '\(fields[.amountType].text)' must be send (the amount leaves the payer, in source_currency) or receive (the beneficiary gets it, in currency)"
            )
            return nil
        }
        guard let currency else { return nil }
        let amountCurrency = type == "send" ? source ?? currency : currency
        guard
            let money = attempt(
                number, fields[.amount],
                { () throws(CheckFailure) in
                    try BatchChecks.amount(fields[.amount].text, amountCurrency)
                })
        else { return nil }
        if type == "receive" { return .receive(money, debitCurrency: source) }
        if let source, source != currency { return .debit(money, creditorCurrency: currency) }
        return .send(money)
    }

    /// `end_to_end_id`: blank is NOTPROVIDED; at most 35 characters; unique in the file.
    mutating func readEndToEndID(_ fields: Fields) -> String {
        let number = fields.line.number
        guard let id = fields.value(.endToEndID) else { return BatchChecks.notProvided }
        _ = attempt(number, fields[.endToEndID]) { () throws(CheckFailure) in
            try BatchChecks.identifier(id, what: "end_to_end_id")
        }
        let location = "\(file):\(number)"
        if id != BatchChecks.notProvided,
            let first = endToEndIDs.repeated(id, at: location)
        {
            problem(
                number, fields[.endToEndID],
                "end_to_end_id '\(id)' is already used at \(first): each payment needs its own (only NOTPROVIDED may repeat)"
            )
        }
        return id
    }

    /// `bearer`: blank is SHA.
    mutating func readBearer(_ fields: Fields) -> ChargeBearer {
        guard let text = fields.value(.bearer) else { return .sha }
        guard let bearer = ChargeBearer(parsing: text) else {
            problem(
                fields.line.number, fields[.bearer],
                "bearer '\(text)' must be SHA, BEN, OUR or SLEV (blank is SHA)")
            return .sha
        }
        return bearer
    }
}
