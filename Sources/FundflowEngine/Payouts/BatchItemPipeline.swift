import Foundation
import FundflowCore
import FundflowStore

/// A batch item made ready for quoting: read back from its stored JSON, with the beneficiary
/// its account and address describe and its terms, each kept as it came out (a value or the
/// error), so that the quoting loop meets every error where it met it before.
struct PreparedBatchItem: Sendable {
    let item: StoredBatchItem
    let details: Result<BeneficiaryDetails, any Error>
    let terms: Result<PayoutTerms, any Error>
}

/// Prepares a batch's items on a second thread, a few chunks ahead of the loop that quotes and
/// writes them: that loop must stay on the database's thread, while reading an item back and
/// working out its beneficiary and terms depend on the item alone. On a machine with two cores
/// the two run side by side (issue 6's 100,000-payment benchmark).
///
/// Memory stays bounded: the preparing thread is at most `ahead` chunks in front of the chunk
/// being taken, so the prepared items live in a ring of `ahead + 1` chunks, each dropped once
/// taken. The loop calls `finish()` when it ends, however it ends, which lets the preparing
/// thread stop.
final class BatchItemPipeline: @unchecked Sendable {
    /// How many items the preparing thread works out between two signals.
    let chunk: Int
    /// How many chunks it may be ahead. A lead of 32,000 items (about 25 MB) measured as fast as
    /// an unbounded one on the 100,000-payment batch; 4 chunks cost half a second more.
    let ahead: Int

    private let capacity: Int
    // Written by the preparing thread before it signals `ready[c]` for the chunk, read and
    // cleared by the loop only after waiting on it; a ring slot is written again only once the
    // loop has moved past its chunk (`room`): the semaphores order every access.
    private let slots: UnsafeMutablePointer<Result<PreparedBatchItem, any Error>?>
    private let ready: [DispatchSemaphore]
    private let room: DispatchSemaphore
    private let lock = NSLock()
    private var stopped = false
    /// The last chunk the loop has waited for (the loop's thread only).
    private var reached = -1

    init(
        _ rows: [BatchItemRow], company: String, now: Timestamp, chunk: Int = 1_000,
        ahead: Int = 32
    ) {
        precondition(chunk >= 1 && ahead >= 1, "a pipeline needs chunks and room ahead")
        self.chunk = chunk
        self.ahead = ahead
        room = DispatchSemaphore(value: ahead)
        capacity = max(1, min(rows.count, (ahead + 1) * chunk))
        slots = .allocate(capacity: capacity)
        slots.initialize(repeating: nil, count: capacity)
        let count = rows.count
        let chunks = (rows.count + chunk - 1) / chunk
        ready = (0..<chunks).map { _ in DispatchSemaphore(value: 0) }
        let texts = rows.map(\.item)
        // The closure keeps `self` alive until the thread is done with `slots`.
        Thread.detachNewThread { [self] in
            for next in 0..<chunks {
                room.wait()
                if isStopped { break }
                for index in next * chunk..<min((next + 1) * chunk, count) {
                    slots[index % capacity] = Result {
                        try Self.prepare(texts[index], company: company, now: now)
                    }
                }
                ready[next].signal()
            }
        }
    }

    deinit {
        slots.deinitialize(count: capacity)
        slots.deallocate()
    }

    /// The prepared item at `index` (indices asked in increasing order), or the error reading it
    /// back met.
    func take(_ index: Int) throws -> PreparedBatchItem {
        let wanted = index / chunk
        while reached < wanted {
            if reached >= 0 { room.signal() }
            reached += 1
            ready[reached].wait()
        }
        defer { slots[index % capacity] = nil }
        guard let prepared = slots[index % capacity] else {
            preconditionFailure("batch item \(index) taken twice")
        }
        return try prepared.get()
    }

    /// Lets the preparing thread stop: the loop has ended.
    func finish() {
        lock.withLock { stopped = true }
        for _ in 0...ahead { room.signal() }
    }

    private var isStopped: Bool { lock.withLock { stopped } }

    private static func prepare(
        _ text: String, company: String, now: Timestamp
    ) throws -> PreparedBatchItem {
        let item = try StoredBatchItem.decode(text)
        return PreparedBatchItem(
            item: item, details: Result { try Engine.beneficiaryDetails(item) },
            terms: Result { try Engine.terms(item, company: company, now: now) })
    }
}
