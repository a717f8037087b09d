import Foundation
import FundflowCore
import FundflowEngine
import FundflowFormats
import Testing

/// draft → quoted → approved → scheduled → released → completed or partly completed, and the
/// pain.002 report in every state.
@Suite struct BatchLifecycleTests {
    static let header =
        "name,account,bank,currency,amount,amount_type,source_currency,reference,end_to_end_id,bearer,execution_date,purpose,street,building,postcode,town,country"

    /// acme (EUR 100,000), mei imports, ana and ben approve; two Indian suppliers paid in INR.
    static func imported(
        _ amounts: [String] = ["1000.00", "2500.00"]
    ) throws -> (CompanyBooks, BatchView, ana: Actor, ben: Actor) {
        let (company, ana, ben) = try PayoutApprovalTests.company()
        let lines = amounts.enumerated().map { index, amount in
            "Supplier \(index + 1),IFSC:HDFC0000240/5010001234567\(index),HDFCINBBXXX,INR,\(amount),send,EUR,inv \(index + 1),E2E-\(index + 1),SHA,2026-11-03,SUPP,,,,Mumbai,IN"
        }
        let file = company.books.directory.appendingPathComponent("batch.csv")
        try ([header] + lines).joined(separator: "\n").appending("\n")
            .write(to: file, atomically: true, encoding: .utf8)
        let batch = try company.engine.importBatch(
            path: file.path, company: "acme", acceptValid: false, company.context(company.mei))
        return (company, batch, ana, ben)
    }

    static func statuses(_ company: CompanyBooks, _ id: Int64) throws -> [String] {
        try company.engine.batchReport(id, as: company.mei).items.map {
            $0.status.rawValue + ($0.reason.map { " " + $0 } ?? "")
        }
    }

    @Test func theReportFollowsTheBatchFromDraftToCompleted() throws {
        let (company, batch, ana, _) = try Self.imported()
        #expect(try Self.statuses(company, batch.id) == ["PDNG", "PDNG"])
        let quoted = try company.engine.quoteBatch(batch.id, company.context(company.mei))
        #expect(quoted.batch.status == "quoted")
        #expect(
            quoted.items.allSatisfy {
                $0.status == "quoted" && $0.flags.contains("new beneficiary")
            })
        #expect(quoted.debits.map(\.currency) == ["EUR"])
        let debit = try quoted.items.reduce(Int64(0)) {
            $0 + (try Money.parse("\($1.debited) EUR").minorUnits)
        }
        #expect(try Money.parse("\(quoted.debits[0].amount) EUR").minorUnits == debit)
        #expect(try Self.statuses(company, batch.id) == ["PDNG", "PDNG"])
        #expect(throws: BatchError.ownBatch(user: "mei", id: batch.id)) {
            try company.engine.approveBatch(batch.id, company.context(company.mei))
        }
        let approved = try company.engine.approveBatch(batch.id, company.context(ana))
        #expect(approved.batch.status == "approved")
        #expect(approved.warnings.contains { $0.contains("2 new beneficiaries") })
        let wallet = try company.books.balance("wallet:acme:EUR")
        #expect(try Money.parse("\(wallet.available) EUR").minorUnits == 10_000_000 - debit)
        #expect(try Self.statuses(company, batch.id) == ["ACCP", "ACCP"])
        // Released at the Frankfurt cut-off on Tuesday 3 November, 16:00 UTC, once submitted.
        company.books.clock.advance(milliseconds: 26 * 3_600_000)
        let submitted = try company.engine.submitBatch(batch.id, company.context(ana))
        #expect(submitted.batch.status == "scheduled")
        _ = try company.engine.runDueJobs(worker: "t")
        #expect(try Self.statuses(company, batch.id) == ["ACCP", "ACCP"], "Tuesday 11:00")
        company.books.clock.advance(milliseconds: 6 * 3_600_000)
        _ = try company.engine.runDueJobs(worker: "t")
        #expect(try Self.statuses(company, batch.id) == ["ACSP", "ACSP"])
        #expect(
            try company.engine.batchStatus(batch.id, as: company.mei).batch.status == "released")
        company.books.clock.advance(milliseconds: 10 * 24 * 3_600_000)
        _ = try company.engine.runDueJobs(worker: "t")
        #expect(try Self.statuses(company, batch.id) == ["ACSC", "ACSC"])
        #expect(
            try company.engine.batchStatus(batch.id, as: company.mei).batch.status == "completed")
        #expect(
            try Money.parse("\(try company.books.balance("wallet:acme:EUR").booked) EUR").minorUnits
                == 10_000_000 - debit)
        #expect(try company.engine.verifyLedger(as: company.books.admin).problems.isEmpty)
    }

    @Test func aRejectMakesTheBatchPartlyCompletedAndTheReportSaysWhy() throws {
        let (company, batch, ana, _) = try Self.imported()
        _ = try company.engine.quoteBatch(batch.id, company.context(company.mei))
        _ = try company.engine.approveBatch(batch.id, company.context(ana))
        _ = try company.engine.submitBatch(batch.id, company.context(ana))
        _ = try company.engine.failBank(
            "HDFCINBBXXX", reason: "AC04", share: "1", seed: 1, company.books.context())
        company.books.clock.advance(milliseconds: 12 * 24 * 3_600_000)
        _ = try company.engine.runDueJobs(worker: "t")
        #expect(try Self.statuses(company, batch.id) == ["RJCT AC04", "RJCT AC04"])
        #expect(
            try company.engine.batchStatus(batch.id, as: company.mei).batch.status
                == "partly_completed")
        let report = try company.engine.batchReport(batch.id, as: company.mei)
        let xml = try Pain002Writer.xml(report)
        #expect(xml.contains("<GrpSts>RJCT</GrpSts>"))
        #expect(xml.contains("<OrgnlMsgId>\(batch.messageID)</OrgnlMsgId>"))
        #expect(xml.contains("<OrgnlEndToEndId>E2E-2</OrgnlEndToEndId>"))
    }

    @Test func aBatchAboveTheThresholdNeedsTwoApproversAndAShortWalletStopsIt() throws {
        let (company, batch, ana, ben) = try Self.imported(["60000.00", "50000.00"])
        _ = try company.engine.setCompanyPolicy(
            company: "acme", secondApprovalOver: "10000.00 EUR", company.context(company.mei))
        let quoted = try company.engine.quoteBatch(batch.id, company.context(company.mei))
        #expect(quoted.approvalsNeeded == 2)
        #expect(quoted.funding.map(\.short) == [true], "110,000 EUR from 100,000")
        let first = try company.engine.approveBatch(batch.id, company.context(ana))
        #expect(first.batch.status == "quoted")
        #expect(first.approvals == ["ana"])
        #expect(throws: BatchError.alreadyApproved(user: "ana", id: batch.id)) {
            try company.engine.approveBatch(batch.id, company.context(ana))
        }
        #expect {
            try company.engine.approveBatch(batch.id, company.context(ben))
        } throws: { error in
            guard case BatchError.shortfall(_, let lines) = error else { return false }
            return lines.count == 1 && lines[0].hasPrefix("EUR needs")
        }
        #expect(try company.books.balance("wallet:acme:EUR").available == "100000.00")
        _ = try company.engine.fundWallet(
            company: "acme", amount: "20000.00 EUR", key: "more", company.context(company.mei))
        let second = try company.engine.approveBatch(batch.id, company.context(ben))
        #expect(second.batch.status == "approved")
        #expect(second.approvals == ["ana", "ben"])
    }

    @Test func expiredQuotesAreMadeAgainAtApproval() throws {
        let (company, batch, ana, _) = try Self.imported()
        let quoted = try company.engine.quoteBatch(
            batch.id, validSeconds: 60, company.context(company.mei))
        company.books.clock.advance(milliseconds: 5 * 60_000)
        let approved = try company.engine.approveBatch(batch.id, company.context(ana))
        #expect(approved.batch.status == "approved")
        #expect(approved.warnings.contains { $0.contains("expired quotes were made again") })
        #expect(approved.debits == quoted.debits)
    }
}

extension BatchLifecycleTests {
    @Test func anApprovedBatchStaysInTheWalletUntilItIsSubmitted() throws {
        let (company, batch, ana, _) = try Self.imported()
        _ = try company.engine.quoteBatch(batch.id, company.context(company.mei))
        _ = try company.engine.approveBatch(batch.id, company.context(ana))
        // Past Tuesday's cut-off without submission: nothing leaves.
        company.books.clock.advance(milliseconds: 3 * 24 * 3_600_000)
        _ = try company.engine.runDueJobs(worker: "t")
        #expect(try Self.statuses(company, batch.id) == ["ACCP", "ACCP"])
        #expect(try company.books.balance("wallet:acme:EUR").booked == "100000.00")
        // Submitted late (Thursday 09:00 UTC): released at the next cut-off, not in the past.
        let late = try company.engine.submitBatch(batch.id, company.context(ana))
        #expect(late.warnings.contains { $0.contains("release time had passed") })
        _ = try company.engine.runDueJobs(worker: "t")
        #expect(try Self.statuses(company, batch.id) == ["ACCP", "ACCP"])
        company.books.clock.advance(milliseconds: 8 * 3_600_000)
        _ = try company.engine.runDueJobs(worker: "t")
        #expect(try Self.statuses(company, batch.id) == ["ACSP", "ACSP"])
        let payout = try #require(late.items.first?.payout)
        let track = try company.engine.track("\(payout)", as: company.mei)
        #expect(track.paymentEvent.first?.eventCreationDateTime == "2026-11-05T16:00:00Z")
    }
}

extension BatchLifecycleTests {
    /// A batch searches routes once per corridor and amount band and evaluates every payment on
    /// those candidates; each must get the route and figures a search of its own finds. Amounts
    /// are spread evenly on a log scale from 10 to 1,000,000 (seeded), in two corridors: EUR to
    /// INR in Mumbai and USD to PHP in Manila.
    @Test func aBatchQuoteAgreesWithASearchForEachPayment() throws {
        let (company, ana, _) = try PayoutApprovalTests.company()
        _ = ana
        var state: UInt64 = 20_261_129
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 11
        }
        var lines: [String] = []
        var expected: [(String, String)] = []
        for index in 0..<40 {
            // 10^(1 + 5u), u uniform in [0, 1): cents between 1,000 and 100,000,000.
            let exponent = 3 + Double(next() % 50_000) / 10_000
            let cents = Int64(pow(10, exponent))
            let amount = Money(minorUnits: cents, currency: .eur).amountString
            if index % 2 == 0 {
                lines.append(
                    "Supplier \(index),IFSC:HDFC0000240/501000\(100_000 + index),HDFCINBBXXX,INR,\(amount),send,EUR,inv,E2E-\(index),SHA,2026-11-03,SUPP,,,,Mumbai,IN"
                )
                expected.append((amount, "EUR"))
            } else {
                lines.append(
                    "Parts \(index),ACCT:00123456\(7_000 + index),BNORPHMMXXX,PHP,\(amount),send,USD,inv,E2E-\(index),SHA,2026-11-03,,,,,Manila,PH"
                )
                expected.append((amount, "USD"))
            }
        }
        let file = company.books.directory.appendingPathComponent("spread.csv")
        try ([Self.header] + lines).joined(separator: "\n").appending("\n")
            .write(to: file, atomically: true, encoding: .utf8)
        let batch = try company.engine.importBatch(
            path: file.path, company: "acme", acceptValid: false, company.context(company.mei))
        let quoted = try company.engine.quoteBatch(batch.id, company.context(company.mei))
        var compared = 0
        for (item, (amount, currency)) in zip(quoted.items, expected) {
            guard let beneficiary = item.beneficiary else {
                #expect(item.status == "no route")
                continue
            }
            let single = try company.engine.createPayout(
                PayoutRequest(
                    company: "acme", beneficiary: beneficiary, send: "\(amount) \(currency)",
                    date: "2026-11-03"),
                company.context(company.mei)
            ).value
            compared += 1
            #expect(item.route == single.quote.path, "\(amount) \(currency)")
            #expect(item.debited == single.quote.debited, "\(amount) \(currency)")
            #expect(item.delivered == single.quote.delivered, "\(amount) \(currency)")
            #expect(item.eta == single.quote.eta, "\(amount) \(currency)")
        }
        #expect(compared >= 36, "\(compared) of 40 compared")
    }
}

extension BatchLifecycleTests {
    /// An item that repeats a payout of the last 30 days (another batch, same EndToEndId; or
    /// same account, amount and reference) is held until an approval names it.
    @Test func aRepeatedPaymentIsHeldUntilApprovedAsADuplicate() throws {
        let (company, first, ana, _) = try Self.imported()
        _ = try company.engine.quoteBatch(first.id, company.context(company.mei))
        _ = try company.engine.approveBatch(first.id, company.context(ana))
        // The same payments again in a file of its own, one with a new EndToEndId and reference.
        let lines = [
            "Supplier 1,IFSC:HDFC0000240/50100012345670,HDFCINBBXXX,INR,1000.00,send,EUR,inv 1,E2E-1,SHA,2026-11-03,SUPP,,,,Mumbai,IN",
            "Supplier 2,IFSC:HDFC0000240/50100012345671,HDFCINBBXXX,INR,2500.00,send,EUR,inv 9,E2E-9,SHA,2026-11-03,SUPP,,,,Mumbai,IN",
            "Supplier 2,IFSC:HDFC0000240/50100012345671,HDFCINBBXXX,INR,2500.00,send,EUR,inv 2,E2E-10,SHA,2026-11-03,SUPP,,,,Mumbai,IN",
        ]
        let file = company.books.directory.appendingPathComponent("again.csv")
        try ([Self.header] + lines).joined(separator: "\n").appending("\n")
            .write(to: file, atomically: true, encoding: .utf8)
        let second = try company.engine.importBatch(
            path: file.path, company: "acme", acceptValid: false, company.context(company.mei))
        let quoted = try company.engine.quoteBatch(second.id, company.context(company.mei))
        let flagged = quoted.items.map { $0.flags.contains { $0.hasPrefix("possible duplicate") } }
        // E2E-1 repeats an EndToEndId; the third item repeats beneficiary, amount and reference.
        #expect(flagged == [true, false, true])
        #expect(quoted.warnings.contains { $0.contains("2 items may repeat") })
        let approved = try company.engine.approveBatch(second.id, company.context(ana))
        #expect(approved.items.map(\.status) == ["quoted", "approved", "quoted"])
        let report = try company.engine.batchReport(second.id, as: company.mei)
        #expect(report.items.map(\.status) == [.pdng, .accp, .pdng])
        #expect(report.items[0].reasonText?.hasPrefix("held: possible duplicate of payout") == true)
        #expect(approved.warnings.contains { $0.contains("2 possible duplicates are held") })
    }

    @Test func aBatchOfOnlyDuplicatesNeedsAnApprovalThatNamesThem() throws {
        let (company, first, ana, ben) = try Self.imported()
        _ = try company.engine.quoteBatch(first.id, company.context(company.mei))
        _ = try company.engine.approveBatch(first.id, company.context(ana))
        let file = company.books.directory.appendingPathComponent("batch.csv")
        var text = try String(contentsOf: file, encoding: .utf8)
        text += "# the same file, sent again\n"
        try text.write(to: file, atomically: true, encoding: .utf8)
        let again = try company.engine.importBatch(
            path: file.path, company: "acme", acceptValid: false, company.context(company.mei))
        #expect(again.id != first.id, "another MsgId: the bytes differ")
        _ = try company.engine.quoteBatch(again.id, company.context(company.mei))
        #expect(throws: BatchError.onlyDuplicates(id: again.id, count: 2)) {
            try company.engine.approveBatch(again.id, company.context(ana))
        }
        let approved = try company.engine.approveBatch(
            again.id, includeDuplicates: true, company.context(ben))
        #expect(approved.items.map(\.status) == ["approved", "approved"])
    }
}

extension BatchLifecycleTests {
    /// Two approvers approve the same payouts: the second cannot take in the possible
    /// duplicates the first left out (nor leave out those the first took in).
    @Test func everyApproverOfABatchApprovesTheSamePossibleDuplicates() throws {
        let (company, first, ana, ben) = try Self.imported()
        _ = try company.engine.quoteBatch(first.id, company.context(company.mei))
        _ = try company.engine.approveBatch(first.id, company.context(ana))
        let file = company.books.directory.appendingPathComponent("batch.csv")
        var text = try String(contentsOf: file, encoding: .utf8)
        text += "# the same file, sent again, with one more payment\n"
        text +=
            "Supplier 9,IFSC:HDFC0000240/50100012345679,HDFCINBBXXX,INR,3100.00,send,EUR,inv 9,E2E-9,SHA,2026-11-03,SUPP,,,,Mumbai,IN\n"
        try text.write(to: file, atomically: true, encoding: .utf8)
        let again = try company.engine.importBatch(
            path: file.path, company: "acme", acceptValid: false, company.context(company.mei))
        _ = try company.engine.setCompanyPolicy(
            company: "acme", secondApprovalOver: "1.00 EUR", company.context(company.mei))
        let quoted = try company.engine.quoteBatch(again.id, company.context(company.mei))
        #expect(quoted.approvalsNeeded == 2)
        _ = try company.engine.approveBatch(again.id, company.context(ana))
        #expect(
            throws: BatchError.duplicatesDiffer(id: again.id, approvals: ["ana"], included: false)
        ) {
            try company.engine.approveBatch(again.id, includeDuplicates: true, company.context(ben))
        }
        let approved = try company.engine.approveBatch(again.id, company.context(ben))
        #expect(approved.batch.status == "approved")
        #expect(approved.items.map(\.status) == ["quoted", "quoted", "approved"])
    }
}

extension BatchLifecycleTests {
    @Test func aShortBatchIsFundedByTheConversionItsQuoteProposed() throws {
        let (company, batch, ana, _) = try Self.imported(["60000.00", "50000.00"])
        let quoted = try company.engine.quoteBatch(batch.id, company.context(company.mei))
        #expect(quoted.funding.map(\.short) == [true])
        #expect(quoted.funding.first?.proposal == nil, "the USD wallet is empty")
        _ = try company.engine.fundWallet(
            company: "acme", amount: "20000.00 USD", key: "usd", company.context(company.mei))
        let proposed = try company.engine.batchStatus(batch.id, as: company.mei)
        let proposal = try #require(proposed.funding.first?.proposal)
        #expect(proposal.hasPrefix("convert ") && proposal.contains(" USD into "))
        let approved = try company.engine.approveBatch(batch.id, company.context(ana))
        #expect(approved.batch.status == "approved")
        #expect(approved.warnings.contains { $0.hasPrefix("converted for batch") })
        let eur = try company.books.balance("wallet:acme:EUR")
        #expect(try Money.parse("\(eur.available) EUR").minorUnits >= 0)
        #expect(try company.engine.verifyLedger(as: company.books.admin).problems.isEmpty)
    }
}

extension BatchLifecycleTests {
    @Test func aBatchCancelledBeforeReleaseLeavesEveryCentInTheWallet() throws {
        let (company, batch, ana, _) = try Self.imported()
        _ = try company.engine.quoteBatch(batch.id, company.context(company.mei))
        _ = try company.engine.approveBatch(batch.id, company.context(ana))
        _ = try company.engine.submitBatch(batch.id, company.context(ana))
        let cancelled = try company.engine.cancelBatch(batch.id, company.context(ana))
        #expect(cancelled.batch.status == "cancelled")
        #expect(cancelled.items.map(\.status) == ["cancelled", "cancelled"])
        let wallet = try company.books.balance("wallet:acme:EUR")
        #expect(wallet.booked == "100000.00")
        #expect(wallet.available == "100000.00")
        // Past the cut-off nothing is released, and the report says why.
        company.books.clock.advance(milliseconds: 3 * 24 * 3_600_000)
        _ = try company.engine.runDueJobs(worker: "t")
        #expect(try Self.statuses(company, batch.id) == ["RJCT DS02", "RJCT DS02"])
        #expect(try company.books.balance("wallet:acme:EUR").booked == "100000.00")
        // Cancelling again changes nothing.
        #expect(
            try company.engine.cancelBatch(batch.id, company.context(ana)).batch.status
                == "cancelled")
    }

    @Test func aBatchWithPayoutsOnTheirWayCannotBeCancelled() throws {
        let (company, batch, ana, _) = try Self.imported()
        _ = try company.engine.quoteBatch(batch.id, company.context(company.mei))
        _ = try company.engine.approveBatch(batch.id, company.context(ana))
        _ = try company.engine.submitBatch(batch.id, company.context(ana))
        company.books.clock.advance(milliseconds: 32 * 3_600_000)
        _ = try company.engine.runDueJobs(worker: "t")
        #expect(throws: BatchError.self) {
            try company.engine.cancelBatch(batch.id, company.context(ana))
        }
    }
}

extension BatchLifecycleTests {
    /// Items are stored as JSON and read back by a reader of flat string objects: quotes,
    /// backslashes and letters beyond ASCII in a file come back exactly.
    @Test func namesWithQuotesBackslashesAndAccentsComeBackFromTheStoredItemExactly() throws {
        let (company, _, _) = try PayoutApprovalTests.company()
        let name = #"Müller "Söhne" \ Co — Ωmega"#
        let csvName = "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        let line =
            "\(csvName),IFSC:HDFC0000240/50100012345699,HDFCINBBXXX,INR,1000.00,send,EUR,inv \\ 7,E2E-\"x\"-7,SHA,2026-11-03,SUPP,Rue \"A\",,,Mumbai,IN"
        let file = company.books.directory.appendingPathComponent("names.csv")
        try ([Self.header, line].joined(separator: "\n") + "\n")
            .write(to: file, atomically: true, encoding: .utf8)
        let batch = try company.engine.importBatch(
            path: file.path, company: "acme", acceptValid: false, company.context(company.mei))
        let quoted = try company.engine.quoteBatch(batch.id, company.context(company.mei))
        let item = try #require(quoted.items.first)
        #expect(item.endToEndID == #"E2E-"x"-7"#)
        let beneficiary = try #require(item.beneficiary)
        let shown = try company.engine.beneficiary(
            company: "acme", id: beneficiary, as: company.mei)
        #expect(shown.name == name)
    }
}
