import Foundation
import FundflowCore
import FundflowStore

/// The result of a keyed use case: the value, and whether it is the stored first result of an
/// earlier request with the same key.
public struct Keyed<Value: Sendable>: Sendable {
    public let value: Value
    public let key: String?
    public let replayed: Bool
}

/// What a use case works with inside its transaction: the store, the time of the command, who runs
/// it, and the audit entry already written for it (transfers anchor its hash).
struct Mutation {
    let transaction: StoreTransaction
    let context: CommandContext
    let now: Timestamp
    let audit: AuditRow
}

/// How a keyed request is identified: the key and what it asked for.
struct IdempotentRequest {
    let key: String
    let fingerprint: RequestFingerprint
}

/// How one mutating request ended inside its transaction.
private enum Finished<Value: Sendable> {
    case done(Keyed<Value>)
    case refused(any Error)
}

extension Engine {
    /// Runs a mutating use case as one transaction: expire due holds, answer a repeated key from its
    /// record, write the audit entry, run `body` in a savepoint, and record the key's outcome.
    ///
    /// A business refusal (the books said no) undoes `body`'s writes but commits the audit entry and
    /// the refusal under the key, then throws. Any other error rolls everything back, records
    /// nothing under the key, and is audited in a transaction of its own.
    func mutate<Value: Codable & Sendable>(
        _ context: CommandContext, request: IdempotentRequest? = nil, marked: Bool = false,
        reason: String? = nil,
        _ body: (Mutation) throws -> Value
    ) throws -> Keyed<Value> {
        let finished: Finished<Value>
        do {
            finished = try store.write { transaction in
                let now = clock.now()
                try expireDueHolds(transaction, at: now)
                return try mutateInside(
                    transaction, context, now: now, request: request, marked: marked,
                    reason: reason, body)
            }
        } catch {
            try? store.write { transaction in
                _ = try AuditChain.append(
                    transaction, context: context, outcome: "failed: \(error)", marked: marked,
                    reason: reason,
                    at: clock.now())
            }
            throw error
        }
        switch finished {
        case .done(let keyed): return keyed
        case .refused(let error): throw error
        }
    }

    /// Several mutating requests in one transaction (one commit), each with its own audit entry and
    /// key, as a batch import or the posting benchmark does. A validation error anywhere rolls the
    /// whole batch back; business refusals are recorded per item and returned in place.
    func mutateBatch<Value: Codable & Sendable>(
        _ context: CommandContext, requests: [IdempotentRequest?], marked: [Bool],
        _ body: (Mutation, Int) throws -> Value
    ) throws -> [Result<Keyed<Value>, any Error>] {
        try store.write { transaction in
            let now = clock.now()
            try expireDueHolds(transaction, at: now)
            return try requests.indices.map { index -> Result<Keyed<Value>, any Error> in
                let finished = try mutateInside(
                    transaction, context, now: now, request: requests[index], marked: marked[index],
                    reason: nil
                ) { mutation in try body(mutation, index) }
                switch finished {
                case .done(let keyed): return .success(keyed)
                case .refused(let error): return .failure(error)
                }
            }
        }
    }

    private func mutateInside<Value: Codable & Sendable>(
        _ transaction: StoreTransaction, _ context: CommandContext, now: Timestamp,
        request: IdempotentRequest?,
        marked: Bool, reason: String?, _ body: (Mutation) throws -> Value
    ) throws -> Finished<Value> {
        if let request, let existing = try transaction.idempotency(key: request.key) {
            if let field = existing.request.firstDifference(from: request.fingerprint) {
                throw EngineError.idempotencyConflict(key: request.key, field: field)
            }
            _ = try AuditChain.append(
                transaction, context: context, outcome: "replayed key \(request.key)",
                marked: marked,
                reason: reason, at: now)
            switch existing.outcome {
            case .succeeded:
                let value = try JSONDecoder().decode(Value.self, from: Data(existing.result.utf8))
                return .done(Keyed(value: value, key: request.key, replayed: true))
            case .refused:
                return .refused(EngineError.refused(key: request.key, message: existing.result))
            }
        }
        do {
            return try transaction.savepoint {
                let entry = try AuditChain.append(
                    transaction, context: context, outcome: "ok", marked: marked, reason: reason,
                    at: now)
                let value = try body(
                    Mutation(transaction: transaction, context: context, now: now, audit: entry))
                if let request {
                    let json = String(decoding: try JSONEncoder().encode(value), as: UTF8.self)
                    try transaction.insertIdempotency(
                        IdempotencyRow(
                            key: request.key, request: request.fingerprint, outcome: .succeeded,
                            result: json, at: now))
                }
                return .done(Keyed(value: value, key: request?.key, replayed: false))
            }
        } catch let refusal as any BusinessRefusable where refusal.isBusinessRefusal {
            _ = try AuditChain.append(
                transaction, context: context, outcome: "refused: \(refusal)", marked: marked,
                reason: reason, at: now)
            if let request {
                try transaction.insertIdempotency(
                    IdempotencyRow(
                        key: request.key, request: request.fingerprint, outcome: .refused,
                        result: refusal.description, at: now))
            }
            return .refused(refusal)
        }
    }

    /// A fresh key for an interactive request that named none; printed so it can be repeated.
    static func generatedKey() -> String { "k-" + UUID().uuidString.lowercased() }
}
