/// How one purchase is split between the member's own wallet and the family pool: a combination
/// payment of at most two legs that always sums to the bill, never more.
public struct CoPayment: Equatable, Sendable {
    public let own: Int64
    public let pool: Int64

    public init(own: Int64, pool: Int64) {
        self.own = own
        self.pool = pool
    }

    public enum Choice: Equatable, Sendable {
        case order(FundingOrder)
        /// A fixed part from the member's own wallet (`--split own=A`); the pool pays the rest.
        case ownPart(Int64)
        /// A fixed part from the pool (`--split pool=A`); the own wallet pays the rest.
        case poolPart(Int64)
    }

    public enum Problem: Error, Equatable, Sendable {
        /// A fixed part larger than the bill.
        case partOverBill(part: Int64, bill: Int64)
        /// The two sources together cannot pay: what each has available.
        case short(ownAvailable: Int64, poolAvailable: Int64, bill: Int64)
        /// A fixed part larger than what its source has.
        case sourceShort(source: String, available: Int64, needed: Int64)
    }

    /// Splits `bill` following `choice`. With a funding order the first source pays what it can
    /// and the second the rest; with a fixed part the other source pays the rest.
    public static func split(
        bill: Int64, choice: Choice, ownAvailable: Int64, poolAvailable: Int64
    ) -> Result<CoPayment, Problem> {
        let ownAvailable = max(ownAvailable, 0)
        let poolAvailable = max(poolAvailable, 0)
        let split: CoPayment
        switch choice {
        case .order(.ownFirst):
            let own = min(ownAvailable, bill)
            split = CoPayment(own: own, pool: bill - own)
        case .order(.poolFirst):
            let pool = min(poolAvailable, bill)
            split = CoPayment(own: bill - pool, pool: pool)
        case .ownPart(let part):
            guard part <= bill else { return .failure(.partOverBill(part: part, bill: bill)) }
            split = CoPayment(own: part, pool: bill - part)
        case .poolPart(let part):
            guard part <= bill else { return .failure(.partOverBill(part: part, bill: bill)) }
            split = CoPayment(own: bill - part, pool: part)
        }
        if split.own > ownAvailable || split.pool > poolAvailable {
            if case .order = choice {
                return .failure(
                    .short(ownAvailable: ownAvailable, poolAvailable: poolAvailable, bill: bill))
            }
            return split.own > ownAvailable
                ? .failure(.sourceShort(source: "own", available: ownAvailable, needed: split.own))
                : .failure(
                    .sourceShort(source: "pool", available: poolAvailable, needed: split.pool))
        }
        return .success(split)
    }
}
