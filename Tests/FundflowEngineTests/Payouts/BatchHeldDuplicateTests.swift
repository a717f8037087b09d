import Foundation
import FundflowCore
import FundflowEngine
import Testing

/// Possible duplicates held out of a batch's approval can be approved after it; a duplicate is
/// a repeat to the same account, whichever beneficiary carries it; a batch whose payouts are
/// cancelled one by one gives back the conversion its approval made.
@Suite struct BatchHeldDuplicateTests {
    /// A first batch (two INR payments) approved, then the same file again with one more
    /// payment: two held possible duplicates and one new payment, quoted.
    static func repeated(
        threshold: String? = nil
    ) throws -> (CompanyBooks, again: Int64, ana: Actor, ben: Actor) {
        let (company, first, ana, ben) = try BatchLifecycleTests.imported()
        _ = try company.engine.quoteBatch(first.id, company.context(company.mei))
        _ = try company.engine.approveBatch(first.id, company.context(ana))
        let file = company.books.directory.appendingPathComponent("batch.csv")
        var text = try String(contentsOf: file, encoding: .utf8)
        text +=
            "Supplier 9,IFSC:HDFC0000240/50100012345679,HDFCINBBXXX,INR,3100.00,send,EUR,inv 9,E2E-9,SHA,2026-11-03,SUPP,,,,Mumbai,IN\n"
        try text.write(to: file, atomically: true, encoding: .utf8)
        let again = try company.engine.importBatch(
            path: file.path, company: "acme", acceptValid: false, company.context(company.mei))
        if let threshold {
            _ = try company.engine.setCompanyPolicy(
                company: "acme", secondApprovalOver: threshold, company.context(company.mei))
        }
        _ = try company.engine.quoteBatch(again.id, company.context(company.mei))
        return (company, again.id, ana, ben)
    }

    /// A batch of EUR 110,000 from a wallet of EUR 100,000, approved: the approval converts
    /// from the USD wallet (USD 20,000) what the EUR wallet lacks.
    static func converted() throws -> (CompanyBooks, BatchView, BatchQuoteView, ana: Actor) {
        let (company, batch, ana, _) = try BatchLifecycleTests.imported(["60000.00", "50000.00"])
        _ = try company.engine.fundWallet(
            company: "acme", amount: "20000.00 USD", key: "usd", company.context(company.mei))
        _ = try company.engine.quoteBatch(batch.id, company.context(company.mei))
        let approved = try company.engine.approveBatch(batch.id, company.context(ana))
        #expect(approved.warnings.contains { $0.hasPrefix("converted for batch") })
        return (company, batch, approved, ana)
    }

    static func available(_ company: CompanyBooks, _ currency: String = "EUR") throws -> Int64 {
        try Money.parse(
            "\(try company.books.balance("wallet:acme:\(currency)").available) \(currency)"
        ).minorUnits
    }

    @Test func heldDuplicatesApprovedAfterASubmittedBatchLeaveAtTheirCutOff() throws {
        let (company, id, ana, ben) = try Self.repeated()
        let approved = try company.engine.approveBatch(id, company.context(ana))
        #expect(approved.items.map(\.status) == ["quoted", "quoted", "approved"])
        _ = try company.engine.submitBatch(id, company.context(ana))
        let waiting = try company.engine.batchStatus(id, as: company.mei)
        #expect(
            waiting.warnings.contains {
                $0.hasPrefix("2 possible duplicates are held out of the approval")
                    && $0.contains("batch approve \(id) --include-duplicates")
            })
        let before = try Self.available(company)
        // The importer may not approve them; anyone else who may approve payments may, the
        // batch's own approver included.
        #expect(throws: BatchError.ownBatch(user: "mei", id: id)) {
            try company.engine.approveBatch(
                id, includeDuplicates: true, company.context(company.mei))
        }
        let followed = try company.engine.approveBatch(
            id, includeDuplicates: true, company.context(ben))
        #expect(followed.items.map(\.status) == ["approved", "approved", "approved"])
        #expect(try company.engine.batchStatus(id, as: company.mei).warnings.isEmpty)
        #expect(
            followed.warnings.contains {
                $0.contains("2 held possible duplicates approved and scheduled")
            })
        let held = try followed.items.prefix(2).reduce(Int64(0)) {
            $0 + (try Money.parse("\($1.debited) EUR").minorUnits)
        }
        #expect(try Self.available(company) == before - held)
        // Asked again, nothing changes.
        let repeated = try company.engine.approveBatch(
            id, includeDuplicates: true, company.context(ben))
        #expect(repeated.items.map(\.status) == ["approved", "approved", "approved"])
        #expect(try Self.available(company) == before - held)
        // Tuesday 3 November, past the Frankfurt cut-off: all three are on their way.
        company.books.clock.advance(milliseconds: 32 * 3_600_000)
        _ = try company.engine.runDueJobs(worker: "t")
        #expect(try BatchLifecycleTests.statuses(company, id) == ["ACSP", "ACSP", "ACSP"])
        #expect(try company.engine.verifyLedger(as: company.books.admin).problems.isEmpty)
    }

    @Test func heldDuplicatesAboveTheThresholdNeedTwoApproversOfTheirOwn() throws {
        let (company, id, ana, ben) = try Self.repeated(threshold: "1.00 EUR")
        _ = try company.engine.approveBatch(id, company.context(ana))
        let batch = try company.engine.approveBatch(id, company.context(ben))
        #expect(batch.batch.status == "approved")
        let before = try Self.available(company)
        let first = try company.engine.approveBatch(
            id, includeDuplicates: true, company.context(ana))
        #expect(first.items.map(\.status) == ["quoted", "quoted", "approved"])
        #expect(first.warnings.contains { $0.contains("a second approver is needed") })
        #expect(try Self.available(company) == before, "nothing held on one approval")
        #expect(throws: BatchError.alreadyApproved(user: "ana", id: id)) {
            try company.engine.approveBatch(id, includeDuplicates: true, company.context(ana))
        }
        let second = try company.engine.approveBatch(
            id, includeDuplicates: true, company.context(ben))
        #expect(second.items.map(\.status) == ["approved", "approved", "approved"])
        #expect(
            second.warnings.contains {
                $0.contains("approved: they leave with the batch once it is submitted")
            })
        #expect(try Self.available(company) < before)
    }

    @Test func heldDuplicatesWhoseQuotesExpiredAreQuotedAgainFirst() throws {
        let (company, id, ana, ben) = try Self.repeated()
        _ = try company.engine.approveBatch(id, company.context(ana))
        company.books.clock.advance(milliseconds: 2 * 3_600_000)
        let followed = try company.engine.approveBatch(
            id, includeDuplicates: true, company.context(ben))
        #expect(followed.warnings.contains("expired quotes were made again; they debit no more"))
        #expect(followed.items.map(\.status) == ["approved", "approved", "approved"])
        #expect(try company.engine.verifyLedger(as: company.books.admin).problems.isEmpty)
    }
}

extension BatchHeldDuplicateTests {
    /// The same account and amount within a minute is a double entry even when it is asked
    /// through another beneficiary carrying that account.
    @Test func aRepeatToTheSameAccountThroughAnotherBeneficiaryIsHeld() throws {
        let (company, ana, _) = try PayoutApprovalTests.company()
        _ = try company.engine.addBeneficiary(
            company: "acme", id: "tata-steel", BeneficiaryTests.tata, company.context(company.mei))
        _ = try company.engine.approveBeneficiary(
            company: "acme", id: "tata-steel", company.context(ana))
        let first = try PayoutApprovalTests.quote(company)
        let second = try company.engine.createPayout(
            PayoutRequest(company: "acme", beneficiary: "tata-steel", send: "25000.00 EUR"),
            company.context(company.mei)
        ).value
        #expect(
            second.warnings.contains { $0.contains("possible duplicate of payout \(first.id)") })
        #expect(throws: PayoutError.heldDuplicate(id: second.id, of: first.id)) {
            try company.engine.approvePayout("\(second.id)", company.context(ana))
        }
    }

    /// A batch item for an account an earlier payout went to through another beneficiary, with
    /// the same amount and reference, is held as a possible duplicate.
    @Test func aBatchItemRepeatingAPayoutToTheSameAccountIsHeld() throws {
        let (company, ana, _) = try PayoutApprovalTests.company()
        func batch(_ endToEnd: String) throws -> BatchQuoteView {
            let file = company.books.directory.appendingPathComponent("\(endToEnd).csv")
            try [
                BatchLifecycleTests.header,
                "Tata Steel Ltd,IFSC:HDFC0000240/50100012345678,HDFCINBBXXX,INR,1000.00,send,EUR,inv 1,\(endToEnd),SHA,2026-11-03,SUPP,Bombay House,,,Mumbai,IN",
            ].joined(separator: "\n").appending("\n").write(
                to: file, atomically: true, encoding: .utf8)
            let batch = try company.engine.importBatch(
                path: file.path, company: "acme", acceptValid: false, company.context(company.mei))
            return try company.engine.quoteBatch(batch.id, company.context(company.mei))
        }
        let first = try batch("E2E-T1")
        #expect(first.items[0].beneficiary == "tata")
        // A second record of Tata's account, first by id: the next item is paid through it.
        _ = try company.engine.addBeneficiary(
            company: "acme", id: "a-tata", BeneficiaryTests.tata, company.context(company.mei))
        _ = try company.engine.approveBeneficiary(
            company: "acme", id: "a-tata", company.context(ana))
        let second = try batch("E2E-T2")
        #expect(second.items[0].beneficiary == "a-tata")
        let earlier = try #require(first.items[0].payout)
        #expect(second.items[0].flags.contains("possible duplicate of payout \(earlier)"))
    }
}

extension BatchHeldDuplicateTests {
    /// Cancelling a converted batch's payouts one by one: the conversion stays while one is
    /// still to be paid, and goes back with the last; the batch then ends cancelled.
    @Test func aConvertedBatchCancelledPayoutByPayoutGivesTheConversionBack() throws {
        let (company, batch, approved, ana) = try Self.converted()
        #expect(try Self.available(company, "USD") < 2_000_000)
        let payouts = approved.items.compactMap(\.payout)
        let first = try company.engine.cancelPayout("\(payouts[0])", company.context(ana))
        #expect(!first.warnings.contains { $0.contains("reversed") })
        #expect(try Self.available(company, "USD") < 2_000_000, "one payout is still to be paid")
        let last = try company.engine.cancelPayout("\(payouts[1])", company.context(ana))
        #expect(
            last.warnings.contains {
                $0.contains("conversion made for batch \(batch.id) (EUR) was reversed")
            })
        #expect(last.warnings.contains { $0.contains("the batch is cancelled") })
        #expect(try company.books.balance("wallet:acme:USD").booked == "20000.00")
        #expect(try company.books.balance("wallet:acme:EUR").booked == "100000.00")
        #expect(try company.books.balance("wallet:acme:EUR").available == "100000.00")
        #expect(
            try company.engine.batchStatus(batch.id, as: company.mei).batch.status == "cancelled")
        #expect(try company.engine.verifyLedger(as: company.books.admin).problems.isEmpty)
    }
}

extension BatchHeldDuplicateTests {
    /// The batch alone and its held duplicates alone are each within the second-approval
    /// threshold, together above it: paying the held ones takes two approvers.
    @Test func heldDuplicatesCountWithTheBatchAgainstTheThreshold() throws {
        let (company, id, ana, ben) = try Self.repeated()
        let quoted = try company.engine.batchStatus(id, as: company.mei)
        let debits = try quoted.items.map { try Money.parse("\($0.debited) EUR").minorUnits }
        let held = debits[0] + debits[1]
        let batch = debits[2]
        let threshold = Money(minorUnits: max(held, batch), currency: .eur)
        _ = try company.engine.setCompanyPolicy(
            company: "acme", secondApprovalOver: "\(threshold.amountString) EUR",
            company.context(company.mei))
        #expect(
            try company.engine.approveBatch(id, company.context(ana)).batch.status == "approved")
        let first = try company.engine.approveBatch(
            id, includeDuplicates: true, company.context(ana))
        #expect(first.items.map(\.status) == ["quoted", "quoted", "approved"])
        #expect(first.approvals == ["ana"], "the batch's approval")
        let waiting = try #require(first.held)
        #expect(waiting.count == 2)
        #expect(waiting.approvals == ["ana"])
        #expect(waiting.approvalsNeeded == 2)
        let second = try company.engine.approveBatch(
            id, includeDuplicates: true, company.context(ben))
        #expect(second.items.map(\.status) == ["approved", "approved", "approved"])
    }

    /// Once every payout the batch was approved for is cancelled, the held duplicates go with
    /// it: the batch ends cancelled and nothing of it can be paid any more.
    @Test func cancellingEveryApprovedPayoutCancelsTheHeldDuplicatesToo() throws {
        let (company, id, ana, ben) = try Self.repeated()
        let before = try Self.available(company)
        let approved = try company.engine.approveBatch(id, company.context(ana))
        #expect(try Self.available(company) < before)
        let last = try company.engine.cancelPayout(
            "\(try #require(approved.items[2].payout))", company.context(ana))
        #expect(last.warnings.contains { $0.contains("2 held possible duplicates are cancelled") })
        let status = try company.engine.batchStatus(id, as: company.mei)
        #expect(status.batch.status == "cancelled")
        #expect(status.items.map(\.status) == ["cancelled", "cancelled", "cancelled"])
        #expect(throws: BatchError.self) {
            try company.engine.approveBatch(id, includeDuplicates: true, company.context(ben))
        }
        #expect(try Self.available(company) == before)
        #expect(try company.engine.verifyLedger(as: company.books.admin).problems.isEmpty)
    }
}

extension BatchHeldDuplicateTests {
    /// The approval's answer is built from the figures it read and changed; a fresh read of the
    /// batch shows the same, quotes made again and duplicates held included.
    @Test func anApprovalShowsWhatAFreshReadOfTheBatchShows() throws {
        let (company, id, ana, _) = try Self.repeated()
        company.books.clock.advance(milliseconds: 2 * 3_600_000)
        let approved = try company.engine.approveBatch(id, company.context(ana))
        #expect(approved.warnings.contains("expired quotes were made again; they debit no more"))
        let fresh = try company.engine.batchStatus(id, as: company.mei)
        #expect(approved.items == fresh.items)
        #expect(approved.statusCounts == fresh.statusCounts)
        #expect(approved.debits == fresh.debits)
        #expect(approved.deliveries == fresh.deliveries)
        #expect(approved.funding == fresh.funding)
        #expect(approved.approvals == fresh.approvals)
        #expect(approved.approvalsNeeded == fresh.approvalsNeeded)
        #expect(approved.held == fresh.held)
        #expect(approved.held?.count == 2)
    }
}
