import FundflowCore
import FundflowStore

/// A transfer checked against the books and ready to write: the draft and every account it
/// touches with its balance after the transfer.
struct BookingPlan {
    let draft: TransferDraft
    let accounts: [AccountName: AccountRow]
}

extension Engine {
    /// Checks a draft against the books without writing anything: the accounts exist, the draft
    /// balances, and every new balance neither overflows nor takes an account that may not go
    /// below zero under zero *available* (after releasing `released` held amounts first).
    func plan(
        _ draft: TransferDraft, releasing released: [Int64: Int64] = [:], in scope: TransactionScope
    )
        throws -> BookingPlan
    {
        var rows: [AccountName: AccountRow] = [:]
        for posting in draft.postings where rows[posting.account] == nil {
            guard let row = try scope.account(named: posting.account) else {
                throw LedgerError.unknownAccount(posting.account.rawValue)
            }
            rows[posting.account] = row
        }
        try draft.validate(accounts: rows.mapValues(\.definition))
        for (name, row) in rows {
            if let amount = released[row.id] { rows[name]?.balance = row.balance.releasing(amount) }
        }
        for posting in draft.postings {
            guard let row = rows[posting.account] else { continue }
            let effect = Balance.signedEffect(
                of: posting.side, amountMinor: posting.amount.minorUnits,
                normalSide: row.definition.normalSide)
            rows[posting.account]?.balance = try row.balance.booking(
                effect, account: row.definition)
        }
        return BookingPlan(draft: draft, accounts: rows)
    }

    /// Writes a planned transfer anchored to `audit` and takes its balances into the scope.
    func commit(
        _ plan: BookingPlan, kind: String, key: String, memo: String?, reverses: Int64? = nil,
        hold: Int64? = nil, audit: AuditRow, in scope: TransactionScope
    ) throws -> TransferResult {
        let legs = plan.draft.postings.compactMap { posting in
            plan.accounts[posting.account].map { ($0.id, posting.side, posting.amount.minorUnits) }
        }
        let id = try scope.transaction.insertTransfer(
            NewTransfer(
                key: key, kind: kind, at: scope.now, memo: memo, reverses: reverses, hold: hold,
                auditSeq: audit.seq, auditHash: audit.hash, postings: legs))
        for row in plan.accounts.values { scope.update(row) }
        return TransferResult(
            transferID: id, key: key, kind: kind, at: scope.nowText,
            postings: plan.draft.postings.map {
                PostingView(
                    account: $0.account.rawValue, side: $0.side.rawValue,
                    amount: $0.amount.amountString, currency: $0.amount.currency.code)
            })
    }

    /// Plan and commit in one step, for use cases that book inside ``mutate(_:request:marked:reason:_:)``.
    func book(
        _ draft: TransferDraft, kind: String, key: String, memo: String?, reverses: Int64? = nil,
        hold: Int64? = nil, releasing released: [Int64: Int64] = [:], in mutation: Mutation
    ) throws -> TransferResult {
        let planned = try plan(draft, releasing: released, in: mutation.scope)
        return try commit(
            planned, kind: kind, key: key, memo: memo, reverses: reverses, hold: hold,
            audit: mutation.audit, in: mutation.scope)
    }
}
