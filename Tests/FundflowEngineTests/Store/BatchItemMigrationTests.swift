import Foundation
import FundflowCore
import FundflowEngine
import GRDB
import Testing

/// Migration v17: a payout names its batch item and the account it pays. A database written
/// before it (the item naming its payout) opens with every item still paired with its payout.
@Suite struct BatchItemMigrationTests {
    @Test func aBatchQuotedBeforeV17KeepsItsPayoutsAfterTheMigration() throws {
        let (company, batch, _, _) = try BatchLifecycleTests.imported([
            "1000.00", "2500.00", "40.00",
        ])
        let quoted = try company.engine.quoteBatch(batch.id, company.context(company.mei))
        let pairs = quoted.items.map { [$0.position, Int($0.payout ?? -1)] }
        #expect(pairs.allSatisfy { $0[1] > 0 })
        // Put the database back as v16 left it: the item names its payout, the payout names
        // nothing, the old index, v17 not yet applied.
        let queue = try DatabaseQueue(path: company.books.path)
        try queue.writeWithoutTransaction { db in
            try db.execute(
                sql: """
                    UPDATE batchItem SET payout = (
                        SELECT id FROM payout
                        WHERE payout.batch = batchItem.batch
                          AND payout.batchPosition = batchItem.position);
                    DROP INDEX payout_by_batch_position;
                    ALTER TABLE payout DROP COLUMN batchPosition;
                    CREATE INDEX payout_by_batch ON payout (batch) WHERE batch IS NOT NULL;
                    DROP INDEX payout_by_account;
                    ALTER TABLE payout DROP COLUMN account;
                    DELETE FROM grdb_migrations WHERE identifier LIKE 'v17 %';
                    """)
        }
        let before = try queue.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM batchItem WHERE payout IS NOT NULL")
        }
        #expect(before == 3)
        let reopened = try Engine.open(
            path: company.books.path, operatorName: "ops", clock: company.books.clock)
        let status = try reopened.batchStatus(batch.id, as: company.mei)
        #expect(status.items.map { [$0.position, Int($0.payout ?? -1)] } == pairs)
        let (linked, oldIndex, accounts) = try queue.read { db in
            (
                try Int.fetchOne(
                    db, sql: "SELECT COUNT(*) FROM batchItem WHERE payout IS NOT NULL"),
                try Int.fetchOne(
                    db, sql: "SELECT COUNT(*) FROM sqlite_master WHERE name = 'payout_by_batch'"),
                try String.fetchAll(db, sql: "SELECT account FROM payout ORDER BY batchPosition")
            )
        }
        #expect(linked == 0)
        #expect(oldIndex == 0)
        // Payouts made before v17 take their beneficiary's account.
        #expect(accounts == (0...2).map { "IFSC:HDFC0000240/5010001234567\($0)" })
    }
}
