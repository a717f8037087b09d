public import FundflowCore

/// One `PmtInf` block: payments from one debtor account on one requested execution date. A CSV
/// file is one block, `CSV-1`, whose debtor is chosen by the engine (the company's wallets).
public struct BatchBlock: Equatable, Sendable {
    /// `PmtInfId`; `CSV-1` for a CSV file.
    public let id: String
    /// `/Document/CstmrCdtTrfInitn/PmtInf[n]`, or the file name for CSV.
    public let path: String
    /// `Dbtr/Nm`.
    public let debtorName: String?
    /// `DbtrAcct/Id/IBAN`, upper case without spaces when valid, else as written.
    public let debtorIBAN: String?
    /// `DbtrAgt/FinInstnId/BIC` (pain.001.001.03) or `BICFI` (.09).
    public let debtorBIC: String?
    /// `DbtrAcct/Ccy`: the currency an `EqvtAmt` is debited in.
    public let debtorAccountCurrency: String?
    /// `ReqdExctnDt` (.03) or `ReqdExctnDt/Dt` (.09) as `YYYY-MM-DD`; nil for CSV, whose lines
    /// carry their own dates (`BatchItem.executionDate`).
    public let executionDate: String?
    /// `ChrgBr` of the block, if given (items apply their own or this one).
    public let chargeBearer: ChargeBearer?
    /// `NbOfTxs` of the block, when it is a number.
    public let numberOfTransactions: Int?
    /// `CtrlSum` of the block as written.
    public let controlSum: String?
    /// The items that could be read (an item without an amount, an account or an EndToEndId is
    /// only in the problems).
    public let items: [BatchItem]
}
