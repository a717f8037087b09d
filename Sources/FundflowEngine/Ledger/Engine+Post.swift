import Foundation
import FundflowCore
import FundflowStore

/// A transfer the ledger made, as commands report it.
public struct TransferResult: Equatable, Sendable, Codable {
    public let transferID: Int64
    public let key: String
    public let kind: String
    public let at: String
    public let postings: [PostingView]
}

public struct PostingView: Equatable, Sendable, Codable {
    public let account: String
    public let side: String
    public let amount: String
    public let currency: String
}

/// `ledger post`: one two-leg transfer typed by an admin.
public struct PostRequest: Sendable {
    public let debit: String
    public let credit: String
    public let amount: String
    public let key: String?
    public let memo: String?
    public let reason: String?

    public init(
        debit: String, credit: String, amount: String, key: String?, memo: String?, reason: String?
    ) {
        self.debit = debit
        self.credit = credit
        self.amount = amount
        self.key = key
        self.memo = memo
        self.reason = reason
    }
}

extension Engine {
    /// `ledger post --debit A --credit B "AMOUNT CCY" [--key K] [--memo M] [--reason R]`.
    public func post(
        _ request: PostRequest, _ context: CommandContext
    ) throws -> Keyed<TransferResult> {
        try context.actor.require(.manageLedger)
        let prepared = try preparePost(request)
        return try mutate(
            context, request: prepared.idempotent, marked: prepared.touchesCustomerMoney,
            reason: request.reason
        ) {
            try book(
                prepared.draft, kind: "manual", key: prepared.idempotent.key, memo: request.memo,
                in: $0)
        }
    }

    /// Many `ledger post` requests committed together, each with its own key, audit entry and
    /// checks: the engine path the posting benchmark measures.
    public func postBatch(
        _ requests: [PostRequest], _ context: CommandContext
    ) throws
        -> [Result<Keyed<TransferResult>, any Error>]
    {
        try context.actor.require(.manageLedger)
        let prepared = try requests.map(preparePost)
        return try mutateBatch(
            context, requests: prepared.map(\.idempotent),
            marked: prepared.map(\.touchesCustomerMoney)
        ) { mutation, index in
            try book(
                prepared[index].draft, kind: "manual", key: prepared[index].idempotent.key,
                memo: requests[index].memo, in: mutation)
        }
    }

    private struct PreparedPost {
        let draft: TransferDraft
        let idempotent: IdempotentRequest
        let touchesCustomerMoney: Bool
    }

    /// Everything about a post that can be checked without the books: names, amount, reason.
    private func preparePost(_ request: PostRequest) throws -> PreparedPost {
        let debit = try AccountName(request.debit)
        let credit = try AccountName(request.credit)
        let amount = try Money.parsePositive(request.amount)
        if debit == credit { throw LedgerError.sameAccountBothSides(debit.rawValue) }
        let customer = [debit, credit].first { (try? AccountClass.of($0).isCustomerMoney) == true }
        if let customer, (request.reason ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
            throw LedgerError.customerMoneyNeedsReason(customer.rawValue)
        }
        let key = request.key ?? Engine.generatedKey()
        let fingerprint = RequestFingerprint(
            command: "ledger post",
            fields: [
                .init("debit", debit.rawValue), .init("credit", credit.rawValue),
                .init("amount", amount.description),
                .init("memo", request.memo ?? ""), .init("reason", request.reason ?? ""),
            ])
        return PreparedPost(
            draft: .twoLeg(debit: debit, credit: credit, amount: amount),
            idempotent: IdempotentRequest(key: key, fingerprint: fingerprint),
            touchesCustomerMoney: customer != nil)
    }

    /// Books a validated draft: checks every balance (overflow, the non-negative rule on available),
    /// writes the transfer anchored to this command's audit entry, and updates the balances.
    func book(
        _ draft: TransferDraft, kind: String, key: String, memo: String?, reverses: Int64? = nil,
        hold: Int64? = nil,
        releasing released: [Int64: Int64] = [:], in mutation: Mutation
    ) throws -> TransferResult {
        var rows: [AccountName: AccountRow] = [:]
        for posting in draft.postings where rows[posting.account] == nil {
            guard let row = try mutation.transaction.account(named: posting.account) else {
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
        let id = try mutation.transaction.insertTransfer(
            NewTransfer(
                key: key, kind: kind, at: mutation.now, memo: memo, reverses: reverses, hold: hold,
                auditSeq: mutation.audit.seq, auditHash: mutation.audit.hash,
                postings: draft.postings.compactMap { posting in
                    rows[posting.account].map { ($0.id, posting.side, posting.amount.minorUnits) }
                }))
        for row in rows.values.sorted(by: { $0.id < $1.id }) {
            try mutation.transaction.setBalance(accountID: row.id, row.balance)
        }
        return TransferResult(
            transferID: id, key: key, kind: kind, at: mutation.now.iso8601,
            postings: draft.postings.map {
                PostingView(
                    account: $0.account.rawValue, side: $0.side.rawValue,
                    amount: $0.amount.amountString,
                    currency: $0.amount.currency.code)
            })
    }

    /// `ledger reverse TRANSFER`: a new transfer with every leg on the other side. The original
    /// stays as it was; a transfer is reversed at most once.
    public func reverse(
        transferID: Int64, key: String?, reason: String?, _ context: CommandContext
    ) throws
        -> Keyed<TransferResult>
    {
        try context.actor.require(.manageLedger)
        let key = key ?? Engine.generatedKey()
        let fingerprint = RequestFingerprint(
            command: "ledger reverse",
            fields: [.init("transfer", String(transferID)), .init("reason", reason ?? "")])
        let original = try store.read { try $0.transfer(id: transferID) }
        guard let original else { throw LedgerError.transferNotFound(transferID) }
        let customer = original.legs.first {
            (try? AccountClass.of(AccountName($0.account)).isCustomerMoney) == true
        }
        if let customer, (reason ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
            throw LedgerError.customerMoneyNeedsReason(customer.account)
        }
        return try mutate(
            context, request: IdempotentRequest(key: key, fingerprint: fingerprint),
            marked: customer != nil, reason: reason
        ) { mutation in
            if original.reverses != nil { throw LedgerError.reversalOfReversal(transferID) }
            if let by = try mutation.transaction.reversal(of: transferID) {
                throw LedgerError.alreadyReversed(transferID, by: by)
            }
            let postings = try original.legs.map { leg in
                Posting(
                    leg.side.opposite, try AccountName(leg.account),
                    Money(minorUnits: leg.amountMinor, currency: try Currency.named(leg.currency)))
            }
            return try book(
                TransferDraft(postings: postings), kind: "reversal", key: key,
                memo: "reversal of transfer \(transferID)",
                reverses: transferID, in: mutation)
        }
    }
}
