import Foundation
import FundflowCore
import FundflowStore

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
    /// `ledger post --debit A --credit B "AMOUNT CCY" [--key K] [--memo M] [--reason R]`: a batch
    /// of one through ``postBatch(_:_:)``, so the shell and the benchmark share one path.
    public func post(
        _ request: PostRequest, _ context: CommandContext
    ) throws -> Keyed<TransferResult> {
        guard let only = try postBatch([request], context).first else {
            preconditionFailure("a batch of one produced no result")
        }
        return try only.get()
    }

    /// Many posts committed together. Each gets its own key, audit entry, balance checks and
    /// result; a business refusal (insufficient funds) is recorded for its item and returned in
    /// place, the others go on. A request that is invalid on its face (an unknown account, a
    /// malformed amount) fails the whole batch before anything is written.
    public func postBatch(
        _ requests: [PostRequest], _ context: CommandContext
    ) throws
        -> [Result<Keyed<TransferResult>, any Error>]
    {
        var names = NameCache()
        let marked = requests.contains { names.touchesCustomerMoney($0.debit, $0.credit) }
        return try auditingFailures(context, marked: marked, reason: requests.first?.reason) {
            try context.actor.require(.manageLedger)
            let prepared = try requests.map { try preparePost($0, names: &names) }
            return try store.write { transaction in
                let scope = try makeScope(transaction)
                try expireDueHolds(scope)
                var known = try transaction.idempotency(keys: prepared.map(\.idempotent.key))
                var results: [Result<Keyed<TransferResult>, any Error>] = []
                results.reserveCapacity(prepared.count)
                for item in prepared {
                    results.append(try postOne(item, known: &known, in: scope, context))
                }
                try scope.flush()
                return results
            }
        }
    }

    private func postOne(
        _ item: PreparedPost, known: inout [String: IdempotencyRow], in scope: TransactionScope,
        _ context: CommandContext
    ) throws -> Result<Keyed<TransferResult>, any Error> {
        let request = item.idempotent
        if let existing = known[request.key] {
            let finished: Finished<TransferResult> = try replay(
                existing, for: request, in: scope, context, marked: item.marked, reason: item.reason
            )
            return Result { try finished.get() }
        }
        do {
            // Every check happens in `plan`, before anything is written for this item.
            let planned = try plan(item.draft, in: scope)
            let audit = try scope.appendAudit(
                context, outcome: "ok", marked: item.marked, reason: item.reason)
            let value = try commit(
                planned, kind: "manual", key: request.key, memo: item.memo, audit: audit, in: scope)
            let record = IdempotencyRow(
                key: request.key, request: request.fingerprint, outcome: .succeeded,
                result: try value.replayRecord(), at: scope.now)
            try scope.transaction.insertIdempotency(record)
            known[request.key] = record
            return .success(Keyed(value: value, key: request.key, replayed: false))
        } catch let refusal as any BusinessRefusable where refusal.isBusinessRefusal {
            try recordRefusal(
                refusal, request: request, in: scope, context, marked: item.marked,
                reason: item.reason)
            known[request.key] = IdempotencyRow(
                key: request.key, request: request.fingerprint, outcome: .refused,
                result: refusal.description, at: scope.now)
            return .failure(refusal)
        }
    }

    private struct PreparedPost {
        let draft: TransferDraft
        let idempotent: IdempotentRequest
        let marked: Bool
        let memo: String?
        let reason: String?
    }

    /// Account names parsed once per batch, with whether each holds customer money.
    private struct NameCache {
        var parsed: [String: (name: AccountName, customer: Bool)] = [:]

        mutating func name(_ text: String) throws -> (name: AccountName, customer: Bool) {
            if let known = parsed[text] { return known }
            let name = try AccountName(text)
            let entry = (name, (try? AccountClass.of(name).isCustomerMoney) == true)
            parsed[text] = entry
            return entry
        }

        mutating func touchesCustomerMoney(_ debit: String, _ credit: String) -> Bool {
            ((try? name(debit).customer) ?? false) || ((try? name(credit).customer) ?? false)
        }
    }

    /// Everything about a post that can be checked without the books: names, amount, reason.
    private func preparePost(_ request: PostRequest, names: inout NameCache) throws -> PreparedPost
    {
        let debit = try names.name(request.debit)
        let credit = try names.name(request.credit)
        let amount = try Money.parsePositive(request.amount)
        if debit.name == credit.name { throw LedgerError.sameAccountBothSides(debit.name.rawValue) }
        let customer = debit.customer ? debit.name : credit.customer ? credit.name : nil
        try CustomerMoney.requireReason(request.reason, touching: customer?.rawValue)
        let key = try SystemKey.user(request.key)
        let fingerprint = RequestFingerprint(
            command: "ledger post",
            fields: [
                .init("debit", debit.name.rawValue), .init("credit", credit.name.rawValue),
                .init("amount", amount.description), .init("memo", request.memo ?? ""),
                .init("reason", request.reason ?? ""),
            ])
        return PreparedPost(
            draft: .twoLeg(debit: debit.name, credit: credit.name, amount: amount),
            idempotent: IdempotentRequest(key: key, fingerprint: fingerprint),
            marked: customer != nil, memo: request.memo, reason: request.reason)
    }

    /// `ledger reverse TRANSFER`: a new transfer with every leg on the other side. The original
    /// stays as it was; a transfer is reversed at most once.
    public func reverse(
        transferID: Int64, key: String?, reason: String?, _ context: CommandContext
    )
        throws -> Keyed<TransferResult>
    {
        let key = try SystemKey.user(key)
        let fingerprint = RequestFingerprint(
            command: "ledger reverse",
            fields: [.init("transfer", String(transferID)), .init("reason", reason ?? "")])
        let original = try store.read { try $0.transfer(id: transferID) }
        let customer = original?.legs.first {
            (try? AccountClass.of(AccountName($0.account)).isCustomerMoney) == true
        }
        return try mutate(
            context, needs: .manageLedger,
            request: IdempotentRequest(key: key, fingerprint: fingerprint),
            marked: customer != nil, reason: reason
        ) { mutation in
            guard let original else { throw LedgerError.transferNotFound(transferID) }
            try CustomerMoney.requireReason(reason, touching: customer?.account)
            if original.reverses != nil { throw LedgerError.reversalOfReversal(transferID) }
            if let by = try mutation.transaction.reversal(of: transferID) {
                throw LedgerError.alreadyReversed(transferID, by: by)
            }
            return try book(
                TransferDraft(postings: try original.reversingPostings()), kind: "reversal",
                key: key,
                memo: "reversal of transfer \(transferID)", reverses: transferID, in: mutation)
        }
    }
}

extension TransferRow {
    /// Every leg on the other side: what undoes the transfer.
    func reversingPostings() throws -> [Posting] {
        try legs.map { leg in
            Posting(
                leg.side.opposite, try AccountName(leg.account),
                Money(minorUnits: leg.amountMinor, currency: try Currency.named(leg.currency)))
        }
    }
}
