import FundflowCore
import FundflowStore

extension Engine {
    /// Reverses the transfer booked under a system key, if there is one and it was not reversed:
    /// every leg on the other side, as `ledger reverse` does.
    func reverseSystemTransfer(key: String, in mutation: Mutation) throws {
        guard let (id, postings) = try reversal(key: key, in: mutation.transaction) else { return }
        _ = try book(
            TransferDraft(postings: postings), kind: "reversal", key: key + ":reversal",
            memo: "reversal of transfer \(id): the payout was cancelled", reverses: id,
            in: mutation)
    }

    /// Reverses the conversion an approval made to fund payouts (its cover first) now that
    /// nothing it was made for will be paid; what happened, for the user. When the money it
    /// bought has been spent since (the wallet would go below zero), the conversion stays and
    /// the note says so: a cancellation never fails on it.
    func reverseFunding(key: String, for subject: String, in mutation: Mutation) throws -> String? {
        let keys = [SystemKey.cover(of: key), key]
        let reversals = try keys.compactMap { try reversal(key: $0, in: mutation.transaction) }
        guard !reversals.isEmpty else { return nil }
        var balances: [AccountName: Balance] = [:]
        for posting in reversals.flatMap(\.postings) {
            guard let row = try mutation.scope.account(named: posting.account) else { continue }
            let effect = Balance.signedEffect(
                of: posting.side, amountMinor: posting.amount.minorUnits,
                normalSide: row.definition.normalSide)
            do {
                balances[posting.account] = try (balances[posting.account] ?? row.balance)
                    .booking(effect, account: row.definition)
            } catch {
                return
                    "the conversion made for \(subject) stays in the wallet (\(error)): convert back with `wallet convert` if it is not needed"
            }
        }
        for key in keys { try reverseSystemTransfer(key: key, in: mutation) }
        return "the conversion made for \(subject) was reversed"
    }

    /// The conversions made for a batch's approval and for its held duplicates' follow-up, each
    /// reversed (or left, with a note).
    func reverseBatchFunding(_ batch: BatchRow, in mutation: Mutation) throws -> [String] {
        var notes: [String] = []
        for wallet in try mutation.transaction.wallets(company: batch.company) {
            let code = wallet.currency.code
            for (key, subject) in [
                (SystemKey.batchFunding(batch.id), "batch \(batch.id)"),
                (SystemKey.batchDuplicatesFunding(batch.id), "batch \(batch.id)'s held duplicates"),
            ] {
                if let note = try reverseFunding(
                    key: "\(key):\(code)", for: "\(subject) (\(code))", in: mutation)
                {
                    notes.append(note)
                }
            }
        }
        return notes
    }

    /// The postings that undo the transfer booked under `key`; nil if there is none or it was
    /// reversed already.
    private func reversal(
        key: String, in transaction: StoreTransaction
    ) throws -> (id: Int64, postings: [Posting])? {
        guard let id = try transaction.transferID(key: key),
            try transaction.reversal(of: id) == nil,
            let original = try transaction.transfer(id: id)
        else { return nil }
        return (id, try original.reversingPostings())
    }
}

extension SystemKey {
    /// The conversions a batch's approval made, one per wallet currency (`…:CCY`).
    static func batchFunding(_ id: Int64) -> String { "\(prefix)batch:\(id):fx" }
    /// The platform's cover of the conversion booked under `key` (`bookConversion(cover:)`).
    static func cover(of key: String) -> String { key + ":cover" }
    /// The conversions the follow-up approval of a batch's held duplicates made.
    static func batchDuplicatesFunding(_ id: Int64) -> String {
        "\(prefix)batch:\(id):duplicates:fx"
    }
}
