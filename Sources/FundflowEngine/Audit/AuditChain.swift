import Crypto
import FundflowCore
public import FundflowStore

/// The hash chain over the audit log. Each entry's hash covers its fields and the previous hash;
/// each ledger transfer stores the (seq, hash) of the entry of the command that made it, so an
/// edited, deleted, reordered or cut-off entry is found by ``verify(_:)``.
public enum AuditChain {
    public static let genesisHash = String(repeating: "0", count: 64)

    /// Appends an entry after `last` (the current head, which the caller knows).
    static func append(
        _ transaction: StoreTransaction, after last: AuditRow?, context: CommandContext,
        outcome: String, marked: Bool, reason: String?, at time: Timestamp
    ) throws -> AuditRow {
        let seq = (last?.seq ?? 0) + 1
        let prevHash = last?.hash ?? genesisHash
        let hash = digest(
            seq: seq, at: time, actor: context.actor.name, command: context.commandText,
            outcome: outcome,
            marked: marked, reason: reason, prevHash: prevHash)
        let entry = AuditRow(
            seq: seq, at: time, actor: context.actor.name, command: context.commandText,
            outcome: outcome,
            marked: marked, reason: reason, prevHash: prevHash, hash: hash)
        try transaction.insertAudit(entry)
        return entry
    }

    /// SHA-256 over length-prefixed fields (`LENGTH:FIELD\n` each), so no field's content can
    /// imitate a separator; lower-case hex.
    static func digest(
        seq: Int64, at time: Timestamp, actor: String, command: String, outcome: String,
        marked: Bool, reason: String?, prevHash: String
    ) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(256 + command.utf8.count + outcome.utf8.count)
        for field in [
            String(seq), String(time.millisecondsSinceEpoch), actor, command, outcome,
            marked ? "1" : "0", reason ?? "", prevHash,
        ] {
            bytes.append(contentsOf: String(field.utf8.count).utf8)
            bytes.append(UInt8(ascii: ":"))
            bytes.append(contentsOf: field.utf8)
            bytes.append(UInt8(ascii: "\n"))
        }
        let hexDigits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        hex.reserveCapacity(64)
        for byte in SHA256.hash(data: bytes) {
            hex.append(hexDigits[Int(byte >> 4)])
            hex.append(hexDigits[Int(byte & 0x0f)])
        }
        return String(decoding: hex, as: UTF8.self)
    }

    /// What `audit verify` found: the head of a sound chain, or every problem in order.
    public struct Report: Equatable, Sendable {
        public let entries: Int
        public let headSeq: Int64
        public let headHash: String
        public let problems: [String]
    }

    public static func verify(_ transaction: StoreTransaction) throws -> Report {
        var problems: [String] = []
        var previous: AuditRow?
        var count = 0
        var hashes: [Int64: String] = [:]
        var afterSeq: Int64 = 0
        while true {
            let page = try transaction.auditEntries(afterSeq: afterSeq, limit: 10_000)
            guard let lastOfPage = page.last else { break }
            for entry in page {
                count += 1
                let expectedSeq = (previous?.seq ?? 0) + 1
                if entry.seq != expectedSeq {
                    problems.append(
                        "entry \(expectedSeq) is missing: the log jumps to \(entry.seq)")
                }
                let expectedPrev = previous?.hash ?? genesisHash
                if entry.prevHash != expectedPrev {
                    problems.append(
                        "entry \(entry.seq) does not follow entry \(previous?.seq ?? 0): its previous hash differs"
                    )
                }
                let recomputed = digest(
                    seq: entry.seq, at: entry.at, actor: entry.actor, command: entry.command,
                    outcome: entry.outcome,
                    marked: entry.marked, reason: entry.reason, prevHash: entry.prevHash)
                if recomputed != entry.hash {
                    problems.append(
                        "entry \(entry.seq) was edited: its content does not match its hash")
                }
                hashes[entry.seq] = entry.hash
                previous = entry
            }
            afterSeq = lastOfPage.seq
        }
        for anchor in try transaction.transferAnchors() {
            guard let hash = hashes[anchor.auditSeq] else {
                problems.append(
                    "transfer \(anchor.transferID) is anchored to entry \(anchor.auditSeq), which is missing: the log was cut"
                )
                continue
            }
            if hash != anchor.auditHash {
                problems.append(
                    "transfer \(anchor.transferID) is anchored to a different entry \(anchor.auditSeq) than the log holds"
                )
            }
        }
        return Report(
            entries: count, headSeq: previous?.seq ?? 0, headHash: previous?.hash ?? genesisHash,
            problems: problems)
    }
}

extension Engine {
    /// `audit verify`: checks the whole chain and every transfer's anchor.
    public func verifyAudit(as actor: Actor) throws -> AuditChain.Report {
        try actor.require(.readAudit)
        return try store.read { try AuditChain.verify($0) }
    }

    /// `audit log`: the newest entries, oldest of them first.
    public func auditLog(limit: Int, as actor: Actor) throws -> [AuditRow] {
        try actor.require(.readAudit)
        return try store.read { try $0.recentAuditEntries(limit: max(1, min(limit, 100_000))) }
    }
}
