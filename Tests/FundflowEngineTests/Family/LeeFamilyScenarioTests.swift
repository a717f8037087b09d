import FundflowCore
import FundflowEngine
import Testing

/// SCENARIOS.md, the Lee family, end to end with its exact numbers.
@Suite struct LeeFamilyScenarioTests {
    @Test func theLeeFamilysMonthAddsUpToTheFen() throws {
        let lee = try FamilyBooks()
        try lee.deposit("2000.00 CNY")
        try lee.policy(
            "hao",
            PolicyChange(
                monthly: "500", allow: "medical,education", approvalOver: "200",
                twoApproversOver: "1000"))
        let allowance = try lee.engine.setFamilyAllowance(
            id: "lee", member: "hao", amount: "50", every: "week", stop: false, lee.ctx("lan"))
        #expect(allowance.firstPaid)
        #expect(try lee.wallet("hao") == "50.00")

        // 3. 120 at the pharmacy: 50 from his own wallet first, 70 from the pool; Lan is told.
        let pharmacy = try lee.pay("120.00 CNY")
        #expect(pharmacy.status == "paid")
        #expect(pharmacy.own == "50.00 CNY" && pharmacy.pool == "70.00 CNY")
        let told = try lee.engine.familyNotifications(id: "lee", as: lee.actor("lan"))
        #expect(told.contains { $0.text.contains("hao paid 120.00 CNY at pharmacy") })

        // 4. 260 for a course becomes a request; Hao cannot approve it; Wei does.
        let course = try lee.pay("260", merchant: "academy", category: "education")
        #expect(course.status == "request")
        let request = try #require(course.request)
        #expect(throws: FamilyError.ownRequest(request.id)) {
            try lee.approve(request.id, by: "hao")
        }
        let approved = try lee.approve(request.id, by: "wei")
        #expect(approved.outcome == "paid")
        #expect(approved.request.status == "approved")

        // A request nobody answers expires after 24 hours as expired.
        let ignored = try lee.pay("210", merchant: "bookshop", category: "education")
        try lee.advance(seconds: 24 * 3600)
        let ignoredID = try #require(ignored.request?.id)
        #expect(try lee.requests().first { $0.id == ignoredID }?.status == "expired")

        // 5. The pharmacy refunds half: 25 to Hao's wallet, 35 to the pool.
        let walletBefore = try lee.wallet("hao")
        let poolBefore = try lee.pool()
        _ = try lee.engine.createRefund(
            RefundRequest(order: pharmacy.order, amount: "60.00 CNY", key: "r1"),
            lee.books.context())
        #expect(try walletBefore == "0.00" && lee.wallet("hao") == "25.00")
        #expect(try poolBefore == "1620.00" && lee.pool() == "1655.00")

        // 6. The report's totals are the ledger's: what the merchants were paid and gave back.
        let report = try lee.engine.familyReport(
            id: "lee", month: "2026-11", by: "member", as: lee.actor("lan"))
        #expect(report.total.gross == "380.00")
        #expect(report.total.refunded == "60.00")
        #expect(report.total.net == "320.00")
        #expect(report.lines.map(\.key) == ["hao"])
        let merchants = try lee.booked("settlement:pending:pharmacy:CNY")
        let academy = try lee.booked("settlement:pending:academy:CNY")
        #expect(merchants == "60.00" && academy == "260.00", "net 320 = 60 + 260 in the ledger")
        let byCategory = try lee.engine.familyReport(
            id: "lee", month: "2026-11", by: "category", as: lee.actor("wei"))
        #expect(byCategory.lines.map(\.key) == ["education", "medical"])
        #expect(byCategory.lines.map(\.net) == ["260.00", "60.00"])
        #expect(try lee.problems() == [])
    }
}
