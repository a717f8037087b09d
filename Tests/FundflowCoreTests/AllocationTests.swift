import Testing

@testable import FundflowCore

/// Splits and cumulative refunds (DESIGN.md §2) beyond the golden tables: the worked example and
/// every refusal. A bad input is a typed error, never a trap.
@Suite("Allocation rules")
struct AllocationTests {
    @Test("Three refunds of 3333 over two sources of 5000 alternate the odd unit")
    func cumulativeRefundWorkedExample() throws {
        // Given two sources that paid 5000 each
        let paid: [Int64] = [5_000, 5_000]
        var refunded: [Int64] = [0, 0]
        var steps: [[Int64]] = []
        // When 3333 is refunded three times
        for _ in 0..<3 {
            let parts = try Allocation.cumulativeRefund(
                paid: paid, refunded: refunded, refund: 3_333)
            steps.append(parts)
            refunded = zip(refunded, parts).map { $0 + $1 }
        }
        // Then the odd unit alternates and the totals differ by one
        #expect(steps == [[1_667, 1_666], [1_666, 1_667], [1_667, 1_666]])
        #expect(refunded == [5_000, 4_999])
    }

    @Test("The last refund empties every source exactly")
    func finalRefundEmptiesEverySource() throws {
        let parts = try Allocation.cumulativeRefund(
            paid: [5_000, 5_000], refunded: [5_000, 4_999], refund: 1)
        #expect(parts == [0, 1])
    }

    static let splitRefusals: [(Int64, [Int64], MoneyError)] = [
        (-1, [1, 1], .invalidAllocation("the total -1 is negative")),
        (10, [1, -1], .invalidAllocation("a weight is negative")),
        (10, [0, 0], .invalidAllocation("every weight is zero")),
        (10, [], .invalidAllocation("every weight is zero")),
        (10, [Int64.max, 1], .overflow("the sum of the weights")),
    ]

    @Test("largestRemainder refuses what it cannot split", arguments: AllocationTests.splitRefusals)
    func largestRemainderRefuses(total: Int64, weights: [Int64], error: MoneyError) {
        #expect(throws: error) { try Allocation.largestRemainder(total: total, weights: weights) }
    }

    @Test("largestRemainder gives nothing to a zero weight and sums exactly at the Int64 limit")
    func largestRemainderEdges() throws {
        #expect(try Allocation.largestRemainder(total: 5, weights: [0, 1, 0, 1]) == [0, 3, 0, 2])
        let parts = try Allocation.largestRemainder(total: .max, weights: [1, 1, 1])
        #expect(
            parts == [
                3_074_457_345_618_258_603, 3_074_457_345_618_258_602, 3_074_457_345_618_258_602,
            ])
    }

    static let refundRefusals: [([Int64], [Int64], Int64, MoneyError)] = [
        ([], [], 1, .invalidAllocation("every source needs what it paid and what it got back")),
        (
            [100, 100], [0], 1,
            .invalidAllocation("every source needs what it paid and what it got back")
        ),
        ([100], [0], 0, .invalidAllocation("the refund must be positive")),
        ([100], [0], -5, .invalidAllocation("the refund must be positive")),
        ([100, 100], [101, 0], 1, .invalidAllocation("a source got back more than it paid")),
        (
            [100, 100], [60, 50], 91,
            .invalidAllocation("the refund 91 exceeds the 90 that can still be refunded")
        ),
        (
            [100, 100], [-1, 0], 1, .invalidAllocation("what a source paid or got back is negative")
        ),
        ([Int64.max], [-1], 1, .invalidAllocation("what a source paid or got back is negative")),
        ([Int64.max, Int64.max], [Int64.max, 0], 1, .overflow("the refunded amount")),
    ]

    @Test(
        "cumulativeRefund refuses bad inputs with a typed error",
        arguments: AllocationTests.refundRefusals)
    func cumulativeRefundRefuses(paid: [Int64], refunded: [Int64], refund: Int64, error: MoneyError)
    {
        #expect(throws: error) {
            try Allocation.cumulativeRefund(paid: paid, refunded: refunded, refund: refund)
        }
    }
}
