import Foundation
import FundflowCore
public import FundflowFormats
import FundflowStore

extension Engine {
    /// `batch report ID --pain002 FILE [--csv FILE]` (members), in any state: the status of every
    /// item as the bank reports it to the customer — `PDNG` while only quoted, `ACCP` once approved
    /// (held, waiting for its release), `ACSP` once released, `ACSC` when credited, `RJCT` with the
    /// reason when rejected or returned (`DS02` when cancelled, `NARR` when no route was found),
    /// quoting the file's MsgId, PmtInfId, InstrId and EndToEndId (a CSV batch's generated MsgId).
    public func batchReport(_ id: Int64, as actor: Actor) throws -> Pain002Report {
        try store.read { transaction in
            let batch = try Self.findBatch(id, in: transaction)
            if actor.role != .admin { try requireMember(batch.company, actor, in: transaction) }
            let now = try time(in: transaction)
            var payouts: [Int64: PayoutRow] = [:]
            for payout in try transaction.payouts(batch: id) { payouts[payout.id] = payout }
            var blocks: [Pain002Report.Block] = []
            for row in try transaction.batchItems(batch: id) {
                let item = try StoredBatchItem.decode(row.item)
                let payout = row.payout.flatMap { payouts[$0] }
                let (status, reason, text) = try Self.reportStatus(
                    payout, quoted: batch.status != "draft", submitted: batch.submittedAt != nil)
                let entry = Pain002Report.Item(
                    instructionID: item.instructionID, endToEndID: item.endToEndID,
                    status: status, reason: reason, reasonText: text,
                    amount: try Money.parse("\(item.amount) \(item.currency)"),
                    uetr: payout?.uetr ?? item.uetr)
                if let last = blocks.indices.last, blocks[last].id == item.block {
                    blocks[last].items.append(entry)
                } else {
                    blocks.append(Pain002Report.Block(id: item.block, items: [entry]))
                }
            }
            let stamp = now.iso8601
            let digits = stamp.filter(\.isNumber).prefix(14)
            return Pain002Report(
                messageID: "FF-STS-\(id)-\(digits)", creationDateTime: stamp,
                initiatingParty: "Fundflow", originalMessageID: batch.messageID,
                originalMessageName: batch.format == BatchFileFormat.pain001v09.rawValue
                    ? "pain.001.001.09" : "pain.001.001.03", blocks: blocks)
        }
    }

    static func reportStatus(
        _ payout: PayoutRow?, quoted: Bool, submitted: Bool
    ) throws -> (PaymentStatus, String?, String?) {
        guard let payout else {
            return quoted
                ? (.rjct, "NARR", "no route to the creditor's bank was found")
                : (.pdng, nil, "not quoted yet")
        }
        switch PayoutStatus(rawValue: payout.status) {
        case .quoted, .none:
            return (
                .pdng, nil,
                payout.duplicateOf.map {
                    "held: possible duplicate of payout \($0), paid only if approved as such"
                }
            )
        case .approved:
            return (
                .accp, nil, submitted ? "released at \(payout.releaseAt)" : "waiting for submission"
            )
        case .released: return (.acsp, nil, nil)
        case .credited: return (.acsc, nil, nil)
        case .cancelled: return (.rjct, "DS02", "cancelled before release")
        case .returned:
            let journey = try payout.journey.map(StoredJourney.decode)
            let reason = journey?.reason ?? "NARR"
            let back =
                journey.map { " \($0.endAmount.amount) \($0.endAmount.currency) returned" } ?? ""
            return (.rjct, reason, GPIReason.meaning(reason) + back)
        }
    }
}
