public import FundflowCore
public import FundflowStore

/// The use cases of Fundflow, one method per thing a user can do. Every mutating use case runs in
/// one database transaction, records itself in the audit log, and honours idempotency keys; the
/// shell (and any future server) is a thin front end over this type.
public final class Engine: Sendable {
    public let store: Store
    let clock: any TimeSource
    /// The database runs on its own simulated clock (`meta.simulatedNow`), moved only by
    /// `clock set` and `clock advance`.
    public let simulated: Bool
    /// Where the embedded defaults are (the ECB history is loaded from there on first use).
    let defaults: DefaultFiles?

    public init(store: Store, clock: any TimeSource, defaults: DefaultFiles? = nil) throws {
        self.store = store
        self.clock = clock
        self.defaults = defaults
        self.simulated = try store.read { try $0.meta("clock") } == "simulated"
    }

    /// Opens (creating and seeding if new) the database at `path`. `operatorName` becomes the
    /// first admin of a new database: the local account that needs no PIN. A new database is
    /// seeded from `defaults` (the channel files of `channels/`); `simulated` puts a new database
    /// on a simulated clock starting at the clock's current second.
    public static func open(
        path: String, operatorName: String, clock: any TimeSource = SystemTimeSource(),
        defaults: DefaultFiles? = DefaultFiles.locate(), simulated: Bool = false
    ) throws -> Engine {
        let store = try Store(path: path) { transaction in
            try Seed.run(
                transaction, operatorName: operatorName, at: clock.now(), defaults: defaults,
                simulated: simulated)
        }
        return try Engine(store: store, clock: clock, defaults: defaults)
    }

    /// The time of a transaction: the simulated clock's when this database runs on one.
    func time(in transaction: StoreTransaction) throws -> Timestamp {
        guard simulated else { return clock.now() }
        guard let text = try transaction.meta("simulatedNow"), let milliseconds = Int64(text) else {
            preconditionFailure("a simulated database has no simulatedNow")
        }
        return Timestamp(millisecondsSinceEpoch: milliseconds)
    }

    /// A scope for one transaction, at the transaction's time.
    func makeScope(_ transaction: StoreTransaction) throws -> TransactionScope {
        TransactionScope(transaction, now: try time(in: transaction))
    }

    /// The current time of this database (simulated or system).
    public func now() throws -> Timestamp {
        try store.read { try time(in: $0) }
    }
}

/// What a new database holds before anyone uses it.
enum Seed {
    static func run(
        _ transaction: StoreTransaction, operatorName: String, at time: Timestamp,
        defaults: DefaultFiles?,
        simulated: Bool
    ) throws {
        try UserName.validate(operatorName)
        try transaction.insertPerson(
            PersonRow(
                name: operatorName, role: .admin, pinHash: nil, isOperator: true, disabled: false,
                createdAt: time))
        try transaction.setMeta("seededAt", time.iso8601)
        if simulated {
            try transaction.setMeta("clock", "simulated")
            let second = time.millisecondsSinceEpoch - time.millisecondsSinceEpoch % 1000
            try transaction.setMeta("simulatedNow", String(second))
        } else {
            try transaction.setMeta("clock", "system")
        }
        for file in try defaults?.channelFiles() ?? [] {
            let config = try ChannelRegistry.parse(file.text, file: file.path)
            try transaction.saveChannel(name: config.name, definition: file.text, at: time)
        }
    }
}
