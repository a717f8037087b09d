public import FundflowCore
public import FundflowStore

/// The use cases of Fundflow, one method per thing a user can do. Every mutating use case runs in
/// one database transaction, records itself in the audit log, and honours idempotency keys; the
/// shell (and any future server) is a thin front end over this type.
public final class Engine: Sendable {
    public let store: Store
    let clock: any TimeSource

    public init(store: Store, clock: any TimeSource) {
        self.store = store
        self.clock = clock
    }

    /// Opens (creating and seeding if new) the database at `path`. `operatorName` becomes the
    /// first admin of a new database: the local account that needs no PIN.
    public static func open(
        path: String, operatorName: String, clock: any TimeSource = SystemTimeSource()
    )
        throws -> Engine
    {
        let store = try Store(path: path) { transaction in
            try Seed.run(transaction, operatorName: operatorName, at: clock.now())
        }
        return Engine(store: store, clock: clock)
    }

    public func now() -> Timestamp { clock.now() }
}

/// What a new database holds before anyone uses it.
enum Seed {
    static func run(
        _ transaction: StoreTransaction, operatorName: String, at time: Timestamp
    ) throws {
        try UserName.validate(operatorName)
        try transaction.insertPerson(
            PersonRow(
                name: operatorName, role: .admin, pinHash: nil, isOperator: true, disabled: false,
                createdAt: time))
        try transaction.setMeta("seededAt", time.iso8601)
        try transaction.setMeta("clock", "system")
    }
}
