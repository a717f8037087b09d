import FundflowCore
import FundflowEngine
import Testing

/// Who is in a family, what each role may do, and the rule for leaving.
@Suite struct FamilyMembershipTests {
    @Test func anInvitedUserIsNotAMemberEvenWithMoneyInThePool() throws {
        let lee = try FamilyBooks(accepted: ["wei": "guardian", "hao": "minor"])
        try lee.deposit("500")
        try lee.policy("hao", PolicyChange(approvalOver: "10"))
        let request = try #require(try lee.pay("20").request?.id)
        _ = try lee.engine.inviteToFamily(id: "lee", user: "mia", role: "adult", lee.ctx("lan"))
        let refused = FamilyError.invitedNotAccepted(user: "mia", family: "lee")
        #expect(throws: refused) { try lee.pay("1", by: "mia") }
        #expect(throws: refused) { try lee.deposit("1", by: "mia") }
        #expect(throws: refused) { try lee.approve(request, by: "mia") }
        #expect(throws: refused) { try lee.engine.family("lee", as: lee.actor("mia")) }
        #expect(throws: refused) { try lee.requests(as: "mia") }
        #expect(throws: refused) {
            try lee.engine.familyReport(
                id: "lee", month: "2026-11", by: "member", as: lee.actor("mia"))
        }
        #expect(throws: refused) {
            try lee.engine.inviteToFamily(id: "lee", user: "ann", role: "adult", lee.ctx("mia"))
        }
        #expect(try lee.pool() == "500.00")
        // Accepting makes her a member: now she can pay.
        _ = try lee.engine.acceptFamily(id: "lee", lee.ctx("mia"))
        #expect(try lee.pay("1", by: "mia").status == "paid")
    }

    @Test func aViewerCanRunNoMutatingCommand() throws {
        let lee = try FamilyBooks(accepted: ["wei": "guardian", "hao": "minor", "vic": "viewer"])
        try lee.deposit("500")
        try lee.policy("hao", PolicyChange(approvalOver: "10"))
        let request = try #require(try lee.pay("20").request?.id)
        let engine = lee.engine
        let vic = lee.ctx("vic")
        let attempts: [(String, () throws -> Void)] = [
            ("pay", { _ = try lee.pay("1", by: "vic") }),
            ("deposit", { try lee.deposit("1", by: "vic") }),
            ("deposit to hao", { try lee.deposit("1", to: "hao", by: "vic") }),
            (
                "invite",
                { _ = try engine.inviteToFamily(id: "lee", user: "ann", role: "adult", vic) }
            ),
            ("remove", { _ = try engine.removeFromFamily(id: "lee", user: "hao", vic) }),
            ("policy", { try lee.policy("hao", by: "vic", PolicyChange(daily: "1")) }),
            (
                "freeze",
                { _ = try engine.setFamilyFreeze(id: "lee", member: "hao", frozen: true, vic) }
            ),
            (
                "unfreeze",
                { _ = try engine.setFamilyFreeze(id: "lee", member: "hao", frozen: false, vic) }
            ),
            (
                "settings",
                { _ = try engine.setFamilySettings(id: "lee", refundsRestoreLimits: true, vic) }
            ),
            (
                "allowance",
                {
                    _ = try engine.setFamilyAllowance(
                        id: "lee", member: "hao", amount: "5", every: "week", stop: false, vic)
                }
            ),
            ("approve", { _ = try lee.approve(request, by: "vic") }),
            ("decline", { _ = try engine.declineFamilyRequest(id: request, vic) }),
        ]
        for (name, attempt) in attempts {
            #expect(throws: FamilyError.self, "\(name)") { try attempt() }
        }
        #expect(try lee.pool() == "500.00")
        #expect(try lee.requests().first?.status == "pending")
        // Looking is what a viewer does.
        #expect(try engine.family("lee", as: lee.actor("vic")).members.count == 4)
    }

    @Test func ownWalletsArePrivate() throws {
        let lee = try FamilyBooks(accepted: ["wei": "guardian", "hao": "minor", "mia": "adult"])
        try lee.deposit("40", to: "hao")
        try lee.deposit("100")
        let byLan = try lee.engine.family("lee", as: lee.actor("lan"))
        #expect(byLan.members.first { $0.user == "hao" }?.ownWallet == nil)
        let byHao = try lee.engine.family("lee", as: lee.actor("hao"))
        #expect(byHao.members.first { $0.user == "hao" }?.ownWallet == "40.00 CNY")
        #expect(byHao.members.first { $0.user == "lan" }?.ownWallet == nil)
        #expect(byHao.members.first { $0.user == "lan" }?.spentToday == nil)
        _ = try lee.pay("30")
        // A member who does not sponsor the pool sees only their own payments.
        #expect(try lee.engine.familyActivity(id: "lee", month: nil, as: lee.actor("mia")).isEmpty)
        let seen = try lee.engine.familyActivity(id: "lee", month: nil, as: lee.actor("wei"))
        #expect(
            seen.count == 1 && seen[0].own == nil, "the guardian sees the spend, not the wallet")
        let own = try lee.engine.familyActivity(id: "lee", month: nil, as: lee.actor("hao"))
        #expect(own.first?.own == "30.00 CNY")
    }

    @Test func aSponsorSeesWhatThePoolPaidForFromTheirFirstDepositOn() throws {
        let lee = try FamilyBooks(accepted: ["wei": "guardian", "hao": "minor", "mia": "adult"])
        try lee.deposit("100")
        _ = try lee.pay("30")
        try lee.advance(seconds: 120)
        try lee.deposit("1", by: "mia")
        _ = try lee.pay("40", merchant: "clinic")
        let seen = try lee.engine.familyActivity(id: "lee", month: nil, as: lee.actor("mia"))
        #expect(seen.map(\.merchant) == ["clinic"])
        #expect(seen.first?.own == nil)
    }

    @Test func leavingWithdrawsRequestsAndPaysOutTheOwnWallet() throws {
        let lee = try FamilyBooks(accepted: ["wei": "guardian", "hao": "minor"])
        try lee.deposit("500")
        try lee.deposit("30", to: "hao")
        try lee.policy("hao", PolicyChange(approvalOver: "100"))
        let request = try #require(try lee.pay("150").request)
        _ = try lee.engine.setFamilyAllowance(
            id: "lee", member: "hao", amount: "10", every: "week", stop: false, lee.ctx("lan"))
        let nostro = try lee.booked("nostro:BKCHCNBJXXX:CNY")
        let gone = try lee.engine.leaveFamily(id: "lee", lee.ctx("hao"))
        #expect(gone.withdrawnRequests == [request.id])
        #expect(gone.paidOut == "40.00 CNY")
        #expect(try lee.wallet("hao") == "0.00")
        #expect(try nostro == "530.00" && lee.booked("nostro:BKCHCNBJXXX:CNY") == "490.00")
        #expect(try lee.requests().first?.status == "declined")
        try lee.advance(seconds: 8 * 24 * 3600)
        #expect(try lee.pool() == "490.00", "the allowance stopped")
        #expect(throws: FamilyError.notMember(user: "hao", family: "lee")) { try lee.pay("1") }
        #expect(throws: FamilyError.ownerStays("lee")) {
            _ = try lee.engine.leaveFamily(id: "lee", lee.ctx("lan"))
        }
        #expect(try lee.problems() == [])
    }

    @Test func onlyTheOwnerInvitesOrRemovesGuardians() throws {
        let lee = try FamilyBooks(accepted: ["wei": "guardian", "hao": "minor"])
        #expect(throws: FamilyError.self) {
            _ = try lee.engine.inviteToFamily(
                id: "lee", user: "ann", role: "guardian", lee.ctx("wei"))
        }
        _ = try lee.engine.inviteToFamily(id: "lee", user: "ann", role: "adult", lee.ctx("wei"))
        #expect(throws: FamilyError.self) {
            _ = try lee.engine.inviteToFamily(id: "lee", user: "ann", role: "owner", lee.ctx("lan"))
        }
        let removed = try lee.engine.removeFromFamily(id: "lee", user: "wei", lee.ctx("lan"))
        #expect(removed.status == "removed")
    }

    @Test func anAllowanceIsPaidEveryWeekAndASkippedOneIsToldNotLost() throws {
        let lee = try FamilyBooks(accepted: ["hao": "minor"])
        try lee.deposit("25")
        _ = try lee.engine.setFamilyAllowance(
            id: "lee", member: "hao", amount: "10", every: "week", stop: false, lee.ctx("lan"))
        try lee.advance(seconds: 7 * 24 * 3600)
        #expect(try lee.wallet("hao") == "20.00")
        try lee.advance(seconds: 7 * 24 * 3600)
        #expect(try lee.wallet("hao") == "20.00", "the pool had 5.00")
        let told = try lee.engine.familyNotifications(id: "lee", as: lee.actor("lan"))
        #expect(told.contains { $0.text.contains("allowance 3 for hao (10.00 CNY) not paid") })
        try lee.deposit("100")
        try lee.advance(seconds: 7 * 24 * 3600)
        #expect(try lee.wallet("hao") == "30.00", "the allowance goes on after a skipped week")
    }
}
