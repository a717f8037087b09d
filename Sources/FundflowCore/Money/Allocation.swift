/// Splitting one amount over several parties so the parts always sum exactly (DESIGN.md §2).
public enum Allocation {
    /// Largest-remainder split of `total` in proportion to `weights`: each party gets the floor of
    /// its exact share, and the minor units left over go to the largest remainders, ties to the
    /// earlier party. The parts sum to `total` exactly.
    public static func largestRemainder(
        total: Int64, weights: [Int64]
    ) throws(MoneyError) -> [Int64] {
        guard total >= 0 else { throw .invalidAllocation("the total \(total) is negative") }
        guard weights.allSatisfy({ $0 >= 0 }) else {
            throw .invalidAllocation("a weight is negative")
        }
        let weightSum = try Int64.checkedSum(weights, what: "the sum of the weights")
        guard weightSum > 0 else { throw .invalidAllocation("every weight is zero") }
        var parts: [Int64] = []
        var remainders: [(index: Int, remainder: Int128)] = []
        for (index, weight) in weights.enumerated() {
            let exact = Int128(total) * Int128(weight)
            parts.append(Int64(exact / Int128(weightSum)))
            remainders.append((index, exact % Int128(weightSum)))
        }
        var leftover = total - parts.reduce(0, +)
        let order = remainders.sorted {
            $0.remainder != $1.remainder ? $0.remainder > $1.remainder : $0.index < $1.index
        }
        for entry in order where leftover > 0 {
            parts[entry.index] += 1
            leftover -= 1
        }
        precondition(leftover == 0, "largest remainder left \(leftover) undistributed")
        return parts
    }

    /// Allocates one more refund over the sources of a payment **cumulatively**: the running total
    /// (already refunded + this refund) is split over what each source paid, and each source gets the
    /// difference from what it already got back, never more than it can still get back.
    ///
    /// - Parameters:
    ///   - paid: what each source paid, in minor units.
    ///   - refunded: what each source already got back (refunds and reversals), same order.
    ///   - refund: the new refund.
    /// - Returns: this refund's part per source; the parts sum to `refund`.
    public static func cumulativeRefund(
        paid: [Int64], refunded: [Int64], refund: Int64
    )
        throws(MoneyError) -> [Int64]
    {
        guard paid.count == refunded.count, !paid.isEmpty else {
            throw .invalidAllocation("every source needs what it paid and what it got back")
        }
        guard refund > 0 else { throw .invalidAllocation("the refund must be positive") }
        guard paid.allSatisfy({ $0 >= 0 }), refunded.allSatisfy({ $0 >= 0 }) else {
            throw .invalidAllocation("what a source paid or got back is negative")
        }
        let capacity = zip(paid, refunded).map { $0 - $1 }
        guard capacity.allSatisfy({ $0 >= 0 }) else {
            throw .invalidAllocation("a source got back more than it paid")
        }
        let remaining = try Int64.checkedSum(capacity, what: "the refundable amount")
        guard refund <= remaining else {
            throw .invalidAllocation(
                "the refund \(refund) exceeds the \(remaining) that can still be refunded")
        }
        let alreadyTotal = try Int64.checkedSum(refunded, what: "the refunded amount")
        let runningTotal = try Int64.checkedSum(
            [alreadyTotal, refund], what: "the refunded amount")
        let target = try largestRemainder(total: runningTotal, weights: paid)
        var parts = zip(target, refunded).enumerated().map { index, pair in
            Swift.min(Swift.max(pair.0 - pair.1, 0), capacity[index])
        }
        // Clamping can leave the parts off the refund; settle the difference in a fixed order:
        // add to sources furthest below their target first, take from those furthest above it.
        var difference = refund - parts.reduce(0, +)
        let byShortfall = parts.indices.sorted { a, b in
            let sa = target[a] - refunded[a] - parts[a]
            let sb = target[b] - refunded[b] - parts[b]
            return sa != sb ? sa > sb : a < b
        }
        if difference > 0 {
            for index in byShortfall where difference > 0 {
                let give = Swift.min(capacity[index] - parts[index], difference)
                parts[index] += give
                difference -= give
            }
        } else {
            for index in byShortfall.reversed() where difference < 0 {
                let take = Swift.min(parts[index], -difference)
                parts[index] -= take
                difference += take
            }
        }
        precondition(difference == 0, "cumulative refund left \(difference) unallocated")
        return parts
    }
}
