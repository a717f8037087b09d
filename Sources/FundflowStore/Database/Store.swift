import Foundation
import GRDB

#if canImport(Glibc)
    import Glibc
#endif

/// The one SQLite file behind a Fundflow database, opened through GRDB with the storage rules of
/// DESIGN.md §8: WAL, `synchronous=FULL`, foreign keys, a busy timeout, every write `IMMEDIATE`.
///
/// Creation, migration and seeding are serialised across processes by an exclusive `flock` on a
/// sidecar `PATH-lock` file: GRDB's migrator reads which migrations are applied outside of the
/// transaction that applies them, so two processes opening a brand-new file would both migrate.
public final class Store: Sendable {
    private let pool: DatabasePool
    public let path: String

    /// How long a write waits for another process's transaction before giving up.
    public static let busyTimeoutSeconds = 60

    /// Opens (creating and migrating if needed) the database at `path`; `seed` runs once, in the
    /// same serialised section, when the database is new.
    public init(path: String, seed: (StoreTransaction) throws -> Void) throws {
        self.path = path
        let lock = try FileLock(path: path + "-lock")
        defer { lock.unlock() }
        var configuration = Configuration()
        configuration.busyMode = .timeout(TimeInterval(Self.busyTimeoutSeconds))
        configuration.foreignKeysEnabled = true
        configuration.label = "fundflow"
        // 32 MiB of page cache per connection (the default is 2 MiB): a batch of 100,000 payouts
        // reads and writes far more pages than that in one transaction.
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA cache_size = -32768") }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            // GRDB puts a pool's writer on synchronous=NORMAL while opening it; FULL must come after.
            try pool.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA synchronous = FULL")
            }
            try Schema.migrator.migrate(pool)
            try pool.writeWithoutTransaction { db in
                try db.inTransaction(.immediate) {
                    let transaction = StoreTransaction(db: db)
                    if try transaction.meta("seededAt") == nil {
                        try seed(transaction)
                    }
                    return .commit
                }
            }
        } catch let error as DatabaseError {
            throw StoreError(error, path: path)
        }
    }

    /// Runs `body` in one `BEGIN IMMEDIATE` transaction: all of it commits or none of it does.
    public func write<T>(_ body: (StoreTransaction) throws -> T) throws -> T {
        do {
            return try pool.writeWithoutTransaction { db in
                var result: T?
                try db.inTransaction(.immediate) {
                    result = try body(StoreTransaction(db: db))
                    return .commit
                }
                guard let result else {
                    preconditionFailure("a committed transaction produced no result")
                }
                return result
            }
        } catch let error as DatabaseError {
            throw StoreError(error, path: path)
        }
    }

    /// Runs `body` on a consistent snapshot, without blocking writers.
    public func read<T>(_ body: (StoreTransaction) throws -> T) throws -> T {
        do {
            return try pool.read { db in try body(StoreTransaction(db: db)) }
        } catch let error as DatabaseError {
            throw StoreError(error, path: path)
        }
    }

    /// What the writer connection reports for the pragmas the storage rules depend on.
    public func writerPragmas() throws -> [String: String] {
        try pool.writeWithoutTransaction { db in
            var values: [String: String] = [:]
            for name in ["journal_mode", "synchronous", "foreign_keys", "busy_timeout"] {
                values[name] = try String.fetchOne(db, sql: "PRAGMA \(name)")
            }
            return values
        }
    }
}

/// A database failure in words a person can act on, with SQLite's own code for the record.
public struct StoreError: Error, Equatable, CustomStringConvertible {
    public let code: Int32
    public let message: String
    public let path: String

    init(_ error: DatabaseError, path: String) {
        self.code = error.resultCode.rawValue
        self.message = error.message ?? "\(error.resultCode)"
        self.path = path
    }

    public init(code: Int32, message: String, path: String) {
        self.code = code
        self.message = message
        self.path = path
    }

    public var description: String {
        "database \(path): \(message) (SQLite code \(code))"
    }

    /// Busy, locked, I/O or a full disk: trying again later may succeed.
    public var isTransient: Bool { [5, 6, 10, 13].contains(code & 0xff) }
}

/// An exclusive advisory lock on a sidecar file, held while a database is created or migrated.
struct FileLock {
    private let descriptor: Int32

    init(path: String) throws {
        descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw StoreError(
                code: errno,
                message: "cannot open the lock file \(path): \(String(cString: strerror(errno)))",
                path: path)
        }
        while flock(descriptor, LOCK_EX) != 0 {
            if errno == EINTR { continue }
            let reason = String(cString: strerror(errno))
            close(descriptor)
            throw StoreError(code: errno, message: "cannot lock \(path): \(reason)", path: path)
        }
    }

    func unlock() {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
