import Foundation
import FundflowCore
import FundflowEngine
import FundflowStore
import Testing

@Suite struct StorePragmaTests {
    @Test func writerConnectionReportsTheStorageRules() throws {
        // Given a brand-new database opened through the store
        let books = try TestBooks()
        // When the writer connection is asked for its pragmas
        let pragmas = try books.engine.store.writerPragmas()
        // Then WAL, synchronous=FULL (2), foreign keys on and the busy timeout are in force
        #expect(pragmas["journal_mode"] == "wal")
        #expect(pragmas["synchronous"] == "2")
        #expect(pragmas["foreign_keys"] == "1")
        #expect(pragmas["busy_timeout"] == String(Store.busyTimeoutSeconds * 1000))
    }

    @Test func reopeningAnExistingDatabaseNeitherMigratesNorSeedsAgain() throws {
        let books = try TestBooks()
        let first = try books.engine.users(as: books.admin)
        // A second opener with another local user name must not add a second operator.
        let again = try Engine.open(
            path: books.path, operatorName: "someone-else", clock: books.clock)
        let users = try again.users(as: books.admin)
        #expect(users == first)
        #expect(users.map(\.name) == ["ops"])
    }

    @Test func twoOpenersOfABrandNewFileSeedExactlyOnce() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "fundflow-race-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("new.db").path
        let results = LockedBox<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 4) { index in
            do {
                let engine = try Engine.open(path: path, operatorName: "op\(index)")
                let names = try engine.users(as: Actor(name: "x", role: .admin, isOperator: false))
                    .map(\.name)
                results.mutate { $0.append(names.joined(separator: ",")) }
            } catch {
                results.mutate { $0.append("error: \(error)") }
            }
        }
        let seen = results.value
        #expect(seen.count == 4)
        #expect(Set(seen).count == 1, "every opener sees the same single operator: \(seen)")
        #expect(seen.allSatisfy { !$0.hasPrefix("error") && !$0.contains(",") })
    }
}

/// A value shared between threads of a test.
final class LockedBox<T>: @unchecked Sendable {
    private var stored: T
    private let lock = NSLock()

    init(_ value: T) { stored = value }

    var value: T { lock.withLock { stored } }

    func mutate(_ body: (inout T) -> Void) { lock.withLock { body(&stored) } }
}
