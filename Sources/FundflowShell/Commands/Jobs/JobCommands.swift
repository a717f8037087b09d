import ArgumentParser
import Foundation
import FundflowCore
import FundflowEngine

struct RunCommand: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the jobs that are due now (channel submissions, queries, expiries, retries)."
    )
    static let examples = ["run", "run --until-idle"]

    @Flag(help: "Keep going until no job is due (jobs may schedule more for now).")
    var untilIdle = false

    @OptionGroup var common: CommonOptions

    func execute(in session: Session, commandText: String) throws -> Output {
        let (engine, _) = try session.engine()
        let run = try engine.runDueJobs(
            worker: "run-\(ProcessIdentity.current)",
            limit: untilIdle ? Engine.maximumJobsPerRun : 100)
        return JobRendering.output(run, now: try engine.now())
    }
}

struct WorkerCommand: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Run due jobs until stopped (Ctrl-C), checking every interval.")
    static let examples = ["worker", "worker --interval 500ms --for 60s"]

    @Option(help: "How often to look for due jobs (e.g. 1s, 500ms).")
    var interval: String = "1s"

    @Option(help: "Stop after this long (default: run until stopped).")
    var `for`: String?

    @OptionGroup var common: CommonOptions

    func execute(in session: Session, commandText: String) throws -> Output {
        let pause = try milliseconds(interval)
        let limit = try self.for.map { try Duration.seconds(parsing: $0) * 1000 }
        let (engine, _) = try session.engine()
        let clock = ContinuousClock()
        let start = clock.now
        var total = JobRun()
        let worker = "worker-\(ProcessIdentity.current)"
        while true {
            let run = try engine.runDueJobs(worker: worker)
            total.absorb(run)
            for notice in run.notices {
                FileHandle.standardError.write(Data("notice: \(notice)\n".utf8))
            }
            for failure in run.failures {
                FileHandle.standardError.write(Data("failed: \(failure)\n".utf8))
            }
            let elapsed = clock.now - start
            if let limit,
                elapsed.components.seconds * 1000 + elapsed.components.attoseconds
                    / 1_000_000_000_000_000 >= limit
            {
                break
            }
            Thread.sleep(forTimeInterval: Double(pause) / 1000)
        }
        // Notices and failures were printed as they happened.
        total.notices = []
        return JobRendering.output(total, now: try engine.now())
    }

    private func milliseconds(_ text: String) throws -> Int64 {
        if text.hasSuffix("ms"), let value = Int64(text.dropLast(2)), value > 0 { return value }
        return try Duration.seconds(parsing: text) * 1000
    }
}

struct ClockCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clock",
        abstract: "The database's clock; a --simulated database moves only when told.",
        subcommands: [ClockShow.self, ClockSet.self, ClockAdvance.self])
}

struct ClockShow: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "The time and the next due job.")
    static let examples = ["clock show"]

    @OptionGroup var common: CommonOptions

    func execute(in session: Session, commandText: String) throws -> Output {
        let (engine, actor) = try session.engine()
        return JobRendering.clock(try engine.clockView(as: actor), run: nil)
    }
}

struct ClockSet: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "set",
        abstract: "Move a simulated clock forward to TIME, running what falls due in time order.")
    static let examples = ["clock set 2026-12-01T09:00:00Z"]

    @Argument(help: "UTC time, e.g. 2026-12-01T09:00:00Z or 2026-12-01.")
    var time: String

    @OptionGroup var common: CommonOptions

    func execute(in session: Session, commandText: String) throws -> Output {
        guard let target = Timestamp(iso8601: time) else {
            throw ShellError.usage(
                "'\(time)' is not a time: expected 2026-12-01T09:00:00Z or 2026-12-01")
        }
        let (engine, context) = try session.context(commandText)
        let (view, run) = try engine.advanceClock(to: target, context)
        return JobRendering.clock(view, run: run)
    }
}

struct ClockAdvance: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "advance",
        abstract:
            "Move a simulated clock forward by DURATION, running what falls due in time order.")
    static let examples = ["clock advance 100s", "clock advance 2h"]

    @Argument(help: "A duration: 90s, 15m, 2h, 3d.")
    var duration: String

    @OptionGroup var common: CommonOptions

    func execute(in session: Session, commandText: String) throws -> Output {
        let seconds = try Duration.seconds(parsing: duration)
        let (engine, context) = try session.context(commandText)
        let (view, run) = try engine.advanceClock(
            to: try engine.now().adding(milliseconds: seconds * 1000), context)
        return JobRendering.clock(view, run: run)
    }
}

enum JobRendering {
    static func output(_ run: JobRun, now: Timestamp) -> Output {
        var text = "ran \(run.jobs) job\(run.jobs == 1 ? "" : "s") at \(now.iso8601)\n"
        for failure in run.failures { text += "failed: \(failure)\n" }
        return Output(
            text: text,
            json: .object([
                ("jobs", .number(Int64(run.jobs))),
                ("failures", .array(run.failures.map(JSON.string))),
                ("notices", .array(run.notices.map(JSON.string))), ("now", .string(now.iso8601)),
            ]),
            notices: run.notices)
    }

    static func clock(_ view: ClockView, run: JobRun?) -> Output {
        var text = "\(view.mode) clock: \(view.now)\n"
        if let next = view.nextJobAt { text += "next job due at \(next)\n" }
        if let run { text += "ran \(run.jobs) job\(run.jobs == 1 ? "" : "s") on the way\n" }
        return Output(
            text: text,
            json: .object([
                ("mode", .string(view.mode)), ("now", .string(view.now)),
                ("nextJobAt", .optional(view.nextJobAt)),
                ("jobs", .number(Int64(run?.jobs ?? 0))),
            ]),
            notices: (run?.notices ?? []) + (run?.failures.map { "failed: \($0)" } ?? []))
    }
}
