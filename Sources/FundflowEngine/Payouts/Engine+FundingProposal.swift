import FundflowCore
import FundflowStore

/// An FX transfer between a company's own wallets that a quote proposes when the paying wallet
/// is short; the approval makes it (DESIGN.md §5: the debit is held from a wallet that has it).
public struct FundingProposal: Codable, Equatable, Sendable {
    /// What leaves the other wallet: `1234.57 USD`.
    public let from: String
    /// What it adds to the paying wallet: `1100.00 EUR`.
    public let adds: String
    /// The ECB mid rate used (no margin on a company's own conversion).
    public let rate: String
    public let rateDay: String

    public var text: String { "convert \(from) into \(adds) at \(rate) (ECB \(rateDay))" }
}

extension Engine {
    /// The least conversion from one of the company's other wallets (in currency order) that
    /// covers `shortfall`, with what each wallet has available less `committed`; nil when none
    /// can.
    func fundingProposal(
        company: String, shortfall: Money, on day: RateDay, committed: [String: Int64] = [:],
        in scope: TransactionScope
    ) throws -> (proposal: FundingProposal, amount: Money, rate: CrossRate)? {
        let transaction = scope.transaction
        for wallet in try transaction.wallets(company: company)
        where wallet.currency != shortfall.currency {
            guard
                let account = try scope.account(
                    named: try AccountName("wallet:\(company):\(wallet.currency.code)"))
            else { continue }
            let available =
                Int64(clamping: account.balance.availableMinor)
                - (committed[wallet.currency.code] ?? 0)
            guard available > 0,
                let rate = try? crossRate(
                    from: wallet.currency, to: shortfall.currency, on: day, in: transaction),
                let back = try? crossRate(
                    from: shortfall.currency, to: wallet.currency, on: day, in: transaction)
            else { continue }
            // Start from the shortfall converted back, then find the least amount that covers it.
            var minor = max(1, try back.convert(shortfall, marginBps: 0).customerMinor)
            func covers(_ minor: Int64) throws -> Bool {
                try rate.convert(
                    Money(minorUnits: minor, currency: wallet.currency), marginBps: 0
                ).customerMinor >= shortfall.minorUnits
            }
            while try !covers(minor) { minor += 1 }
            while minor > 1, try covers(minor - 1) { minor -= 1 }
            guard minor <= available else { continue }
            let amount = Money(minorUnits: minor, currency: wallet.currency)
            let adds = Money(
                minorUnits: try rate.convert(amount, marginBps: 0).customerMinor,
                currency: shortfall.currency)
            return (
                FundingProposal(
                    from: amount.description, adds: adds.description, rate: rate.midText,
                    rateDay: rate.day.description), amount, rate
            )
        }
        return nil
    }

    /// What the paying wallet lacks for `debit` now (zero or less: nothing).
    func shortfall(
        company: String, debit: Money, committed: Int64 = 0, in scope: TransactionScope
    ) throws -> Money {
        let account = try scope.account(
            named: try AccountName("wallet:\(company):\(debit.currency.code)"))
        let available = account.map { Int64(clamping: $0.balance.availableMinor) } ?? 0
        return Money(
            minorUnits: debit.minorUnits + committed - available, currency: debit.currency)
    }

    /// Covers the paying wallet's shortfall at approval with the conversion the quote proposed,
    /// worked out again on today's rate and balances. Nothing when the wallet has enough.
    func fundShortfall(
        company: String, debit: Money, key: String, in mutation: Mutation
    ) throws -> FundingProposal? {
        let missing = try shortfall(company: company, debit: debit, in: mutation.scope)
        guard missing.minorUnits > 0,
            let found = try fundingProposal(
                company: company, shortfall: missing, on: RateDay(mutation.now),
                in: mutation.scope)
        else { return nil }
        _ = try bookConversion(
            company: company, found.amount, to: debit.currency, rate: found.rate, marginBps: 0,
            key: key, cover: true, in: mutation)
        return found.proposal
    }
}
