import FundflowCore
import FundflowStore

/// One line of `ledger history ACCOUNT`: a posting and the running balance after it.
public struct HistoryEntry: Equatable, Sendable, Codable {
    public let transferID: Int64
    public let at: String
    public let kind: String
    public let memo: String?
    public let side: String
    public let amount: String
    public let balance: String
}

public struct AccountHistory: Equatable, Sendable, Codable {
    public let account: String
    public let currency: String
    public let entries: [HistoryEntry]
}

extension Engine {
    /// `ledger history ACCOUNT`: every posting in order with the running balance on the normal side.
    public func history(account name: String, limit: Int, as actor: Actor) throws -> AccountHistory
    {
        try actor.require(.readLedger)
        let accountName = try AccountName(name)
        return try store.read { transaction in
            guard let row = try transaction.account(named: accountName) else {
                throw LedgerError.unknownAccount(name)
            }
            let currency = row.definition.currency
            var running: Int64 = 0
            let entries = try transaction.history(accountID: row.id, limit: max(1, limit)).map {
                line in
                let effect = Balance.signedEffect(
                    of: line.side, amountMinor: line.amountMinor,
                    normalSide: row.definition.normalSide)
                let (next, overflow) = running.addingReportingOverflow(effect)
                if overflow { throw LedgerError.overflow(account: name) }
                running = next
                return HistoryEntry(
                    transferID: line.transferID, at: line.at.iso8601, kind: line.kind,
                    memo: line.memo,
                    side: line.side.rawValue,
                    amount: Money(minorUnits: line.amountMinor, currency: currency).amountString,
                    balance: Money(minorUnits: running, currency: currency).amountString)
            }
            return AccountHistory(account: name, currency: currency.code, entries: entries)
        }
    }
}
