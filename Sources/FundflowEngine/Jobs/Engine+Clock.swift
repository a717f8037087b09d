public import FundflowCore
import FundflowStore

/// What `clock show` says.
public struct ClockView: Equatable, Sendable, Codable, Replayable {
    public let mode: String
    public let now: String
    public let nextJobAt: String?
}

extension Engine {
    public func clockView(as actor: Actor) throws -> ClockView {
        try actor.require(.readLedger)
        return try store.read { transaction in
            ClockView(
                mode: simulated ? "simulated" : "system", now: try time(in: transaction).iso8601,
                nextJobAt: try transaction.nextDueAt()?.iso8601)
        }
    }

    /// `clock set TIME` / `clock advance DURATION`: moves a simulated clock forward to `target`,
    /// running whatever falls due on the way in time order, each job at its own due time.
    public func advanceClock(
        to target: Timestamp, _ context: CommandContext
    ) throws -> (ClockView, JobRun) {
        guard simulated else {
            throw EngineError.invalidArgument(
                "this database runs on the system clock; create one with --simulated to set its time"
            )
        }
        let start = try now()
        guard target >= start else {
            throw EngineError.invalidArgument(
                "the clock only moves forward: it is \(start.iso8601), \(target.iso8601) is earlier"
            )
        }
        var run = JobRun()
        for _ in 0..<Engine.maximumJobsPerRun {
            let next = try store.read { try $0.nextDueAt() }
            guard let next, next <= target else { break }
            if next > (try now()) { try setSimulatedTime(next, context) }
            let pass = try runDueJobs(worker: "clock")
            run.absorb(pass)
            if pass.jobs == 0 && pass.failures.isEmpty { break }
        }
        try setSimulatedTime(target, context)
        return (try clockView(as: context.actor), run)
    }

    private func setSimulatedTime(_ time: Timestamp, _ context: CommandContext) throws {
        _ = try mutate(context, needs: .manageLedger) { mutation in
            // Read and written in one transaction: two processes advancing at once never rewind it.
            if time > mutation.now {
                try mutation.transaction.setMeta(
                    "simulatedNow", String(time.millisecondsSinceEpoch))
            }
            return Ack()
        }
    }
}
