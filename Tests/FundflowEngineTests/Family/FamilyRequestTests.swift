import FundflowCore
import FundflowEngine
import Testing

/// Requests: who may answer them, when they expire, and that asking twice is asking once.
@Suite struct FamilyRequestTests {
    func asking() throws -> FamilyBooks {
        let lee = try FamilyBooks(
            accepted: ["wei": "guardian", "ying": "guardian", "hao": "minor", "vic": "viewer"])
        try lee.deposit("1000.00 CNY")
        try lee.policy("hao", PolicyChange(approvalOver: "100"))
        return lee
    }

    @Test func aRequestIsAnsweredUpToOneSecondBeforeTwentyFourHours() throws {
        let lee = try asking()
        let id = try #require(try lee.pay("150").request?.id)
        try lee.advance(seconds: 24 * 3600 - 1)
        #expect(try lee.requests().first?.status == "pending")
        #expect(try lee.approve(id, by: "wei").outcome == "paid")
        #expect(try lee.pool() == "850.00")
    }

    @Test func aRequestExpiresAsExpiredOneSecondAfterTwentyFourHours() throws {
        let lee = try asking()
        let request = try #require(try lee.pay("150").request)
        try lee.advance(seconds: 24 * 3600 + 1)
        #expect(try lee.requests().first?.status == "expired")
        #expect(throws: FamilyError.requestNotPending(id: request.id, status: "expired")) {
            try lee.approve(request.id, by: "wei")
        }
        #expect(try lee.engine.order(id: request.order, as: lee.books.admin).status == "closed")
        let told = try lee.engine.familyNotifications(id: "lee", as: lee.actor("hao"))
        #expect(told.contains { $0.text.contains("expired") })
    }

    @Test func aRequestExpiresWithItsOrderWhenThatComesFirst() throws {
        let lee = try asking()
        let request = try #require(try lee.pay("150", expires: 3600).request)
        let created = try #require(Timestamp(iso8601: "2026-11-02T09:00:00Z"))
        #expect(request.expiresAt == created.adding(milliseconds: 3_600_000).iso8601)
        try lee.advance(seconds: 3600)
        #expect(throws: FamilyError.self) { try lee.approve(request.id, by: "wei") }
        #expect(try lee.requests().first?.status == "expired")
    }

    @Test func nobodyApprovesTheirOwnRequest() throws {
        let lee = try asking()
        try lee.policy("wei", PolicyChange(approvalOver: "100"))
        let id = try #require(try lee.pay("150", by: "wei").request?.id)
        #expect(throws: FamilyError.ownRequest(id)) { try lee.approve(id, by: "wei") }
        #expect(try lee.approve(id, by: "ying").outcome == "paid")
    }

    @Test func minorsAndViewersCannotApprove() throws {
        let lee = try asking()
        let id = try #require(try lee.pay("150").request?.id)
        for user in ["vic"] {
            #expect(throws: FamilyError.self) { try lee.approve(id, by: user) }
        }
        _ = try lee.engine.inviteToFamily(id: "lee", user: "mia", role: "minor", lee.ctx("lan"))
        _ = try lee.engine.acceptFamily(id: "lee", lee.ctx("mia"))
        #expect(
            throws: FamilyError.roleNotAllowed(
                user: "mia", role: "minor", family: "lee", action: "approve requests")
        ) { try lee.approve(id, by: "mia") }
        #expect(try lee.pool() == "1000.00")
    }

    @Test func theSameRequestRepeatedWhilePendingJoinsIt() throws {
        let lee = try asking()
        let first = try lee.pay("150")
        let again = try lee.pay("150")
        #expect(again.joined && again.request?.id == first.request?.id)
        #expect(try lee.requests().count == 1)
        let other = try lee.pay("150", merchant: "clinic")
        #expect(!other.joined && other.request?.id != first.request?.id)
    }

    @Test func limitsAndBalancesAreCheckedAgainAtApproval() throws {
        let lee = try asking()
        let id = try #require(try lee.pay("150").request?.id)
        // The pool is spent meanwhile: the approval is refused and the request stays pending.
        _ = try lee.engine.setFamilyPolicy(
            id: "lee", member: "hao", change: PolicyChange(approvalOver: "none"), lee.ctx("lan"))
        #expect(try lee.pay("900", merchant: "clinic").status == "paid")
        #expect(throws: FamilyError.self) { try lee.approve(id, by: "wei") }
        #expect(try lee.requests().first { $0.id == id }?.status == "pending")
        try lee.deposit("50")
        #expect(try lee.approve(id, by: "wei").outcome == "paid")
        #expect(try lee.pool() == "0.00")
    }

    @Test func aRequestPastANewTwoApproverThresholdNeedsTheSecondApprover() throws {
        let lee = try asking()
        let id = try #require(try lee.pay("600").request?.id)
        try lee.policy("hao", PolicyChange(twoApproversOver: "500"))
        #expect(try lee.approve(id, by: "wei").outcome == "pending")
        #expect(try lee.approve(id, by: "ying").outcome == "paid")
    }

    @Test func aPolicyWhoseQuorumTheFamilyCannotMeetIsRefused() throws {
        let lee = try FamilyBooks(accepted: ["hao": "minor"])
        #expect(
            throws: FamilyError.quorumUnmet(member: "hao", needed: 2, available: ["lan"])
        ) { try lee.policy("hao", PolicyChange(twoApproversOver: "1000")) }
        try lee.policy("hao", PolicyChange(approvalOver: "100"))
        #expect(throws: FamilyError.self) {
            try lee.policy("lan", PolicyChange(daily: "100"))
        }
        _ = try lee.engine.inviteToFamily(id: "lee", user: "wei", role: "guardian", lee.ctx("lan"))
        #expect(throws: FamilyError.self, "an invited guardian does not count yet") {
            try lee.policy("hao", PolicyChange(twoApproversOver: "1000"))
        }
        _ = try lee.engine.acceptFamily(id: "lee", lee.ctx("wei"))
        try lee.policy("hao", PolicyChange(twoApproversOver: "1000"))
        #expect(throws: FamilyError.breaksQuorum(user: "wei", member: "hao")) {
            _ = try lee.engine.removeFromFamily(id: "lee", user: "wei", lee.ctx("lan"))
        }
    }

    @Test func aDeclinedRequestClosesItsOrderAndMovesNothing() throws {
        let lee = try asking()
        let request = try #require(try lee.pay("150").request)
        let declined = try lee.engine.declineFamilyRequest(id: request.id, lee.ctx("ying"))
        #expect(declined.request.status == "declined")
        #expect(try lee.engine.order(id: request.order, as: lee.books.admin).status == "closed")
        #expect(throws: FamilyError.requestNotPending(id: request.id, status: "declined")) {
            try lee.approve(request.id, by: "wei")
        }
        #expect(try lee.pool() == "1000.00")
    }

    @Test func requestListShowsMembersTheirOwnAndApproversAll() throws {
        let lee = try FamilyBooks(accepted: ["wei": "guardian", "hao": "minor", "mia": "adult"])
        try lee.deposit("1000")
        try lee.policy("hao", PolicyChange(approvalOver: "100"))
        try lee.policy("mia", PolicyChange(approvalOver: "100"))
        _ = try lee.pay("150")
        _ = try lee.pay("150", by: "mia")
        #expect(try lee.requests(as: "wei").map(\.member) == ["hao", "mia"])
        #expect(try lee.requests(as: "hao").map(\.member) == ["hao"])
        #expect(try lee.requests(as: "mia").map(\.member) == ["mia"])
    }
}
