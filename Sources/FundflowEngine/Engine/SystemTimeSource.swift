public import FundflowCore

#if canImport(Glibc)
    import Glibc
#endif

/// The machine's wall clock, in milliseconds.
public struct SystemTimeSource: TimeSource {
    public init() {}

    public func now() -> Timestamp {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Timestamp(
            millisecondsSinceEpoch: Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000)
    }
}

/// A clock that moves only when told: for tests.
public final class ManualTimeSource: TimeSource, @unchecked Sendable {
    private var current: Timestamp
    private let lock = NSLockLike()

    public init(_ start: Timestamp) { current = start }

    public func now() -> Timestamp { lock.withLock { current } }

    public func advance(milliseconds: Int64) {
        lock.withLock { current = current.adding(milliseconds: milliseconds) }
    }

    public func set(_ time: Timestamp) { lock.withLock { current = time } }
}

/// A tiny mutex over pthread, so this target needs no Foundation lock type.
final class NSLockLike: @unchecked Sendable {
    private var mutex = pthread_mutex_t()

    init() { pthread_mutex_init(&mutex, nil) }

    deinit { pthread_mutex_destroy(&mutex) }

    func withLock<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return try body()
    }
}
