import FundflowCore

/// Writes a `Pain002Report` as a pain.002.001.03 `Document` (customer payment status report) that
/// the official schema accepts. Elements follow the schema's sequences:
///
/// - `GrpHdr`: `MsgId`, `CreDtTm`, `InitgPty/Nm` (when given).
/// - `OrgnlGrpInfAndSts`: `OrgnlMsgId`, `OrgnlMsgNmId`, `OrgnlNbOfTxs`, `OrgnlCtrlSum`, `GrpSts`,
///   then one `NbOfTxsPerSts` (`DtldNbOfTxs`, `DtldSts`, `DtldCtrlSum`) per status present, in
///   `PaymentStatus.allCases` order (PDNG, ACCP, ACSP, ACSC, RJCT).
/// - One `OrgnlPmtInfAndSts` per block: `OrgnlPmtInfId`, `OrgnlNbOfTxs`, `OrgnlCtrlSum`,
///   `PmtInfSts`, `NbOfTxsPerSts` as above, then one `TxInfAndSts` per item: `OrgnlInstrId`
///   (when given), `OrgnlEndToEndId`, `TxSts`, `StsRsnInf` (`Rsn/Cd`, then `AddtlInf` pieces of at
///   most 105 characters; written when the item has a reason or a reason text), and
///   `OrgnlTxRef/Amt/InstdAmt` with its `Ccy`.
///
/// Statuses: each `PaymentStatus` is written as its own code, at transaction level too: the .03
/// schema's `TransactionIndividualStatus3Code` includes PDNG (and ACCP, ACSP, ACSC, RJCT), so no
/// status has to be mapped onto another. `GrpSts` and `PmtInfSts` are the status every item of
/// their scope shares, or `PART` when they differ. A rejected item must carry a reason code.
///
/// Control sums add the decimal amounts whatever their currency (as pain.001's `CtrlSum` does), to
/// the most fraction digits among them: JPY 1000 and EUR 0.50 sum to `1000.50`. Amounts have the
/// currency's minor digits (`Money.amountString`: JPY `1200`, EUR `12.00`, KWD `1.200`).
///
/// An empty block is still written, as `OrgnlPmtInfId` with `OrgnlNbOfTxs` 0 and `OrgnlCtrlSum`
/// 0 and no `PmtInfSts` (there is no status to state), which the schema permits: the report then
/// accounts for every block the engine was given. A report without items likewise has no
/// `GrpSts`.
public enum Pain002Writer {
    public static let namespace = "urn:iso:std:iso:20022:tech:xsd:pain.002.001.03"

    /// The document as UTF-8 text ending in a line feed, or the first value (in document order)
    /// the schema would refuse.
    public static func xml(_ report: Pain002Report) throws(Pain002Error) -> String {
        var document = Pain002Document()
        try document.write(report)
        return document.xml.text
    }
}

/// The writing itself: `Pain002Writer` in steps of the schema's sequences, each value checked
/// against its schema type before it is written.
struct Pain002Document {
    static let root = "/Document/CstmrPmtStsRpt"
    /// `Max35Text`, the identifiers' type; `Max140Text` for names; `Max105Text` for `AddtlInf`.
    static let identifierLengthMaximum = 35
    static let nameLengthMaximum = 140
    static let additionalInformationLengthMaximum = 105
    /// `DecimalNumber` and the amount type allow 18 digits in all.
    static let digitsMaximum = 18

    var xml = XMLWriter()

    mutating func write(_ report: Pain002Report) throws(Pain002Error) {
        try Self.checkAmounts(report)
        xml.start("Document", attributes: [("xmlns", Pain002Writer.namespace)])
        xml.start("CstmrPmtStsRpt")
        try groupHeader(report)
        xml.start("OrgnlGrpInfAndSts")
        try text("OrgnlMsgId", report.originalMessageID, maximum: Self.identifierLengthMaximum)
        try text("OrgnlMsgNmId", report.originalMessageName, maximum: Self.identifierLengthMaximum)
        try statuses(of: report.items, statusElement: "GrpSts")
        xml.end()
        for (offset, block) in report.blocks.enumerated() {
            xml.start("OrgnlPmtInfAndSts", index: offset + 1)
            try text("OrgnlPmtInfId", block.id, maximum: Self.identifierLengthMaximum)
            try statuses(of: block.items, statusElement: "PmtInfSts")
            for (index, item) in block.items.enumerated() {
                try transaction(item, index: index + 1)
            }
            xml.end()
        }
        xml.end()
        xml.end()
    }

    /// Every amount, before any is added up: a bad one is reported at its item, not as a control
    /// sum that looks wrong.
    static func checkAmounts(_ report: Pain002Report) throws(Pain002Error) {
        for (blockOffset, block) in report.blocks.enumerated() {
            for (itemOffset, item) in block.items.enumerated() {
                let path =
                    "\(root)/OrgnlPmtInfAndSts[\(blockOffset + 1)]/TxInfAndSts[\(itemOffset + 1)]"
                    + "/OrgnlTxRef/Amt/InstdAmt"
                let amount = item.amount.amountString
                if item.amount.minorUnits < 0 {
                    throw .negativeAmount(path: path, amount: amount)
                }
                try checkDigits(amount, path: path)
            }
        }
    }

    static func checkDigits(_ decimal: String, path: String) throws(Pain002Error) {
        if decimal.filter(\.isWholeDigit).count > digitsMaximum {
            throw .tooManyDigits(path: path, amount: decimal)
        }
    }

    private mutating func groupHeader(_ report: Pain002Report) throws(Pain002Error) {
        xml.start("GrpHdr")
        try text("MsgId", report.messageID, maximum: Self.identifierLengthMaximum)
        if !Self.isDateTime(report.creationDateTime) {
            throw .notADateTime(path: xml.path("CreDtTm"), text: report.creationDateTime)
        }
        xml.leaf("CreDtTm", report.creationDateTime)
        if let party = report.initiatingParty {
            xml.start("InitgPty")
            try text("Nm", party, maximum: Self.nameLengthMaximum)
            xml.end()
        }
        xml.end()
    }

    /// `OrgnlNbOfTxs`, `OrgnlCtrlSum`, the common status or PART, and `NbOfTxsPerSts`.
    private mutating func statuses(
        of items: [Pain002Report.Item], statusElement: String
    ) throws(Pain002Error) {
        let tally = StatusTally(items)
        xml.leaf("OrgnlNbOfTxs", String(tally.count))
        try decimal("OrgnlCtrlSum", tally.controlSum)
        if let status = tally.groupStatus { xml.leaf(statusElement, status) }
        for entry in tally.entries {
            xml.start("NbOfTxsPerSts")
            xml.leaf("DtldNbOfTxs", String(entry.count))
            xml.leaf("DtldSts", entry.status.rawValue)
            try decimal("DtldCtrlSum", entry.controlSum)
            xml.end()
        }
    }

    private mutating func transaction(
        _ item: Pain002Report.Item, index: Int
    ) throws(Pain002Error) {
        xml.start("TxInfAndSts", index: index)
        if let instructionID = item.instructionID {
            try text("OrgnlInstrId", instructionID, maximum: Self.identifierLengthMaximum)
        }
        try text("OrgnlEndToEndId", item.endToEndID, maximum: Self.identifierLengthMaximum)
        xml.leaf("TxSts", item.status.rawValue)
        try reason(item)
        xml.start("OrgnlTxRef")
        xml.start("Amt")
        xml.leaf(
            "InstdAmt", item.amount.amountString,
            attributes: [("Ccy", item.amount.currency.code)])
        xml.end()
        xml.end()
        xml.end()
    }

    /// `StsRsnInf`: the reason code, then the text in pieces the schema allows.
    private mutating func reason(_ item: Pain002Report.Item) throws(Pain002Error) {
        if item.status == .rjct && item.reason == nil {
            throw .rejectWithoutReason(path: xml.path)
        }
        guard item.reason != nil || item.reasonText != nil else { return }
        xml.start("StsRsnInf")
        if let code = item.reason {
            xml.start("Rsn")
            guard Self.isReasonCode(code) else {
                throw .malformedReasonCode(path: xml.path("Cd"), code: code)
            }
            xml.leaf("Cd", code)
            xml.end()
        }
        if let reasonText = item.reasonText {
            let pieces = Self.pieces(
                of: reasonText, maximum: Self.additionalInformationLengthMaximum)
            // An empty text makes no piece; `text` reports it as empty.
            for piece in pieces.isEmpty ? [""] : pieces {
                try text("AddtlInf", piece, maximum: Self.additionalInformationLengthMaximum)
            }
        }
        xml.end()
    }

    /// A `Max…Text` value: 1 to `maximum` characters (code points), none XML cannot carry.
    private mutating func text(
        _ name: String, _ value: String, maximum: Int
    ) throws(Pain002Error) {
        let path = xml.path(name)
        let length = value.unicodeScalars.count
        if length == 0 { throw .empty(path: path) }
        if length > maximum { throw .tooLong(path: path, length: length, maximum: maximum) }
        if let scalar = XMLWriter.firstForbidden(in: value) {
            let hex = String(scalar.value, radix: 16, uppercase: true)
            let code = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
            throw .characterNotAllowed(path: path, scalar: code)
        }
        xml.leaf(name, value)
    }

    private mutating func decimal(_ name: String, _ value: ExactDecimal) throws(Pain002Error) {
        let written = value.description
        try Self.checkDigits(written, path: xml.path(name))
        xml.leaf(name, written)
    }
}
