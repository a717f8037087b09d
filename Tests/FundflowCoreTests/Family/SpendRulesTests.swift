import FundflowCore
import Testing

/// The spending rules without a database: each limit exactly at it and one minor unit over.
@Suite struct SpendRulesTests {
    let format: (Int64) -> String = { "\($0)" }

    func decide(
        _ policy: SpendPolicy, _ spend: Int64, category: String = "medical", today: Int64 = 0,
        month: Int64 = 0
    ) -> SpendDecision {
        SpendRules.decide(
            policy: policy, spend: spend, category: category, spentToday: today,
            spentThisMonth: month, format: format)
    }

    @Test func hardRulesRefuseWhateverTheApprovals() {
        #expect(decide(SpendPolicy(perPayment: 100), 100) == .allowed)
        #expect(
            decide(SpendPolicy(perPayment: 100), 101)
                == .refused("101 is over the per-payment cap of 100"))
        #expect(decide(SpendPolicy(frozen: true), 1) == .refused("spending is frozen"))
        #expect(
            decide(SpendPolicy(deny: ["gaming"]), 1, category: "Gaming")
                == .refused("category 'gaming' is denied"))
        if case .refused = decide(SpendPolicy(allow: ["medical"]), 1, category: "toys") {
        } else {
            Issue.record("a category outside the allow list is refused")
        }
    }

    @Test func capsAndThresholdsAskForApprovalOneUnitOver() {
        #expect(decide(SpendPolicy(daily: 100), 40, today: 60) == .allowed)
        #expect(decide(SpendPolicy(daily: 100), 41, today: 60).approvers == 1)
        #expect(decide(SpendPolicy(monthly: 500), 100, month: 400) == .allowed)
        #expect(decide(SpendPolicy(monthly: 500), 101, month: 400).approvers == 1)
        #expect(decide(SpendPolicy(approvalOver: 200), 200) == .allowed)
        #expect(decide(SpendPolicy(approvalOver: 200), 201).approvers == 1)
        #expect(decide(SpendPolicy(approvalOver: 200, twoApproversOver: 1000), 1000).approvers == 1)
        #expect(decide(SpendPolicy(approvalOver: 200, twoApproversOver: 1000), 1001).approvers == 2)
        #expect(decide(SpendPolicy(daily: 100, twoApproversOver: 1000), 1001).approvers == 2)
    }

    @Test func headroomIsTheLeastLimitLeft() {
        let policy = SpendPolicy(perPayment: 300, daily: 250, monthly: 500, approvalOver: 200)
        #expect(SpendRules.headroom(policy: policy, spentToday: 100, spentThisMonth: 380) == 120)
        #expect(SpendRules.headroom(policy: policy, spentToday: 100, spentThisMonth: 0) == 150)
        #expect(SpendRules.headroom(policy: SpendPolicy(), spentToday: 0, spentThisMonth: 0) == nil)
        #expect(
            SpendRules.headroom(policy: SpendPolicy(frozen: true), spentToday: 0, spentThisMonth: 0)
                == 0)
    }
}

extension SpendDecision {
    var approvers: Int? {
        if case .request(let approvers, _) = self { return approvers }
        return nil
    }
}

@Suite struct CoPaymentTests {
    @Test func theFundingOrderTakesTheFirstSourceAsFarAsItGoes() {
        #expect(
            CoPayment.split(
                bill: 12_000, choice: .order(.ownFirst), ownAvailable: 5_000, poolAvailable: 9_000)
                == .success(CoPayment(own: 5_000, pool: 7_000)))
        #expect(
            CoPayment.split(
                bill: 12_000, choice: .order(.poolFirst), ownAvailable: 5_000, poolAvailable: 9_000)
                == .success(CoPayment(own: 3_000, pool: 9_000)))
        #expect(
            CoPayment.split(
                bill: 12_000, choice: .order(.ownFirst), ownAvailable: 50_000, poolAvailable: 0)
                == .success(CoPayment(own: 12_000, pool: 0)))
    }

    @Test func aSplitNeverExceedsTheBillOrASource() {
        #expect(
            CoPayment.split(bill: 100, choice: .ownPart(101), ownAvailable: 500, poolAvailable: 500)
                == .failure(.partOverBill(part: 101, bill: 100)))
        #expect(
            CoPayment.split(bill: 100, choice: .poolPart(30), ownAvailable: 69, poolAvailable: 500)
                == .failure(.sourceShort(source: "own", available: 69, needed: 70)))
        #expect(
            CoPayment.split(
                bill: 100, choice: .order(.ownFirst), ownAvailable: 50, poolAvailable: 49)
                == .failure(.short(ownAvailable: 50, poolAvailable: 49, bill: 100)))
        #expect(
            CoPayment.split(
                bill: 100, choice: .order(.ownFirst), ownAvailable: 50, poolAvailable: 50)
                == .success(CoPayment(own: 50, pool: 50)))
    }
}

@Suite struct FamilyCalendarTests {
    let shanghai = FamilyCalendar(timeZone: "Asia/Shanghai")
    let berlin = FamilyCalendar(timeZone: "Europe/Berlin")

    func at(_ text: String) -> Timestamp {
        Timestamp(iso8601: text) ?? Timestamp(millisecondsSinceEpoch: 0)
    }

    @Test func daysAndMonthsAreLocalWindowsStartInclusiveEndExclusive() throws {
        let zone = try #require(shanghai)
        let day = zone.window(.day, containing: at("2026-11-02T15:59:59Z"))
        #expect(day == at("2026-11-01T16:00:00Z")..<at("2026-11-02T16:00:00Z"))
        #expect(
            zone.window(.day, containing: at("2026-11-02T16:00:00Z")).lowerBound
                == at("2026-11-02T16:00:00Z"))
        let month = zone.window(.month, containing: at("2026-11-30T16:00:00Z"))
        #expect(month == at("2026-11-30T16:00:00Z")..<at("2026-12-31T16:00:00Z"))
        #expect(
            zone.window(month: "2026-02") == at("2026-01-31T16:00:00Z")..<at("2026-02-28T16:00:00Z")
        )
        #expect(zone.window(month: "2026-13") == nil)
    }

    @Test func aDayAcrossADaylightSavingChangeIsTwentyFiveHours() throws {
        let zone = try #require(berlin)
        let day = zone.window(.day, containing: at("2026-10-25T12:00:00Z"))
        #expect(
            day.upperBound.millisecondsSinceEpoch - day.lowerBound.millisecondsSinceEpoch == 25
                * 3_600_000)
    }

    @Test func weeksStartOnMondayAndMonthlyStepsKeepTheDay() throws {
        let zone = try #require(shanghai)
        // 2026-11-04 is a Wednesday; its week starts Monday 2026-11-02 00:00 in Shanghai.
        #expect(
            zone.window(.week, containing: at("2026-11-04T04:00:00Z")).lowerBound
                == at("2026-11-01T16:00:00Z"))
        #expect(
            zone.adding(.month, 1, to: at("2026-01-31T04:00:00Z")) == at("2026-02-28T04:00:00Z"))
        #expect(zone.adding(.week, 2, to: at("2026-11-02T04:00:00Z")) == at("2026-11-16T04:00:00Z"))
    }
}
