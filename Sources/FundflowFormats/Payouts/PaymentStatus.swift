/// Where a payment of a batch stands, as a pain.002 status report tells its sender: the ISO 20022
/// codes of `TransactionIndividualStatus3Code` that Fundflow reports. pain.002.001.03 allows all
/// five for a transaction (`TxSts`), for a count per status (`DtldSts`) and for a group or block
/// (`GrpSts`, `PmtInfSts`), so each is written as itself; a group or block whose items differ is
/// `PART`. The order of the cases is the order of `NbOfTxsPerSts`: from the least to the most
/// advanced, the rejected last.
public enum PaymentStatus: String, Sendable, CaseIterable {
    /// Pending: received, not yet checked or waiting (for approval, funds or a cut-off).
    case pdng = "PDNG"
    /// Accepted technically and on its content (the checks passed), not yet sent.
    case accp = "ACCP"
    /// Accepted, settlement in process: sent on its route.
    case acsp = "ACSP"
    /// Accepted, settlement completed: the beneficiary's account is credited.
    case acsc = "ACSC"
    /// Rejected, or returned after it was sent; the item carries an ISO reason code.
    case rjct = "RJCT"
}
