import Foundation
import FundflowCore
import FundflowEngine

/// A fresh database with funded wallets, and batches of two-leg posts through `Engine.postBatch`:
/// per transfer an idempotency record, the postings, both balances with the non-negative check,
/// and an audit entry, committed once per batch with synchronous=FULL.
public final class PostingFixture {
    public let engine: Engine
    public let context: CommandContext
    private let directory: URL
    private var next = 0
    public static let walletCount = 1000

    public init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "fundflow-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        engine = try Engine.open(
            path: directory.appendingPathComponent("bench.db").path, operatorName: "bench")
        let actor = try engine.authenticate(name: "bench", pin: nil, source: "bench")
        context = CommandContext(actor: actor, commandText: "benchmark")
        let pragmas = try engine.store.writerPragmas()
        precondition(
            pragmas["synchronous"] == "2" && pragmas["journal_mode"] == "wal",
            "benchmark needs WAL + FULL: \(pragmas)")
        _ = try engine.openAccount(
            name: "nostro:DEUTDEFFXXX:USD", currency: "USD", type: nil, context)
        _ = try engine.openAccount(name: "transit:gateway:USD", currency: "USD", type: nil, context)
        var funding: [PostRequest] = []
        for wallet in 0..<Self.walletCount {
            _ = try engine.openAccount(
                name: "wallet:c\(wallet):USD", currency: "USD", type: nil, context)
            funding.append(
                PostRequest(
                    debit: "nostro:DEUTDEFFXXX:USD", credit: "wallet:c\(wallet):USD",
                    amount: "1000000000.00 USD",
                    key: "fund-\(wallet)", memo: nil, reason: "benchmark funding"))
        }
        _ = try engine.postBatch(funding, context)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    /// Posts `count` transfers of 1.00 USD from rotating wallets to transit, in one commit.
    public func postBatch(_ count: Int) throws {
        var requests: [PostRequest] = []
        requests.reserveCapacity(count)
        for _ in 0..<count {
            next += 1
            requests.append(
                PostRequest(
                    debit: "wallet:c\(next % Self.walletCount):USD", credit: "transit:gateway:USD",
                    amount: "1.00 USD",
                    key: "bench-\(next)", memo: nil, reason: "benchmark"))
        }
        let results = try engine.postBatch(requests, context)
        precondition(
            results.allSatisfy { if case .success = $0 { true } else { false } },
            "a benchmark post was refused")
    }
}
