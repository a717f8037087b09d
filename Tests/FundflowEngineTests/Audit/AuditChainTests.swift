import FundflowCore
import FundflowEngine
import FundflowStore
import GRDB
import Testing

@Suite struct AuditChainTests {
    /// Books with a few audited commands, the last of which posts a transfer.
    func booksWithHistory() throws -> TestBooks {
        let books = try TestBooks.funded("100.00 EUR")
        try books.post("wallet:acme:EUR", "transit:gateway:EUR", "1.00 EUR", key: "a")
        _ = try? books.post("wallet:acme:EUR", "transit:gateway:EUR", "1000.00 EUR", key: "refused")
        try books.post("wallet:acme:EUR", "transit:gateway:EUR", "2.00 EUR", key: "last")
        return books
    }

    /// Changes the database behind the engine's back, as someone with the file and sqlite3 could.
    func tamper(_ books: TestBooks, _ sql: String) throws {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = false
        let queue = try DatabaseQueue(path: books.path, configuration: configuration)
        try queue.write { db in
            try db.execute(sql: "DROP TRIGGER IF EXISTS auditEntry_append_only_update")
            try db.execute(sql: "DROP TRIGGER IF EXISTS auditEntry_append_only_delete")
            try db.execute(sql: sql)
        }
    }

    @Test func everyMutatingCommandIsRecordedWithActorCommandAndOutcome() throws {
        let books = try booksWithHistory()
        let log = try books.engine.auditLog(limit: 100, as: books.admin)
        #expect(log.count == 8)
        #expect(log.allSatisfy { $0.actor == "ops" })
        #expect(log.filter { $0.outcome.hasPrefix("refused: insufficient funds") }.count == 1)
        let report = try books.engine.verifyAudit(as: books.admin)
        #expect(report.problems == [])
        #expect(report.headSeq == 8)
        #expect(report.headHash == log.last?.hash)
    }

    @Test func theAuditLogRefusesUpdatesAndDeletesThroughSQL() throws {
        let books = try booksWithHistory()
        let queue = try DatabaseQueue(path: books.path)
        #expect(throws: DatabaseError.self) {
            try queue.write {
                try $0.execute(sql: "UPDATE auditEntry SET actor = 'mallory' WHERE seq = 1")
            }
        }
        #expect(throws: DatabaseError.self) {
            try queue.write { try $0.execute(sql: "DELETE FROM transfer WHERE id = 1") }
        }
    }

    @Test(arguments: [
        ("UPDATE auditEntry SET actor = 'mallory' WHERE seq = 3", "entry 3 was edited"),
        ("DELETE FROM auditEntry WHERE seq = 4", "entry 4 is missing"),
        (
            """
            UPDATE auditEntry SET seq = 1000 WHERE seq = 2;
            UPDATE auditEntry SET seq = 2 WHERE seq = 3;
            UPDATE auditEntry SET seq = 3 WHERE seq = 1000;
            """, "entry 2"
        ),
        ("DELETE FROM auditEntry WHERE seq >= 8", "the log was cut"),
    ])
    func tamperingIsDetected(sql: String, expected: String) throws {
        let books = try booksWithHistory()
        try tamper(books, sql)
        let problems = try books.engine.verifyAudit(as: books.admin).problems
        #expect(problems.contains { $0.contains(expected) }, "\(problems)")
    }
}
