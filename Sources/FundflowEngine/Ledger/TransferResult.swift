import FundflowCore
import FundflowStore

/// A transfer the ledger made, as commands report it.
public struct TransferResult: Equatable, Sendable {
    public let transferID: Int64
    public let key: String
    public let kind: String
    public let at: String
    public let postings: [PostingView]
}

public struct PostingView: Equatable, Sendable {
    public let account: String
    public let side: String
    public let amount: String
    public let currency: String
}

extension TransferResult: Replayable {
    /// A repeated key gets the stored transfer back: the record is its id, and the result is read
    /// from the ledger itself (so what is replayed is exactly what was booked).
    func replayRecord() throws -> String { "transfer:\(transferID)" }

    static func replay(_ record: String, in transaction: StoreTransaction) throws -> TransferResult
    {
        guard record.hasPrefix("transfer:"), let id = Int64(record.dropFirst("transfer:".count)),
            let row = try transaction.transfer(id: id)
        else {
            throw EngineError.invalidArgument("the stored result '\(record)' names no transfer")
        }
        return try TransferResult(row)
    }

    init(_ row: TransferRow) throws {
        self.init(
            transferID: row.id, key: row.key, kind: row.kind, at: row.at.iso8601,
            postings: try row.legs.map { leg in
                let currency = try Currency.named(leg.currency)
                return PostingView(
                    account: leg.account, side: leg.side.rawValue,
                    amount: Money(minorUnits: leg.amountMinor, currency: currency).amountString,
                    currency: currency.code)
            })
    }
}
