import FundflowCore

/// The payout CSV, for treasuries without pain.001: one payment a line, UTF-8, RFC 4180 quoting
/// (a quoted field may hold commas and `""`, not line breaks), blank lines and lines starting with
/// `#` skipped. The first line is exactly this header:
///
/// `name,account,bank,currency,amount,amount_type,source_currency,reference,end_to_end_id,bearer,execution_date,purpose,street,building,postcode,town,country`
///
/// - `name`: the beneficiary, 1–140 characters. `account`: `SCHEME:VALUE` as
///   `FundflowCore.AccountNumber` reads it (`IBAN:DE89…`, `ABA:026009593/1234567890`, `ACCT:…`).
/// - `bank`: a BIC or a national clearing id of the account's country (or of `country` for an
///   `ACCT:` account); blank only for an IBAN, whose bank can be derived.
/// - `currency`: the currency the beneficiary is paid in.
/// - `amount`, `amount_type`, `source_currency`: with `send`, `amount` is what leaves the payer,
///   in `source_currency` (blank = `currency`): the same currency reads as a pain.001 `InstdAmt`
///   (`BatchAmount.send`), another as an `EqvtAmt` (`BatchAmount.debit`, converted into
///   `currency`). With `receive`, `amount` is what the beneficiary must get, in `currency`
///   (`BatchAmount.receive`), paid from `source_currency` (blank = the engine's choice).
/// - `reference`: remittance text. `end_to_end_id`: at most 35 characters, unique in the file;
///   blank reads as `NOTPROVIDED`.
/// - `bearer`: SHA, BEN, OUR or SLEV (or SHAR, CRED, DEBT); blank is SHA.
/// - `execution_date`: `YYYY-MM-DD`, blank for as soon as possible. `purpose`: an ISO 20022
///   purpose code (required for INR and CNY).
/// - `street`, `building`, `postcode`, `town`, `country`: the beneficiary's address.
///
/// Problems are reported as `FILE:LINE:COLUMN` (the column is the field's first character).
public enum PayoutCSV {
    enum Column: String, CaseIterable {
        case name, account, bank, currency, amount
        case amountType = "amount_type"
        case sourceCurrency = "source_currency"
        case reference
        case endToEndID = "end_to_end_id"
        case bearer
        case executionDate = "execution_date"
        case purpose, street, building, postcode, town, country
    }

    /// The header line's fields, in order.
    public static let header: [String] = Column.allCases.map(\.rawValue)

    /// The one block of a CSV file: its debtor is chosen by the engine (the company's wallets).
    static func block(file: String) -> BatchBlock {
        BatchBlock(
            id: "CSV-1", path: file, debtorName: nil, debtorIBAN: nil, debtorBIC: nil,
            debtorAccountCurrency: nil, executionDate: nil, chargeBearer: nil,
            numberOfTransactions: nil, controlSum: nil, items: [])
    }
}
