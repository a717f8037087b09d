import FundflowCore
public import FundflowFormats
import FundflowStore

extension Engine {
    /// `ledger export --format F FILE`: the whole ledger rendered for an outside tool.
    public func exportLedger(_ format: ExportFormat, as actor: Actor) throws -> String {
        try actor.require(.readLedger)
        return try store.read { transaction in
            let accounts = try transaction.accounts().map { row in
                ExportAccount(
                    name: row.definition.name, currency: row.definition.currency,
                    type: row.definition.type,
                    openedAt: row.openedAt)
            }
            var transfers: [ExportTransfer] = []
            var afterID: Int64 = 0
            while true {
                let page = try transaction.transfers(afterID: afterID, limit: 5_000)
                guard let last = page.last else { break }
                for row in page {
                    let legs = try row.legs.map { leg in
                        (
                            account: try AccountName(leg.account), side: leg.side,
                            amount: Money(
                                minorUnits: leg.amountMinor,
                                currency: try Currency.named(leg.currency))
                        )
                    }
                    transfers.append(
                        ExportTransfer(
                            id: row.id, at: row.at, kind: row.kind, memo: row.memo, legs: legs))
                }
                afterID = last.id
            }
            return try LedgerExport.render(
                format, accounts: accounts, transfers: transfers, generatedAt: clock.now())
        }
    }
}
