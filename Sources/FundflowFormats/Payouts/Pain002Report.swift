public import FundflowCore

/// A customer payment status report (pain.002) answering one batch file: for each of its blocks,
/// where each payment stands. The engine fills it; `Pain002Writer` writes it as pain.002.001.03
/// XML and `PaymentStatusCSV` as a spreadsheet. Identifiers are those of the original file, as
/// written (`BatchFile`, `BatchBlock`, `BatchItem`).
public struct Pain002Report: Equatable, Sendable {
    /// `GrpHdr/MsgId` of the report itself: 1 to 35 characters.
    public var messageID: String
    /// `GrpHdr/CreDtTm`: an ISO date-time such as `2026-11-29T13:45:00` (optionally with fraction
    /// digits and `Z` or `+01:00`), given by the caller so the output is deterministic.
    public var creationDateTime: String
    /// `GrpHdr/InitgPty/Nm`, at most 140 characters; omitted when nil.
    public var initiatingParty: String?
    /// `OrgnlGrpInfAndSts/OrgnlMsgId`: the batch file's `MsgId` (`CSV-…` for a payout CSV).
    public var originalMessageID: String
    /// `OrgnlMsgNmId`: `pain.001.001.03` or `pain.001.001.09` (a payout CSV answers as
    /// `pain.001.001.03`).
    public var originalMessageName: String
    /// One per `PmtInf` of the original, in file order.
    public var blocks: [Block]

    public init(
        messageID: String, creationDateTime: String, initiatingParty: String? = nil,
        originalMessageID: String, originalMessageName: String, blocks: [Block]
    ) {
        self.messageID = messageID
        self.creationDateTime = creationDateTime
        self.initiatingParty = initiatingParty
        self.originalMessageID = originalMessageID
        self.originalMessageName = originalMessageName
        self.blocks = blocks
    }

    /// Every item of every block, in order.
    public var items: [Item] { blocks.flatMap(\.items) }

    /// The statuses of one original block (`OrgnlPmtInfAndSts`).
    public struct Block: Equatable, Sendable {
        /// `OrgnlPmtInfId`: the block's `PmtInfId` (`CSV-1` for a payout CSV).
        public var id: String
        public var items: [Item]

        public init(id: String, items: [Item]) {
            self.id = id
            self.items = items
        }
    }

    /// The status of one original payment (`TxInfAndSts`).
    public struct Item: Equatable, Sendable {
        /// `OrgnlInstrId`; omitted when nil.
        public var instructionID: String?
        /// `OrgnlEndToEndId`.
        public var endToEndID: String
        public var status: PaymentStatus
        /// An ISO 20022 `ExternalStatusReason1Code` (`AC01`, `AM04`, …): four capital letters or
        /// digits. Required when `status` is `.rjct`; allowed with any status (a pending payment
        /// may say why it waits).
        public var reason: String?
        /// Free text explaining the status (`StsRsnInf/AddtlInf`, split into pieces of at most
        /// 105 characters, as many as it needs).
        public var reasonText: String?
        /// The instructed amount (`OrgnlTxRef/Amt/InstdAmt`), counted in the control sums. Never
        /// negative.
        public var amount: Money
        /// The payment's UETR. pain.002.001.03 has no element for it, so only the CSV shows it.
        public var uetr: String?

        public init(
            instructionID: String? = nil, endToEndID: String, status: PaymentStatus,
            reason: String? = nil, reasonText: String? = nil, amount: Money, uetr: String? = nil
        ) {
            self.instructionID = instructionID
            self.endToEndID = endToEndID
            self.status = status
            self.reason = reason
            self.reasonText = reasonText
            self.amount = amount
            self.uetr = uetr
        }
    }
}
