import FundflowCore
import FundflowStore

/// What `ledger verify` found. An empty `problems` list means the books are sound.
public struct LedgerVerification: Equatable, Sendable, Codable {
    public let accounts: Int
    public let transfers: Int
    public let pendingHolds: Int
    public let problems: [String]
}

extension Engine {
    /// `ledger verify`: recomputes every balance and every held amount from postings and holds,
    /// checks every transfer balances per currency, and runs SQLite's integrity and foreign-key checks.
    public func verifyLedger(as actor: Actor) throws -> LedgerVerification {
        try actor.require(.readLedger)
        return try store.read { transaction in
            var problems = try transaction.integrityProblems().map { "integrity_check: \($0)" }
            problems += try transaction.foreignKeyProblems()
            let accounts = try transaction.accounts()
            let fromPostings = try transaction.balancesFromPostings()
            let fromHolds = try transaction.heldFromHolds()
            for account in accounts {
                let currency = account.definition.currency
                let name = account.definition.name.rawValue
                let recomputed = fromPostings[account.id] ?? 0
                if recomputed != account.balance.bookedMinor {
                    problems.append(
                        "\(name): balance \(Money(minorUnits: account.balance.bookedMinor, currency: currency)) but its postings sum to \(Money(minorUnits: recomputed, currency: currency))"
                    )
                }
                let held = fromHolds[account.id] ?? 0
                if held != account.balance.heldMinor {
                    problems.append(
                        "\(name): held \(Money(minorUnits: account.balance.heldMinor, currency: currency)) but its pending holds sum to \(Money(minorUnits: held, currency: currency))"
                    )
                }
                if !account.definition.mayGoNegative && account.balance.availableMinor < 0 {
                    problems.append("\(name): available balance is below zero")
                }
            }
            for row in try transaction.unbalancedTransfers() {
                problems.append(
                    "transfer \(row.transferID) does not balance in \(row.currency): debits \(row.debitMinor), credits \(row.creditMinor) minor units"
                )
            }
            let transfers = try transaction.transferAnchors().count
            return LedgerVerification(
                accounts: accounts.count, transfers: transfers,
                pendingHolds: try transaction.holds(status: .pending).count,
                problems: problems)
        }
    }
}
