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

/// What a use case works with inside its transaction: the scope (store, time, account cache),
/// who runs it, and the audit entry already written for it (transfers anchor its hash).
struct Mutation {
    let scope: TransactionScope
    let context: CommandContext
    let audit: AuditRow

    var transaction: StoreTransaction { scope.transaction }
    var now: Timestamp { scope.now }
}

/// How a keyed request is identified: the key and what it asked for.
struct IdempotentRequest {
    let key: String
    let fingerprint: RequestFingerprint
}

/// How one mutating request ended inside its transaction.
enum Finished<Value: Sendable> {
    case done(Keyed<Value>)
    case refused(any Error)

    func get() throws -> Keyed<Value> {
        switch self {
        case .done(let keyed): return keyed
        case .refused(let error): throw error
        }
    }
}

/// A result that can be stored under an idempotency key and given back for a repeated request.
protocol Replayable: Sendable {
    func replayRecord() throws -> String
    static func replay(_ record: String, in transaction: StoreTransaction) throws -> Self
}

extension Replayable where Self: Codable {
    func replayRecord() throws -> String {
        String(decoding: try JSONEncoder().encode(self), as: UTF8.self)
    }

    static func replay(_ record: String, in transaction: StoreTransaction) throws -> Self {
        try JSONDecoder().decode(Self.self, from: Data(record.utf8))
    }
}

extension Engine {
    /// Runs a mutating use case as one transaction: check the actor's permission, expire due holds, answer a repeated key from its
    /// record, write the audit entry, run `body` in a savepoint, and record the key's outcome.
    ///
    /// A business refusal (the books said no) undoes `body`'s writes but commits the audit entry and
    /// the refusal under the key, then throws. Any other error rolls everything back, records
    /// nothing under the key, and is audited in a transaction of its own.
    func mutate<Value: Replayable>(
        _ context: CommandContext, needs permission: Permission?, request: IdempotentRequest? = nil,
        marked: Bool = false, reason: String? = nil, _ body: (Mutation) throws -> Value
    ) throws -> Keyed<Value> {
        try auditingFailures(context, marked: marked, reason: reason) {
            if let permission { try context.actor.require(permission) }
            return try store.write { transaction in
                let scope = try makeScope(transaction)
                try expireDueHolds(scope)
                let finished = try mutateInside(
                    scope, context, request: request, marked: marked, reason: reason, body)
                try scope.flush()
                return finished
            }
        }.get()
    }

    /// Runs `work`; when it throws, the failure is audited in a transaction of its own (the
    /// work's own transaction has rolled back) and rethrown.
    func auditingFailures<T>(
        _ context: CommandContext, marked: Bool, reason: String?, _ work: () throws -> T
    ) throws -> T {
        do {
            return try work()
        } catch {
            try? store.write { transaction in
                let scope = try makeScope(transaction)
                _ = try scope.appendAudit(
                    context, outcome: "failed: \(error)", marked: marked, reason: reason)
            }
            throw error
        }
    }

    /// The answer to a key already recorded: the first result or refusal again, or a conflict
    /// naming the first field that differs. Repeats are audited too.
    func replay<Value: Replayable>(
        _ existing: IdempotencyRow, for request: IdempotentRequest, in scope: TransactionScope,
        _ context: CommandContext, marked: Bool, reason: String?
    ) throws -> Finished<Value> {
        if let field = existing.request.firstDifference(from: request.fingerprint) {
            throw EngineError.idempotencyConflict(key: request.key, field: field)
        }
        _ = try scope.appendAudit(
            context, outcome: "replayed key \(request.key)", marked: marked, reason: reason)
        switch existing.outcome {
        case .succeeded:
            let value = try Value.replay(existing.result, in: scope.transaction)
            return .done(Keyed(value: value, key: request.key, replayed: true))
        case .refused:
            return .refused(EngineError.refused(key: request.key, message: existing.result))
        }
    }

    /// Records a business refusal: its audit entry and, for a keyed request, the refusal itself.
    func recordRefusal(
        _ refusal: any BusinessRefusable, request: IdempotentRequest?, in scope: TransactionScope,
        _ context: CommandContext, marked: Bool, reason: String?
    ) throws {
        _ = try scope.appendAudit(
            context, outcome: "refused: \(refusal)", marked: marked, reason: reason)
        if let request {
            try scope.transaction.insertIdempotency(
                IdempotencyRow(
                    key: request.key, request: request.fingerprint, outcome: .refused,
                    result: refusal.description, at: scope.now))
        }
    }

    private func mutateInside<Value: Replayable>(
        _ scope: TransactionScope, _ context: CommandContext, request: IdempotentRequest?,
        marked: Bool, reason: String?, _ body: (Mutation) throws -> Value
    ) throws -> Finished<Value> {
        if let request, let existing = try scope.transaction.idempotency(key: request.key) {
            return try replay(
                existing, for: request, in: scope, context, marked: marked, reason: reason)
        }
        let saved = scope.checkpoint()
        do {
            return try scope.transaction.savepoint {
                let entry = try scope.appendAudit(
                    context, outcome: "ok", marked: marked, reason: reason)
                let value = try body(Mutation(scope: scope, context: context, audit: entry))
                if let request {
                    try scope.transaction.insertIdempotency(
                        IdempotencyRow(
                            key: request.key, request: request.fingerprint, outcome: .succeeded,
                            result: try value.replayRecord(), at: scope.now))
                }
                return .done(Keyed(value: value, key: request?.key, replayed: false))
            }
        } catch let refusal as any BusinessRefusable where refusal.isBusinessRefusal {
            scope.restore(saved)
            try recordRefusal(
                refusal, request: request, in: scope, context, marked: marked, reason: reason)
            return .refused(refusal)
        }
    }

    /// A fresh key for an interactive request that named none; printed so it can be repeated.
    static func generatedKey() -> String { "k-" + UUID().uuidString.lowercased() }
}
