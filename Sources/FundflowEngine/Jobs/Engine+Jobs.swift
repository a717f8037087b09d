import FundflowCore
import FundflowStore

/// What a pass of the job queue did.
public struct JobRun: Equatable, Sendable {
    public var jobs: Int = 0
    public var failures: [String] = []
    public var notices: [String] = []

    public init() {}

    public mutating func absorb(_ other: JobRun) {
        jobs += other.jobs
        failures += other.failures
        notices += other.notices
    }
}

extension Engine {
    /// How long a leased job belongs to its worker before another may take it over.
    static let leaseMilliseconds: Int64 = 60_000
    /// Bounds every run: a queue that keeps refilling itself cannot spin forever.
    public static let maximumJobsPerRun = 100_000

    /// Runs every job due now, each in its own transaction, until none is due (or `limit`).
    public func runDueJobs(worker: String, limit: Int = maximumJobsPerRun) throws -> JobRun {
        var report = JobRun()
        var skipped: Set<Int64> = []
        while report.jobs + report.failures.count < limit {
            let leased = try store.write { transaction -> [JobRow] in
                let now = try time(in: transaction)
                return try transaction.leaseDueJobs(
                    at: now, by: worker,
                    leaseUntil: now.adding(milliseconds: Engine.leaseMilliseconds), limit: 100)
            }.filter { !skipped.contains($0.id) }
            guard !leased.isEmpty else { break }
            for job in leased {
                do {
                    if let notices = try run(job, worker: worker) {
                        report.jobs += 1
                        report.notices += notices
                    }
                } catch let error as StoreError where error.isTransient {
                    // The database itself failed (busy, full): leave the lease to run out and retry.
                    skipped.insert(job.id)
                    report.failures.append(
                        "job \(job.id) (\(job.kind.rawValue) \(job.subject)): \(error)")
                } catch {
                    // The work was refused: retrying would not change that, so the job fails, visibly.
                    skipped.insert(job.id)
                    let message =
                        "job \(job.id) (\(job.kind.rawValue) \(job.subject)) failed: \(error)"
                    report.failures.append(message)
                    try store.write { transaction in
                        let scope = try makeScope(transaction)
                        try transaction.failJob(id: job.id, reason: "\(error)", at: scope.now)
                        _ = try scope.appendAudit(
                            CommandContext(
                                actor: .system,
                                commandText:
                                    "job \(job.id) \(job.kind.rawValue) \(job.subject)#\(job.seq)"),
                            outcome: "failed: \(error)", marked: false, reason: nil)
                        _ = try transaction.insertNotice(order: nil, text: message, at: scope.now)
                    }
                }
            }
        }
        report.absorb(try runDuePayouts(limit: max(0, limit - report.jobs - report.failures.count)))
        return report
    }

    /// Runs one leased job: its effect and its completion commit together, so a job either
    /// happened once or not at all. `nil` when another worker already finished it; otherwise
    /// the notices it wrote.
    private func run(_ job: JobRow, worker: String) throws -> [String]? {
        try store.write { transaction in
            guard let current = try transaction.job(id: job.id), current.status == "leased",
                current.leasedBy == worker
            else {
                return nil
            }
            let scope = try makeScope(transaction)
            scope.runningJob = job.id
            try expireDueHolds(scope)
            let context = CommandContext(
                actor: .system,
                commandText: "job \(job.id) \(job.kind.rawValue) \(job.subject)#\(job.seq)")
            let audit = try scope.appendAudit(context, outcome: "ok", marked: false, reason: nil)
            let mutation = Mutation(scope: scope, context: context, audit: audit)
            try perform(job, in: mutation)
            guard try transaction.completeJob(id: job.id, at: scope.now) else {
                preconditionFailure("job \(job.id) lost its lease inside its own transaction")
            }
            try scope.flush()
            return scope.notices
        }
    }

    private func perform(_ job: JobRow, in mutation: Mutation) throws {
        switch job.kind {
        case .submit: try submitFlow(job, in: mutation)
        case .query: try queryFlow(job, in: mutation)
        case .notify: try pushNotification(job, in: mutation)
        case .refundSubmit: try submitRefundPart(job, in: mutation)
        case .refundQuery: try queryRefundPart(job, in: mutation)
        case .reminder: try remind(job, in: mutation)
        case .expire: try expire(job, in: mutation)
        case .retry: try retryFlow(job, in: mutation)
        case .allowance: try runAllowance(job, in: mutation)
        case .requestExpire: try expireFamilyRequest(job, in: mutation)
        }
    }

    // MARK: Flows through a channel

    private func submitFlow(_ job: JobRow, in mutation: Mutation) throws {
        guard let flow = try mutation.transaction.flow(id: job.subject), let name = flow.channel,
            flow.submittedAt == nil
        else { return }
        // An order given up before its flow was sent: nothing goes to the channel.
        if let order = try mutation.transaction.order(id: flow.order), order.paymentState.isTerminal
        {
            try failUnsent(
                flow, why: "not sent: the order is \(order.paymentState.rawValue)", in: mutation)
            return
        }
        let config = try ChannelRegistry.channel(name, in: mutation.transaction)
        let answer = config.sandbox.map { $0.sync } ?? nil
        let outcome = try record(
            job, config, kind: "submit", reference: flow.reference, answer: answer, in: mutation)
        try mutation.transaction.updateFlow(
            id: flow.id, status: flow.status, submittedAt: mutation.now)
        let latency = config.sandbox?.latencySeconds ?? 0
        if latency > 0 {
            // The answer comes back later: it is delivered by a job of its own (notify #0).
            try mutation.transaction.scheduleJob(
                .notify, subject: flow.id, seq: 0,
                dueAt: mutation.now.adding(milliseconds: latency * 1000),
                at: mutation.now)
        } else {
            try report(
                .syncResponse(outcome), to: flow, key: "sync:\(flow.reference)", answer: answer,
                source: "sync", in: mutation)
        }
        // Queries follow the channel's schedule from the moment of sending, unless the flow settled.
        guard let current = try mutation.transaction.flow(id: flow.id),
            !current.status.state.isTerminal
        else { return }
        for (index, seconds) in config.querySchedule.enumerated() {
            try mutation.transaction.scheduleJob(
                .query, subject: flow.id, seq: index + 1,
                dueAt: mutation.now.adding(milliseconds: seconds * 1000),
                at: mutation.now)
        }
        if let push = config.sandbox?.notification {
            try mutation.transaction.scheduleJob(
                .notify, subject: flow.id, seq: 1,
                dueAt: mutation.now.adding(milliseconds: push.afterSeconds * 1000),
                at: mutation.now)
        }
        if let late = config.sandbox?.lateNotification {
            try mutation.transaction.scheduleJob(
                .notify, subject: flow.id, seq: 2,
                dueAt: mutation.now.adding(milliseconds: late.afterSeconds * 1000),
                at: mutation.now)
        }
    }

    private func queryFlow(_ job: JobRow, in mutation: Mutation) throws {
        guard let flow = try mutation.transaction.flow(id: job.subject), let name = flow.channel,
            !flow.status.state.isTerminal
        else { return }
        let config = try ChannelRegistry.channel(name, in: mutation.transaction)
        let answer = config.sandbox?.query(job.seq)
        let outcome = try record(
            job, config, kind: "query", reference: flow.reference, answer: answer, in: mutation)
        try report(
            .queryResult(outcome), to: flow, key: "query:\(flow.reference):job-\(job.seq)",
            answer: answer, source: "query \(job.seq)",
            in: mutation)
        if job.seq == config.querySchedule.count,
            let current = try mutation.transaction.flow(id: flow.id),
            !current.status.state.isTerminal
        {
            let waiting = current.status.queriesExhausted()
            try mutation.transaction.updateFlow(id: flow.id, status: waiting)
            try recordEvent(
                mutation, order: flow.order, object: "flow \(flow.id)",
                from: current.status.state.rawValue,
                to: waiting.state.rawValue,
                detail: "no answer after \(config.querySchedule.count) queries")
            try notify(
                mutation, order: flow.order,
                "flow \(flow.id) of order \(flow.order) waits for reconciliation")
        }
    }

    private func pushNotification(_ job: JobRow, in mutation: Mutation) throws {
        guard let flow = try mutation.transaction.flow(id: job.subject), let name = flow.channel
        else { return }
        let config = try ChannelRegistry.channel(name, in: mutation.transaction)
        if job.seq == 0 {
            // The synchronous answer of a channel with latency, arriving now.
            let answer = config.sandbox?.sync
            let outcome =
                answer.map { config.interpret(code: $0.code, subCode: $0.subCode).outcome }
                ?? .unknown
            try report(
                .syncResponse(outcome), to: flow, key: "sync:\(flow.reference)", answer: answer,
                source: "sync",
                in: mutation)
            return
        }
        guard
            let push = job.seq == 1
                ? config.sandbox?.notification : config.sandbox?.lateNotification
        else { return }
        let outcome = config.interpret(code: push.answer.code, subCode: push.answer.subCode).outcome
        try report(
            .notification(outcome), to: flow, key: "notification:\(flow.reference):job-\(job.seq)",
            answer: push.answer,
            source: job.seq == 1 ? "notification" : "late notification", in: mutation)
    }

    /// Records what the channel was sent and answered (once per job) and reads the answer.
    private func record(
        _ job: JobRow, _ config: ChannelConfig, kind: String, reference: String,
        answer: SandboxBehaviour.Answer?,
        in mutation: Mutation
    ) throws -> ChannelOutcome {
        let outcome =
            answer.map { config.interpret(code: $0.code, subCode: $0.subCode).outcome } ?? .unknown
        _ = try mutation.transaction.recordChannelRequest(
            job: job.id, channel: config.name, kind: kind, reference: reference,
            sentAt: mutation.now,
            code: answer?.code, subCode: answer?.subCode, outcome: outcome)
        return outcome
    }

    /// Applies one report to a flow unless a report with the same key was already applied.
    func report(
        _ report: FlowReport, to flow: FlowRow, key: String, answer: SandboxBehaviour.Answer?,
        source: String,
        in mutation: Mutation
    ) throws {
        guard
            try mutation.transaction.recordChannelReport(
                key: key, reference: flow.reference, source: FlowReportSource(report).rawValue,
                code: answer?.code,
                subCode: answer?.subCode, outcome: report.outcome, at: mutation.now)
        else {
            try requireSameReport(key: key, answer: answer, in: mutation.transaction)
            return
        }
        guard let current = try mutation.transaction.flow(id: flow.id) else { return }
        try advanceFlow(
            current, by: report, code: answer?.code, subCode: answer?.subCode, source: source,
            in: mutation)
    }

    /// A report delivered again must be the same report: the same id with another code is refused
    /// rather than silently dropped.
    private func requireSameReport(
        key: String, answer: SandboxBehaviour.Answer?, in transaction: StoreTransaction
    )
        throws
    {
        guard let existing = try transaction.channelReport(key: key) else { return }
        if existing.code != answer?.code || existing.subCode != answer?.subCode {
            throw EngineError.invalidArgument(
                "report \(key) was already delivered with code \(existing.code ?? "none")\(existing.subCode.map { "/\($0)" } ?? ""); this one says \(answer?.code ?? "none")"
            )
        }
    }

    // MARK: Refund parts through a channel

    private func submitRefundPart(_ job: JobRow, in mutation: Mutation) throws {
        guard let part = try mutation.transaction.refundPart(id: job.subject),
            part.submittedAt == nil,
            let flow = try mutation.transaction.flow(id: part.flow), let name = flow.channel
        else { return }
        let config = try ChannelRegistry.channel(name, in: mutation.transaction)
        let answer = config.sandbox.map { $0.refundSync } ?? nil
        let outcome = try record(
            job, config, kind: "refund", reference: part.reference, answer: answer, in: mutation)
        try mutation.transaction.updateRefundPart(
            id: part.id, status: part.status, submittedAt: mutation.now)
        try reportRefund(
            .syncResponse(outcome), to: part, key: "sync:\(part.reference)", answer: answer,
            source: "sync", in: mutation)
        guard let current = try mutation.transaction.refundPart(id: part.id),
            !current.status.state.isTerminal
        else { return }
        for (index, seconds) in config.querySchedule.enumerated() {
            try mutation.transaction.scheduleJob(
                .refundQuery, subject: part.id, seq: index + 1,
                dueAt: mutation.now.adding(milliseconds: seconds * 1000),
                at: mutation.now)
        }
    }

    private func queryRefundPart(_ job: JobRow, in mutation: Mutation) throws {
        guard let part = try mutation.transaction.refundPart(id: job.subject),
            !part.status.state.isTerminal,
            let flow = try mutation.transaction.flow(id: part.flow), let name = flow.channel
        else { return }
        let config = try ChannelRegistry.channel(name, in: mutation.transaction)
        let answer = config.sandbox?.query(job.seq, refund: true)
        let outcome = try record(
            job, config, kind: "refund query", reference: part.reference, answer: answer,
            in: mutation)
        try reportRefund(
            .queryResult(outcome), to: part, key: "query:\(part.reference):job-\(job.seq)",
            answer: answer, source: "query \(job.seq)",
            in: mutation)
        if job.seq == config.querySchedule.count,
            let current = try mutation.transaction.refundPart(id: part.id),
            !current.status.state.isTerminal
        {
            try mutation.transaction.updateRefundPart(
                id: part.id, status: current.status.queriesExhausted())
        }
    }

    func reportRefund(
        _ report: FlowReport, to part: RefundPartRow, key: String, answer: SandboxBehaviour.Answer?,
        source: String,
        in mutation: Mutation
    ) throws {
        guard
            try mutation.transaction.recordChannelReport(
                key: key, reference: part.reference, source: FlowReportSource(report).rawValue,
                code: answer?.code,
                subCode: answer?.subCode, outcome: report.outcome, at: mutation.now)
        else {
            try requireSameReport(key: key, answer: answer, in: mutation.transaction)
            return
        }
        guard let current = try mutation.transaction.refundPart(id: part.id) else { return }
        try advanceRefundPart(current, by: report, code: answer?.code, source: source, in: mutation)
    }

    // MARK: Orders over time

    private func remind(_ job: JobRow, in mutation: Mutation) throws {
        guard let order = try mutation.transaction.order(id: job.subject),
            !order.paymentState.isTerminal
        else { return }
        try notify(
            mutation, order: order.id,
            "reminder: order \(order.id) (\(order.amount) to \(order.payee)) expires at \(order.expiresAt.iso8601) unless it is paid"
        )
        try recordEvent(
            mutation, order: order.id, object: "payment order \(order.id)",
            from: order.paymentState.rawValue, to: order.paymentState.rawValue,
            detail: "reminder sent")
    }

    private func expire(_ job: JobRow, in mutation: Mutation) throws {
        guard let order = try mutation.transaction.order(id: job.subject),
            !order.paymentState.isTerminal
        else { return }
        try transitionOrder(order.id, .expire, in: mutation)
        try notify(mutation, order: order.id, "order \(order.id) expired unpaid")
    }

    private func retryFlow(_ job: JobRow, in mutation: Mutation) throws {
        guard let failed = try mutation.transaction.flow(id: job.subject),
            let order = try mutation.transaction.order(id: failed.order),
            order.paymentState == .paying
        else { return }
        let count = try mutation.transaction.flows(order: order.id).count
        let flow = try mutation.transaction.insertFlow(
            order: order.id, source: failed.source, channel: failed.channel,
            amountMinor: failed.amountMinor,
            reference: "o\(order.id)f\(count + 1)", attempt: job.seq, at: mutation.now)
        try recordEvent(
            mutation, order: order.id, object: "flow \(flow.id)", from: nil, to: "accepted",
            detail: "attempt \(job.seq), retrying flow \(failed.id)")
        try mutation.transaction.scheduleJob(
            .submit, subject: flow.id, seq: 0, dueAt: mutation.now, at: mutation.now)
    }
}

/// Where a report came from, as stored.
enum FlowReportSource: String {
    case sync
    case notification
    case query
    case reconciliation

    init(_ report: FlowReport) {
        switch report {
        case .syncResponse: self = .sync
        case .notification: self = .notification
        case .queryResult: self = .query
        case .reconciliationLine: self = .reconciliation
        }
    }
}
