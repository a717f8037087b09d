public import FundflowCore
import FundflowStore

/// An account as commands show it: amounts on the normal side, in the account's currency.
public struct AccountView: Equatable, Sendable, Codable {
    public let account: String
    public let currency: String
    public let type: String
    public let booked: String
    public let available: String
    public let held: String
    public let mayGoNegative: Bool
    public let openedAt: String

    init(_ row: AccountRow) {
        let currency = row.definition.currency
        account = row.definition.name.rawValue
        self.currency = currency.code
        type = row.definition.type.rawValue
        booked = Money(minorUnits: row.balance.bookedMinor, currency: currency).amountString
        available = Money.format(
            minorUnits: Int64(clamping: row.balance.availableMinor), exponent: currency.exponent)
        held = Money(minorUnits: row.balance.heldMinor, currency: currency).amountString
        mayGoNegative = row.definition.mayGoNegative
        openedAt = row.openedAt.iso8601
    }
}

/// What `ledger open` did: opened the account, or found the identical one already there.
public struct OpenAccountResult: Equatable, Sendable, Codable, Replayable {
    public let account: AccountView
    public let created: Bool
}

extension Engine {
    /// `ledger open NAME CCY [--type T]`: idempotent for the identical definition.
    public func openAccount(
        name: String, currency code: String, type: AccountType?, _ context: CommandContext
    )
        throws -> OpenAccountResult
    {
        try mutate(context, needs: .manageLedger) { mutation in
            let definition = try AccountDefinition.derive(
                name: try AccountName(name), currency: try Currency.named(code), requestedType: type
            )
            if let existing = try mutation.scope.account(named: definition.name) {
                guard existing.definition == definition else {
                    throw LedgerError.accountConflict(
                        account: name, existing: existing.definition.summary,
                        requested: definition.summary)
                }
                return OpenAccountResult(account: AccountView(existing), created: false)
            }
            let row = try mutation.transaction.insertAccount(definition, at: mutation.now)
            return OpenAccountResult(account: AccountView(row), created: true)
        }.value
    }

    /// `ledger accounts` and `ledger balances [--prefix P]`.
    public func accounts(prefix: String?, as actor: Actor) throws -> [AccountView] {
        try actor.require(.readLedger)
        return try store.read { try $0.accounts(prefix: prefix).map(AccountView.init) }
    }
}
