import Foundation
import FundflowCore
import FundflowStore
import Testing

@testable import FundflowEngine

/// The second thread that reads batch items back, a few chunks ahead of the quoting loop: every
/// item comes back in order, as reading it on the loop's thread gives it, an item that cannot be
/// read fails where it stands, and a loop that stops early lets the thread go.
@Suite struct BatchItemPipelineTests {
    static func rows() throws -> [BatchItemRow] {
        let amounts = (1...11).map { "\($0)00.00" }
        let (company, batch, _, _) = try BatchLifecycleTests.imported(amounts)
        var rows = try company.engine.store.read { try $0.batchItems(batch: batch.id) }
        // An item whose stored text is not an item, in the middle of a chunk.
        let broken = rows[6]
        rows[6] = BatchItemRow(
            batch: broken.batch, position: broken.position, path: broken.path,
            item: "{\"path\": 7", payout: nil)
        return rows
    }

    @Test func everyItemComesBackInOrderThroughASmallRing() throws {
        let rows = try Self.rows()
        let now = TestBooks.start
        // Chunks of 2 and one chunk ahead: a ring of 4 slots for 11 items, reused three times.
        let pipeline = BatchItemPipeline(rows, company: "acme", now: now, chunk: 2, ahead: 1)
        defer { pipeline.finish() }
        for (index, row) in rows.enumerated() {
            if index == 6 {
                #expect(throws: (any Error).self) { try pipeline.take(index) }
                continue
            }
            let prepared = try pipeline.take(index)
            let direct = try StoredBatchItem.decode(row.item)
            #expect(prepared.item == direct)
            #expect(try prepared.details.get() == Engine.beneficiaryDetails(direct))
            #expect(
                try prepared.terms.get().fixed
                    == Engine.terms(direct, company: "acme", now: now).fixed)
        }
    }

    @Test func aLoopThatStopsEarlyLetsThePreparingThreadGo() throws {
        let rows = try Self.rows()
        weak var released: BatchItemPipeline?
        do {
            let pipeline = BatchItemPipeline(
                rows, company: "acme", now: TestBooks.start, chunk: 1, ahead: 1)
            released = pipeline
            _ = try pipeline.take(0)
            pipeline.finish()
        }
        // The thread holds the pipeline until it has stopped; then it is gone.
        let deadline = Date().addingTimeInterval(10)
        while released != nil, Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        #expect(released == nil)
    }
}
