import FundflowCore
import FundflowEngine
import Testing

/// Every spending rule exactly at its limit and one fen over (DESIGN.md §6).
@Suite struct FamilyRuleBoundaryTests {
    func funded() throws -> FamilyBooks {
        let lee = try FamilyBooks()
        try lee.deposit("5000.00 CNY")
        return lee
    }

    @Test func thePerPaymentCapIsHardOneFenOver() throws {
        let lee = try funded()
        try lee.policy("hao", PolicyChange(perPayment: "100"))
        #expect(try lee.pay("100.00").status == "paid")
        #expect(throws: FamilyError.self) { try lee.pay("100.01", key: "over") }
        // A business refusal: recorded under its key, the same key gets the same refusal.
        #expect(throws: EngineError.self) { try lee.pay("100.01", key: "over") }
        #expect(try lee.pool() == "4900.00")
    }

    @Test func theDailyCapAsksForApprovalOneFenOver() throws {
        let lee = try funded()
        try lee.policy("hao", PolicyChange(daily: "100"))
        #expect(try lee.pay("60").status == "paid")
        #expect(try lee.pay("40", merchant: "clinic").status == "paid")
        let over = try lee.pay("0.01", merchant: "dentist")
        #expect(over.status == "request")
        #expect(over.request?.reasons.first?.contains("daily cap of 100.00 CNY") == true)
    }

    @Test func theMonthlyCapAsksForApprovalOneFenOver() throws {
        let lee = try funded()
        try lee.policy("hao", PolicyChange(monthly: "500"))
        #expect(try lee.pay("300").status == "paid")
        #expect(try lee.pay("200", merchant: "clinic").status == "paid")
        #expect(try lee.pay("0.01", merchant: "dentist").status == "request")
    }

    @Test func theDayRollsOverAtMidnightInTheFamilysTimeZone() throws {
        let lee = try funded()
        try lee.policy("hao", PolicyChange(daily: "100"))
        try lee.clock("2026-11-02T15:59:59Z")  // 23:59:59 in Shanghai
        #expect(try lee.pay("100").status == "paid")
        #expect(try lee.pay("0.01", merchant: "clinic").status == "request")
        try lee.clock("2026-11-02T16:00:00Z")  // 00:00:00 the next day in Shanghai
        #expect(try lee.pay("100", merchant: "dentist").status == "paid")
        #expect(try lee.pay("0.01", merchant: "optician").status == "request")
    }

    @Test func theMonthRollsOverAtMidnightInTheFamilysTimeZone() throws {
        let lee = try funded()
        try lee.policy("hao", PolicyChange(monthly: "100"))
        try lee.clock("2026-11-30T15:59:59Z")  // still November in Shanghai
        #expect(try lee.pay("100").status == "paid")
        #expect(try lee.pay("0.01", merchant: "clinic").status == "request")
        try lee.clock("2026-11-30T16:00:00Z")  // December in Shanghai, November in UTC
        #expect(try lee.pay("100", merchant: "dentist").status == "paid")
    }

    @Test func theApprovalThresholdIsStrictlyOver() throws {
        let lee = try funded()
        try lee.policy("hao", PolicyChange(approvalOver: "200"))
        #expect(try lee.pay("200.00").status == "paid")
        let over = try lee.pay("200.01", merchant: "clinic")
        #expect(over.status == "request" && over.request?.approvalsNeeded == 1)
    }

    @Test func aboveTheTwoApproverThresholdOneApproverIsNotEnough() throws {
        let lee = try funded()
        try lee.policy("hao", PolicyChange(approvalOver: "200", twoApproversOver: "1000"))
        let exactly = try lee.pay("1000.00")
        #expect(exactly.request?.approvalsNeeded == 1)
        let over = try lee.pay("1000.01", merchant: "clinic")
        let id = try #require(over.request?.id)
        #expect(over.request?.approvalsNeeded == 2)
        let first = try lee.approve(id, by: "wei")
        #expect(first.outcome == "pending")
        #expect(try lee.pool() == "5000.00", "one approval moves nothing")
        #expect(throws: FamilyError.alreadyApproved(id: id, user: "wei")) {
            try lee.approve(id, by: "wei")
        }
        // The owner counts toward the two approvers.
        let second = try lee.approve(id, by: "lan")
        #expect(second.outcome == "paid")
        #expect(second.request.approvals == ["wei", "lan"])
        #expect(try lee.pool() == "3999.99")
    }

    @Test func denyListsAllowListsAndFreezesAreHard() throws {
        let lee = try funded()
        try lee.policy("hao", PolicyChange(allow: "medical,education", deny: "gaming"))
        #expect(throws: FamilyError.self) { try lee.pay("1", category: "gaming") }
        #expect(throws: FamilyError.self) { try lee.pay("1", category: "toys") }
        #expect(try lee.pay("1", category: "Medical").status == "paid")
        _ = try lee.engine.setFamilyFreeze(
            id: "lee", member: "hao", frozen: true, lee.ctx("ying"))
        #expect(throws: FamilyError.spendRefused(member: "hao", reason: "spending is frozen")) {
            try lee.pay("0.01")
        }
        _ = try lee.engine.setFamilyFreeze(
            id: "lee", member: "hao", frozen: false, lee.ctx("ying"))
        #expect(try lee.pay("0.01").status == "paid")
    }

    @Test func aFreezeAfterTheRequestStopsItsApproval() throws {
        let lee = try funded()
        try lee.policy("hao", PolicyChange(approvalOver: "200"))
        let id = try #require(try lee.pay("300").request?.id)
        _ = try lee.engine.setFamilyFreeze(id: "lee", member: "hao", frozen: true, lee.ctx("lan"))
        #expect(throws: FamilyError.self) { try lee.approve(id, by: "wei") }
        #expect(try lee.requests().first?.status == "pending")
        #expect(try lee.pool() == "5000.00")
    }

    @Test func aMinorMayNotChooseTheFundingAnAdultMay() throws {
        let lee = try FamilyBooks(accepted: ["hao": "minor", "mia": "adult"])
        try lee.deposit("100")
        try lee.deposit("20", to: "hao")
        try lee.deposit("20", to: "mia")
        #expect(throws: FamilyError.overrideNotAllowed(member: "hao")) {
            try lee.pay("10", funding: "pool-first")
        }
        let mia = try lee.pay("10", by: "mia", funding: "pool-first")
        #expect(mia.own == "0.00 CNY" && mia.pool == "10.00 CNY")
        try lee.policy("hao", PolicyChange(override: "allowed"))
        let split = try lee.pay("10", funding: "own=3.50")
        #expect(split.own == "3.50 CNY" && split.pool == "6.50 CNY")
    }

    @Test func aCoPaymentIsAllLegsOrNoneAndNeverMoreThanTheBill() throws {
        let lee = try FamilyBooks(accepted: ["mia": "adult"])
        try lee.deposit("10")
        try lee.deposit("50", to: "mia")
        #expect(throws: EngineError.self) { try lee.pay("60", by: "mia", funding: "own=60.01") }
        #expect(throws: FamilyError.self) { try lee.pay("60.01", by: "mia") }
        #expect(try lee.wallet("mia") == "50.00" && lee.pool() == "10.00", "no leg moved")
        let paid = try lee.pay("60", by: "mia")
        #expect(paid.own == "50.00 CNY" && paid.pool == "10.00 CNY")
        #expect(try lee.booked("settlement:pending:pharmacy:CNY") == "60.00")
        #expect(try lee.problems() == [])
    }
}
