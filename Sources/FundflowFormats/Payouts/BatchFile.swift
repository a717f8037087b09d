/// A payout batch file as written: the group header and its payment blocks. Values are kept as the
/// file states them (amounts as `Money`, identifiers as text) so the engine can take them over and
/// answer with a pain.002 that quotes them; whether they are acceptable is in
/// `BatchReading.problems`.
public struct BatchFile: Equatable, Sendable {
    public let format: BatchFileFormat
    /// The XML root's namespace as written (nil for CSV): tells the Swiss variants apart.
    public let namespace: String?
    /// `GrpHdr/MsgId`. A CSV file has none, so it gets `CSV-` and the FNV-1a 64-bit hash of its
    /// bytes in 16 hex digits: the same file always has the same id (idempotency keys start with it).
    public let messageID: String
    /// `GrpHdr/CreDtTm` as written.
    public let creationDateTime: String?
    /// `GrpHdr/InitgPty/Nm`.
    public let initiatingParty: String?
    /// `GrpHdr/NbOfTxs`, when it is a number (checked against the items).
    public let numberOfTransactions: Int?
    /// `GrpHdr/CtrlSum` as written (checked against the items).
    public let controlSum: String?
    public let blocks: [BatchBlock]

    /// Every item of every block, in file order.
    public var items: [BatchItem] { blocks.flatMap(\.items) }
}
