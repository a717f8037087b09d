/// How a channel's return codes are read, when it is asked about a flow, and (for the built-in
/// sandbox) how it behaves. Loaded from a file per channel under `channels/` (see
/// `channels/README.md` for the format).
public struct ChannelConfig: Equatable, Sendable {
    public let name: String
    public let kind: Kind
    /// Seconds after submission at which the flow's status is queried; after the last one the
    /// flow waits for reconciliation.
    public let querySchedule: [Int64]
    public let codes: [CodeRule]
    /// How long after the first attempt a withholding (direct-debit) order may be retried, and
    /// how many attempts it may take in all.
    public let retryWindowSeconds: Int64
    public let retryLimit: Int
    /// Present for the built-in sandbox channel: what it answers.
    public let sandbox: SandboxBehaviour?

    public enum Kind: String, Sendable, CaseIterable {
        /// A payment service provider collecting from payers (cards, wallets, direct debit).
        case psp
        /// The correspondent-bank network of the payout issues.
        case network
    }

    /// Whether a failure code may be retried (a withholding order tries again) or is final.
    public enum Retry: String, Sendable, CaseIterable {
        case retryable
        case final
    }

    /// One row of the return-code table: (code, sub-code) → outcome. A `nil` sub-code matches any
    /// sub-code the more specific rows do not.
    public struct CodeRule: Equatable, Sendable {
        public let code: String
        public let subCode: String?
        public let outcome: ChannelOutcome
        public let retry: Retry?
        /// What the code means, for people reading `channel show`.
        public let meaning: String?

        public init(
            code: String, subCode: String?, outcome: ChannelOutcome, retry: Retry?,
            meaning: String? = nil
        ) {
            self.code = code
            self.subCode = subCode
            self.outcome = outcome
            self.retry = retry
            self.meaning = meaning
        }
    }

    public static let defaultQuerySchedule: [Int64] = [1, 2, 5, 10, 20, 40, 100]

    public init(
        name: String, kind: Kind, querySchedule: [Int64] = defaultQuerySchedule, codes: [CodeRule],
        retryWindowSeconds: Int64 = 0, retryLimit: Int = 1, sandbox: SandboxBehaviour? = nil
    ) {
        self.name = name
        self.kind = kind
        self.querySchedule = querySchedule
        self.codes = codes
        self.retryWindowSeconds = retryWindowSeconds
        self.retryLimit = retryLimit
        self.sandbox = sandbox
    }

    /// What a returned code means. An exact (code, sub-code) row wins over a code-only row; a code
    /// the table does not know is `unknown`, never success or failure.
    public func interpret(
        code: String, subCode: String? = nil
    ) -> (outcome: ChannelOutcome, retry: Retry?) {
        if let subCode, let exact = codes.first(where: { $0.code == code && $0.subCode == subCode })
        {
            return (exact.outcome, exact.retry)
        }
        if let general = codes.first(where: { $0.code == code && $0.subCode == nil }) {
            return (general.outcome, general.retry)
        }
        return (.unknown, nil)
    }
}

/// What the sandbox channel answers, so every path can be exercised without a network. Codes are
/// looked up in the channel's own table like any real answer.
public struct SandboxBehaviour: Equatable, Sendable {
    /// A code with an optional sub-code, as a channel returns it.
    public struct Answer: Equatable, Sendable {
        public let code: String
        public let subCode: String?

        public init(_ code: String, _ subCode: String? = nil) {
            self.code = code
            self.subCode = subCode
        }
    }

    /// An answer pushed by the channel some seconds after submission.
    public struct Push: Equatable, Sendable {
        public let afterSeconds: Int64
        public let answer: Answer

        public init(afterSeconds: Int64, answer: Answer) {
            self.afterSeconds = afterSeconds
            self.answer = answer
        }
    }

    /// The synchronous answer to a submission; `nil` means the call times out (no answer).
    public let sync: Answer?
    /// Answers to successive queries; the last one repeats. Empty: queries are never answered.
    public let queries: [Answer]
    /// Query numbers (1-based) that time out instead of answering.
    public let timeouts: Set<Int>
    public let notification: Push?
    /// A notification that arrives late, e.g. after the order was closed.
    public let lateNotification: Push?
    /// The same for refunds sent through the channel.
    public let refundSync: Answer?
    public let refundQueries: [Answer]
    /// Seconds the synchronous answer to a submission takes to come back (0: at once).
    public let latencySeconds: Int64

    public init(
        sync: Answer?, queries: [Answer], timeouts: Set<Int> = [], notification: Push? = nil,
        lateNotification: Push? = nil, refundSync: Answer?, refundQueries: [Answer],
        latencySeconds: Int64 = 0
    ) {
        self.latencySeconds = latencySeconds
        self.sync = sync
        self.queries = queries
        self.timeouts = timeouts
        self.notification = notification
        self.lateNotification = lateNotification
        self.refundSync = refundSync
        self.refundQueries = refundQueries
    }

    /// The answer to query number `index` (1-based), or `nil` when it times out.
    public func query(_ index: Int, refund: Bool = false) -> Answer? {
        let answers = refund ? refundQueries : queries
        guard !timeouts.contains(index), let last = answers.last else { return nil }
        return index <= answers.count ? answers[index - 1] : last
    }
}
