import Foundation
import FundflowCore
import FundflowEngine
import Testing

/// Release at the cut-off, the network on the database clock, tracking, returns and recalls.
@Suite struct PayoutExecutionTests {
    static let hour: Int64 = 3_600_000

    /// An approved 25,000 EUR payout from acme to tata (released Monday 16:00 UTC).
    static func approved(
        _ amount: String = "25000.00 EUR"
    ) throws -> (CompanyBooks, PayoutView, Actor) {
        let (company, ana, _) = try PayoutApprovalTests.company()
        let quoted = try PayoutApprovalTests.quote(company, amount)
        let approved = try company.engine.approvePayout("\(quoted.id)", company.context(ana))
        #expect(approved.status == "approved")
        return (company, approved, ana)
    }

    static func run(_ company: CompanyBooks) throws -> JobRun {
        try company.engine.runDueJobs(worker: "test")
    }

    static func minor(_ amount: String, _ currency: String) throws -> Int64 {
        try Money.parse("\(amount) \(currency)").minorUnits
    }

    @Test func nothingLeavesBeforeTheCutOffAndTheHoldIsBookedAtRelease() throws {
        let (company, payout, _) = try Self.approved()
        _ = try Self.run(company)
        #expect(try company.engine.payout("\(payout.id)", as: company.mei).status == "approved")
        #expect(try company.engine.track(payout.uetr, as: company.mei).transactionStatus == "PDNG")
        // 09:00 → 16:00 UTC, the cut-off in Frankfurt.
        company.books.clock.advance(milliseconds: 7 * Self.hour)
        let run = try Self.run(company)
        #expect(run.failures.isEmpty)
        #expect(run.notices.contains { $0.contains("payout \(payout.id) released") })
        let released = try company.engine.payout("\(payout.id)", as: company.mei)
        #expect(released.status == "released")
        let debited = try Self.minor(payout.quote.debited, "EUR")
        let wallet = try company.books.balance("wallet:acme:EUR")
        #expect(try Self.minor(wallet.booked, "EUR") == 10_000_000 - debited)
        #expect(wallet.available == wallet.booked, "the hold is gone: it was booked")
        #expect(
            try Self.minor(company.books.balance("nostro:DEUTDEFFXXX:EUR").booked, "EUR")
                == 10_000_000 - debited)
        // Running again does nothing more.
        #expect(try Self.run(company).jobs == 0)
        #expect(try company.engine.verifyLedger(as: company.books.admin).problems.isEmpty)
    }

    @Test func theTrackerRevealsEventsAsTheClockPassesThemAndTheAmountsAddUpHopByHop() throws {
        let (company, payout, _) = try Self.approved()
        company.books.clock.advance(milliseconds: 7 * Self.hour)
        _ = try Self.run(company)
        let first = try company.engine.track(payout.uetr, as: company.mei)
        #expect(first.paymentEvent.count >= 1)
        #expect(first.transactionStatus == "ACSP")
        #expect(first.paymentEvent[0].from == "DEUTDEFFXXX")
        // Three days later it has arrived.
        company.books.clock.advance(milliseconds: 72 * Self.hour)
        let run = try Self.run(company)
        #expect(run.notices.contains { $0.contains("payout \(payout.id) credited") })
        let track = try company.engine.track(payout.uetr, as: company.mei)
        #expect(track.transactionStatus == "ACCC")
        #expect(track.paymentEvent.count > first.paymentEvent.count)
        #expect(
            track.paymentEvent.map(\.from)
                == Array(payout.quote.path.prefix(track.paymentEvent.count)))
        // Hop by hop: what leaves a bank is what reached it less its deducted fee, converted
        // where it converts (checked to a minor unit against the 10-digit displayed rate).
        var arriving = try Money.parse(
            "\(track.paymentEvent[0].instructedAmount.amount) \(track.paymentEvent[0].instructedAmount.currency)"
        )
        let billed = Set(payout.quote.fees.filter(\.billed).map(\.agent))
        for event in track.paymentEvent {
            let leaving = try #require(event.interbankSettlementAmount ?? event.confirmedAmount)
            var expected = arriving.minorUnits
            for charge in event.chargesInformation where !billed.contains(charge.agent) {
                #expect(charge.amount.currency == arriving.currency.code)
                expected -= try Self.minor(charge.amount.amount, charge.amount.currency)
            }
            let target = try Currency.named(leaving.currency)
            if let rate = event.exchangeRate {
                let value = try #require(Decimal(string: rate))
                let source = Decimal(expected) / pow(10, arriving.currency.exponent)
                let converted = NSDecimalNumber(decimal: source * value * pow(10, target.exponent))
                    .int64Value
                #expect(abs(try Self.minor(leaving.amount, leaving.currency) - converted) <= 1)
            } else {
                #expect(try Self.minor(leaving.amount, leaving.currency) == expected)
            }
            arriving = Money(
                minorUnits: try Self.minor(leaving.amount, leaving.currency), currency: target)
        }
        let credited = try company.engine.payout("\(payout.id)", as: company.mei)
        #expect(credited.status == "credited")
        #expect(credited.outcome?.hasPrefix("credited") == true)
        #expect(!credited.beneficiaryNew, "paid once: no longer new")
        #expect(try company.engine.verifyLedger(as: company.books.admin).problems.isEmpty)
    }

    @Test func aFailureSetWhileAPayoutIsOnItsWayRejectsItAtThatBank() throws {
        let (company, payout, _) = try Self.approved()
        company.books.clock.advance(milliseconds: 7 * Self.hour)
        _ = try Self.run(company)
        let before = try company.engine.track(payout.uetr, as: company.mei)
        #expect(before.transactionStatus == "ACSP")
        let shown = before.paymentEvent.count
        let failed = try company.engine.failBank(
            "HDFCINBBXXX", reason: "AC01", share: "1", seed: 1, company.books.context())
        #expect(failed.reachedInFlight == [payout.id])
        let after = try company.engine.track(payout.uetr, as: company.mei)
        #expect(after.paymentEvent.count == shown, "what already happened stays as it was")
        company.books.clock.advance(milliseconds: 10 * 24 * Self.hour)
        _ = try Self.run(company)
        let returned = try company.engine.payout("\(payout.id)", as: company.mei)
        #expect(returned.status == "returned")
        #expect(
            try company.engine.track(payout.uetr, as: company.mei).transactionStatusReason == "AC01"
        )
        // A payout already through the bank is not reached: a failure set after its credit.
        let (other, credited, _) = try Self.approved()
        other.books.clock.advance(milliseconds: 7 * Self.hour + 10 * 24 * Self.hour)
        _ = try Self.run(other)
        #expect(try other.engine.payout("\(credited.id)", as: other.mei).status == "credited")
        let late = try other.engine.failBank(
            "HDFCINBBXXX", reason: "AC01", share: "1", seed: 1, other.books.context())
        #expect(late.reachedInFlight.isEmpty)
        #expect(try company.engine.verifyLedger(as: company.books.admin).problems.isEmpty)
    }

    @Test func aRejectAtTheCreditorAgentComesBackAsAReturnCreditedToTheWallet() throws {
        let (company, payout, _) = try Self.approved()
        _ = try company.engine.failBank(
            "HDFCINBBXXX", reason: "AC01", share: "1", seed: 1, company.books.context())
        company.books.clock.advance(milliseconds: 7 * Self.hour)
        _ = try Self.run(company)
        company.books.clock.advance(milliseconds: 10 * 24 * Self.hour)
        let run = try Self.run(company)
        #expect(run.notices.contains { $0.contains("returned (AC01") })
        let returned = try company.engine.payout("\(payout.id)", as: company.mei)
        #expect(returned.status == "returned")
        let track = try company.engine.track(payout.uetr, as: company.mei)
        #expect(track.transactionStatus == "RJCT")
        #expect(track.transactionStatusReason == "AC01")
        let last = try #require(track.paymentEvent.last)
        #expect(last.isReturn)
        #expect(last.to == "DEUTDEFFXXX")
        let back = try #require(last.confirmedAmount)
        // The wallet: funding − debited + the return, to the cent.
        let wallet = try Self.minor(
            company.books.balance("wallet:acme:\(back.currency)").booked, back.currency)
        let debited = try Self.minor(payout.quote.debited, "EUR")
        #expect(back.currency == "EUR")
        #expect(wallet == 10_000_000 - debited + (try Self.minor(back.amount, back.currency)))
        #expect(try Self.minor(back.amount, "EUR") < 2_500_000, "fees on the way stay spent")
        #expect(try company.engine.verifyLedger(as: company.books.admin).problems.isEmpty)
    }

    @Test func aPartialFailureRejectsTheSamePayoutsForTheSameSeed() throws {
        let failure = BankFailure(bic: "HDFCINBBXXX", reason: "AC01", shareBps: 2_500, seed: 7)
        let other = BankFailure(bic: "HDFCINBBXXX", reason: "AC01", shareBps: 2_500, seed: 8)
        var generator = FundflowCore.SeededGenerator(seed: 42)
        let uetrs = (0..<2_000).map { _ in UETR.make(using: &generator).value }
        let rejected = uetrs.map { failure.rejects(uetr: $0) }
        #expect(rejected == uetrs.map { failure.rejects(uetr: $0) })
        #expect(rejected != uetrs.map { other.rejects(uetr: $0) }, "another seed picks others")
        let share = rejected.filter { $0 }.count
        // A quarter of 2,000 is 500; the binomial standard deviation is about 19.
        #expect((420...580).contains(share), "about a quarter: \(share)")
        let path = ["DEUTDEFFXXX", "CITIUS33XXX", "HDFCINBBXXX"]
        let picked = try #require(uetrs.first { failure.rejects(uetr: $0) })
        #expect(
            BankFailure.rejection(on: path, uetr: picked, failures: [failure])
                == PayoutJourney.Rejection(bank: "HDFCINBBXXX", reason: "AC01"))
        let all = BankFailure(bic: "CITIUS33XXX", reason: "AM04", shareBps: 10_000, seed: 1)
        #expect(
            BankFailure.rejection(on: path, uetr: picked, failures: [failure, all])?.bank
                == "CITIUS33XXX", "the first failing bank on the path rejects")
    }

    @Test func aRecallOnTheWayStopsThePaymentAndTheReturnBringsTheMoneyBack() throws {
        let (company, payout, ana) = try Self.approved()
        #expect(throws: PayoutError.notReleased(id: payout.id, status: "approved")) {
            try company.engine.recallPayout("\(payout.id)", reason: "DUPL", company.context(ana))
        }
        company.books.clock.advance(milliseconds: 7 * Self.hour + 60_000)
        _ = try Self.run(company)
        let recalled = try company.engine.recallPayout(
            "\(payout.id)", reason: "dupl", company.context(ana))
        #expect(recalled.recall?.hasPrefix("DUPL: CNCL") == true)
        // Asking again gives the first answer.
        let twice = try company.engine.recallPayout(
            "\(payout.id)", reason: "CUST", company.context(ana))
        #expect(twice.recall == recalled.recall)
        company.books.clock.advance(milliseconds: 10 * 24 * Self.hour)
        _ = try Self.run(company)
        let ended = try company.engine.payout("\(payout.id)", as: company.mei)
        #expect(ended.status == "returned")
        let track = try company.engine.track(payout.uetr, as: company.mei)
        #expect(track.transactionStatusReason == "FOCR")
        #expect(track.recall?.status == "CNCL")
        #expect(try company.engine.verifyLedger(as: company.books.admin).problems.isEmpty)
    }

    @Test func aRecallAfterCreditIsPendingTheBeneficiarysConsentAndMovesNoMoney() throws {
        let (company, payout, ana) = try Self.approved()
        company.books.clock.advance(milliseconds: 7 * Self.hour)
        _ = try Self.run(company)
        company.books.clock.advance(milliseconds: 10 * 24 * Self.hour)
        _ = try Self.run(company)
        let before = try company.books.balance("wallet:acme:EUR").booked
        let recalled = try company.engine.recallPayout(
            "\(payout.id)", reason: "CUST", company.context(ana))
        #expect(recalled.recall?.hasPrefix("CUST: PDCR") == true)
        #expect(recalled.status == "credited")
        _ = try Self.run(company)
        #expect(try company.books.balance("wallet:acme:EUR").booked == before)
    }

    @Test func aBankCanOnlyBeFailedWithAReasonAndAShareThatMakeSense() throws {
        let company = try PayoutQuoteTests.company()
        #expect(throws: EngineError.self) {
            try company.engine.failBank(
                "NOSUCHBKXXX", reason: "AC01", share: "1", seed: 1, company.books.context())
        }
        for share in ["0", "1.5", "0.12345", "x", ""] {
            #expect(throws: EngineError.self) {
                try company.engine.failBank(
                    "HDFCINBB", reason: "AC01", share: share, seed: 1, company.books.context())
            }
        }
        let set = try company.engine.failBank(
            "HDFCINBB", reason: "ac04", share: "0.25", seed: 3, company.books.context())
        #expect(set.bic == "HDFCINBBXXX")
        #expect(set.reason == "AC04")
        #expect(set.share == "0.25")
        #expect(try company.engine.bankFailures(as: company.books.admin).count == 1)
        #expect(try company.engine.healBank("HDFCINBBXXX", company.books.context()).healed)
        #expect(try !company.engine.healBank("HDFCINBBXXX", company.books.context()).healed)
    }
}
