/// A bank told to fail: it rejects every payout, or the share of payouts a seed picks. The pick is
/// a hash of (seed, UETR, bank), so the same seed fails the same payouts on every run and on every
/// machine, and a different seed picks others.
public struct BankFailure: Equatable, Sendable {
    public let bic: String
    public let reason: String
    /// Out of 10,000.
    public let shareBps: Int
    public let seed: Int64

    public init(bic: String, reason: String, shareBps: Int, seed: Int64) {
        self.bic = bic
        self.reason = reason
        self.shareBps = shareBps
        self.seed = seed
    }

    public func rejects(uetr: String) -> Bool {
        if shareBps >= 10_000 { return true }
        // FNV-1a over the text, then one SplitMix64 step to spread the low digits.
        var generator = SeededGenerator(seed: FNV1a.hash("\(seed)|\(uetr)|\(bic)"))
        return generator.next() % 10_000 < UInt64(max(0, shareBps))
    }

    /// The first bank of `path` whose failure rejects this payout.
    public static func rejection(
        on path: [String], uetr: String, failures: [BankFailure]
    ) -> PayoutJourney.Rejection? {
        for bank in path {
            if let failure = failures.first(where: { $0.bic == bank }), failure.rejects(uetr: uetr)
            {
                return PayoutJourney.Rejection(bank: bank, reason: failure.reason)
            }
        }
        return nil
    }
}
