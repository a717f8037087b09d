/// An account's materialised balance on its normal side: what is booked, what holds reserve, and
/// what is left to spend.
public struct Balance: Equatable, Sendable {
    public var bookedMinor: Int64
    public var heldMinor: Int64

    public init(bookedMinor: Int64, heldMinor: Int64) {
        self.bookedMinor = bookedMinor
        self.heldMinor = heldMinor
    }

    /// Booked minus held; computed in `Int128`, so it cannot trap.
    public var availableMinor: Int128 { Int128(bookedMinor) - Int128(heldMinor) }

    /// How a posting moves a balance kept on `normalSide`: up on the normal side, down on the other.
    public static func signedEffect(of side: Side, amountMinor: Int64, normalSide: Side) -> Int64 {
        side == normalSide ? amountMinor : -amountMinor
    }

    /// The balance after booking `effectMinor`, refusing overflow and, for accounts that may not go
    /// below zero, an available balance under zero.
    public func booking(
        _ effectMinor: Int64, account: AccountDefinition
    ) throws(LedgerError) -> Balance {
        let (booked, overflow) = bookedMinor.addingReportingOverflow(effectMinor)
        if overflow { throw .overflow(account: account.name.rawValue) }
        let next = Balance(bookedMinor: booked, heldMinor: heldMinor)
        try next.requireAvailable(account: account, neededMinor: -effectMinor, before: self)
        return next
    }

    /// The balance after reserving `amountMinor` for a hold, refusing what is not available.
    public func holding(
        _ amountMinor: Int64, account: AccountDefinition
    ) throws(LedgerError) -> Balance {
        let (held, overflow) = heldMinor.addingReportingOverflow(amountMinor)
        if overflow { throw .overflow(account: account.name.rawValue) }
        let next = Balance(bookedMinor: bookedMinor, heldMinor: held)
        try next.requireAvailable(account: account, neededMinor: amountMinor, before: self)
        return next
    }

    /// The balance after a hold of `amountMinor` is released (posted, voided or expired).
    public func releasing(_ amountMinor: Int64) -> Balance {
        precondition(amountMinor <= heldMinor, "releasing more than is held")
        return Balance(bookedMinor: bookedMinor, heldMinor: heldMinor - amountMinor)
    }

    private func requireAvailable(
        account: AccountDefinition, neededMinor: Int64, before: Balance
    )
        throws(LedgerError)
    {
        guard !account.mayGoNegative, availableMinor < 0 else { return }
        let currency = account.currency
        let available = Int64(clamping: before.availableMinor)
        throw .insufficientFunds(
            account: account.name.rawValue,
            available: Money(minorUnits: available, currency: currency).description,
            needed: Money(minorUnits: neededMinor, currency: currency).description)
    }
}
