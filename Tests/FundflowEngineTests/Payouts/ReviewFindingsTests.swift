import Foundation
import FundflowCore
import FundflowEngine
import FundflowFormats
import Testing

/// Findings of a review of the payout execution and batch code, each a test of what must hold.
@Suite struct ReviewFindingsTests {
    static let day: Int64 = 24 * 3_600_000

    static func statuses(_ company: CompanyBooks, _ id: Int64) throws -> [String] {
        try company.engine.batchStatus(id, as: company.mei).items.map(\.status)
    }

    static func minor(_ text: String, _ currency: String) throws -> Int64 {
        try Money.parse("\(text) \(currency)").minorUnits
    }

    static func importCSV(
        _ company: CompanyBooks, _ name: String, _ lines: [String]
    ) throws -> BatchView {
        let file = company.books.directory.appendingPathComponent(name)
        try ([BatchLifecycleTests.header] + lines).joined(separator: "\n").appending("\n")
            .write(to: file, atomically: true, encoding: .utf8)
        return try company.engine.importBatch(
            path: file.path, company: "acme", acceptValid: false, company.context(company.mei))
    }

    /// A cancelled batch payout must stay cancelled: `batch quote` re-quotes expired items and
    /// today sets any expired payout back to `quoted`, so the batch approval holds and pays it.
    @Test func aCancelledBatchPayoutStaysCancelledWhenTheBatchIsQuotedAgain() throws {
        let (company, batch, ana, _) = try BatchLifecycleTests.imported()
        let quoted = try company.engine.quoteBatch(
            batch.id, validSeconds: 60, company.context(company.mei))
        let first = try #require(quoted.items[0].payout)
        _ = try company.engine.cancelPayout("\(first)", company.context(company.mei))
        #expect(try Self.statuses(company, batch.id) == ["cancelled", "quoted"])
        company.books.clock.advance(milliseconds: 5 * 60_000)
        _ = try company.engine.quoteBatch(batch.id, company.context(company.mei))
        #expect(try Self.statuses(company, batch.id) == ["cancelled", "quoted"])
        let approved = try company.engine.approveBatch(batch.id, company.context(ana))
        #expect(approved.items.map(\.status) == ["cancelled", "approved"])
        let second = try Self.minor(approved.items[1].debited, "EUR")
        let wallet = try company.books.balance("wallet:acme:EUR")
        #expect(
            try Self.minor(wallet.available, "EUR") == 10_000_000 - second,
            "only the payout nobody cancelled is held")
    }

    /// A batch payout approved on its own (nothing stops `payout approve` on a batch item) and
    /// then re-quoted by `batch quote`: its hold is dropped from the payout but stays pending, and
    /// the batch can no longer be approved (the hold key is taken).
    @Test func batchQuoteNeverRewritesAPayoutThatHoldsMoney() throws {
        let (company, ana, _) = try PayoutApprovalTests.company()
        let batch = try Self.importCSV(
            company, "tata.csv",
            [
                "Tata Steel Ltd,IFSC:HDFC0000240/50100012345678,HDFCINBBXXX,INR,1000.00,send,EUR,inv 1,E2E-T1,SHA,2026-11-03,SUPP,,,,Mumbai,IN",
                "Supplier 2,IFSC:HDFC0000240/50100012345671,HDFCINBBXXX,INR,2500.00,send,EUR,inv 2,E2E-T2,SHA,2026-11-03,SUPP,,,,Mumbai,IN",
            ])
        let quoted = try company.engine.quoteBatch(
            batch.id, validSeconds: 60, company.context(company.mei))
        #expect(quoted.items[0].beneficiary == "tata")
        let tata = try #require(quoted.items[0].payout)
        // A batch item is approved with its batch, never on its own.
        #expect(throws: PayoutError.inBatch(id: tata, batch: batch.id)) {
            try company.engine.approvePayout("\(tata)", company.context(ana))
        }
        company.books.clock.advance(milliseconds: 5 * 60_000)
        _ = try company.engine.quoteBatch(batch.id, company.context(company.mei))
        #expect(try company.engine.payout("\(tata)", as: company.mei).status == "quoted")
        let wallet = try company.books.balance("wallet:acme:EUR")
        let held = 10_000_000 - (try Self.minor(wallet.available, "EUR"))
        let approvedHolds = try company.engine.payouts(
            company: "acme", status: .approved, as: company.mei
        ).map { try Self.minor($0.quote.debited, "EUR") }.reduce(0, +)
        #expect(held == approvedHolds, "every held euro belongs to an approved payout")
        #expect(throws: Never.self) {
            _ = try company.engine.approveBatch(batch.id, company.context(ana))
        }
    }

    /// A held duplicate is paid only through `batch approve --include-duplicates`; `payout approve`
    /// on it releases it on its own (before the batch is approved or submitted).
    @Test func aHeldDuplicateIsNotReleasedOnItsOwn() throws {
        let (company, first, ana, _) = try BatchLifecycleTests.imported()
        _ = try company.engine.quoteBatch(first.id, company.context(company.mei))
        _ = try company.engine.approveBatch(first.id, company.context(ana))
        let second = try Self.importCSV(
            company, "again.csv",
            [
                "Supplier 1,IFSC:HDFC0000240/50100012345670,HDFCINBBXXX,INR,1000.00,send,EUR,inv 1,E2E-1,SHA,2026-11-03,SUPP,,,,Mumbai,IN"
            ])
        let quoted = try company.engine.quoteBatch(second.id, company.context(company.mei))
        #expect(quoted.items[0].flags.contains { $0.hasPrefix("possible duplicate") })
        let duplicate = try #require(quoted.items[0].payout)
        _ = try? company.engine.approvePayout("\(duplicate)", company.context(ana))
        company.books.clock.advance(milliseconds: 2 * Self.day)
        _ = try company.engine.runDueJobs(worker: "t")
        #expect(
            try company.engine.payout("\(duplicate)", as: company.mei).status == "quoted",
            "neither the batch nor the duplicate was approved as a batch")
    }

    /// A batch whose held duplicate was never paid is not `completed`.
    @Test func aBatchWithAnUnpaidItemIsNotCompleted() throws {
        let (company, first, ana, _) = try BatchLifecycleTests.imported()
        _ = try company.engine.quoteBatch(first.id, company.context(company.mei))
        _ = try company.engine.approveBatch(first.id, company.context(ana))
        let second = try Self.importCSV(
            company, "again.csv",
            [
                "Supplier 1,IFSC:HDFC0000240/50100012345670,HDFCINBBXXX,INR,1000.00,send,EUR,inv 1,E2E-1,SHA,2026-11-03,SUPP,,,,Mumbai,IN",
                "Supplier 2,IFSC:HDFC0000240/50100012345671,HDFCINBBXXX,INR,2500.00,send,EUR,inv 9,E2E-9,SHA,2026-11-03,SUPP,,,,Mumbai,IN",
            ])
        _ = try company.engine.quoteBatch(second.id, company.context(company.mei))
        _ = try company.engine.approveBatch(second.id, company.context(ana))
        _ = try company.engine.submitBatch(second.id, company.context(ana))
        company.books.clock.advance(milliseconds: 12 * Self.day)
        _ = try company.engine.runDueJobs(worker: "t")
        let status = try company.engine.batchStatus(second.id, as: company.mei)
        #expect(status.items.map(\.status) == ["quoted", "credited"])
        #expect(status.batch.status != "completed", "one of its two payments was never paid")
    }

    /// Re-quoting a half-approved batch with `batch quote` must not keep the first approval when
    /// the batch now debits more (`batch approve` and `payout approve` both drop it).
    @Test func aBatchRequotedToDebitMoreNeedsBothApprovalsAgain() throws {
        let (company, batch, ana, ben) = try BatchLifecycleTests.imported(["6000.00", "5000.00"])
        _ = try company.engine.setCompanyPolicy(
            company: "acme", secondApprovalOver: "1000.00 EUR", company.context(company.mei))
        let quoted = try company.engine.quoteBatch(
            batch.id, validSeconds: 60, company.context(company.mei))
        let first = try company.engine.approveBatch(batch.id, company.context(ana))
        #expect(first.approvals == ["ana"])
        // DEUTDEFFXXX doubles its EUR debtor fee (as in PayoutApprovalTests).
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let copy = company.books.directory.appendingPathComponent("network")
        try FileManager.default.copyItem(at: root.appendingPathComponent("rates/network"), to: copy)
        let fees = copy.appendingPathComponent("fees.csv")
        let text = try String(contentsOf: fees, encoding: .utf8)
        let line = try #require(
            text.split(separator: "\n").first { $0.hasPrefix("DEUTDEFFXXX,EUR,debtor,") })
        var fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        fields[3] = "\(try #require(Decimal(string: fields[3])) * 2 + 10)"
        try text.replacingOccurrences(of: String(line), with: fields.joined(separator: ","))
            .write(to: fees, atomically: true, encoding: .utf8)
        _ = try company.engine.loadNetwork(directory: copy.path, company.books.context())
        company.books.clock.advance(milliseconds: 5 * 60_000)
        let requoted = try company.engine.quoteBatch(batch.id, company.context(company.mei))
        #expect(
            try Self.minor(requoted.debits[0].amount, "EUR")
                > Self.minor(quoted.debits[0].amount, "EUR"), "the batch debits more now")
        let second = try company.engine.approveBatch(batch.id, company.context(ben))
        #expect(
            second.batch.status == "quoted",
            "ana approved a smaller debit; the larger one has only ben's approval")
    }

    /// An item whose UETR an earlier payout already carries is a possible duplicate (DESIGN.md §4);
    /// today the payout insert hits `payout.uetr UNIQUE` and the whole `batch quote` fails.
    @Test func aRepeatedUETRIsFlaggedNotAFailure() throws {
        let (company, _, _) = try PayoutApprovalTests.company()
        func file(_ message: String, _ endToEnd: String) throws -> BatchView {
            let xml = """
                <?xml version="1.0" encoding="UTF-8"?>
                <Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.09">
                  <CstmrCdtTrfInitn>
                    <GrpHdr><MsgId>\(message)</MsgId><CreDtTm>2026-11-02T08:00:00</CreDtTm>
                      <NbOfTxs>1</NbOfTxs><CtrlSum>1000.00</CtrlSum><InitgPty><Nm>Acme</Nm></InitgPty></GrpHdr>
                    <PmtInf>
                      <PmtInfId>B1</PmtInfId><PmtMtd>TRF</PmtMtd><NbOfTxs>1</NbOfTxs><CtrlSum>1000.00</CtrlSum>
                      <ReqdExctnDt><Dt>2026-11-03</Dt></ReqdExctnDt>
                      <Dbtr><Nm>Acme</Nm></Dbtr>
                      <DbtrAcct><Id><IBAN>DE89370400440532013000</IBAN></Id><Ccy>EUR</Ccy></DbtrAcct>
                      <DbtrAgt><FinInstnId><BICFI>DEUTDEFFXXX</BICFI></FinInstnId></DbtrAgt>
                      <ChrgBr>SLEV</ChrgBr>
                      <CdtTrfTxInf>
                        <PmtId><EndToEndId>\(endToEnd)</EndToEndId><UETR>235d1eb5-8dd7-4c1a-8ece-559df8c67da1</UETR></PmtId>
                        <Amt><InstdAmt Ccy="EUR">1000.00</InstdAmt></Amt>
                        <CdtrAgt><FinInstnId><BICFI>COBADEFFXXX</BICFI></FinInstnId></CdtrAgt>
                        <Cdtr><Nm>Lieferant GmbH</Nm></Cdtr>
                        <CdtrAcct><Id><IBAN>DE02120300000000202051</IBAN></Id></CdtrAcct>
                      </CdtTrfTxInf>
                    </PmtInf>
                  </CstmrCdtTrfInitn>
                </Document>
                """
            let path = company.books.directory.appendingPathComponent("\(message).xml")
            try xml.write(to: path, atomically: true, encoding: .utf8)
            return try company.engine.importBatch(
                path: path.path, company: "acme", acceptValid: false, company.context(company.mei))
        }
        let first = try file("MSG-1", "E2E-A")
        _ = try company.engine.quoteBatch(first.id, company.context(company.mei))
        let second = try file("MSG-2", "E2E-B")
        #expect(throws: Never.self) {
            let quoted = try company.engine.quoteBatch(second.id, company.context(company.mei))
            #expect(quoted.items[0].flags.contains { $0.hasPrefix("possible duplicate") })
        }
    }
}

extension ReviewFindingsTests {
    /// A 1,000 EUR payout to a JPY account on a route where DEUTDEFFXXX converts to JPY, rejected
    /// with AC01 at BOTKJPJTXXX and returned (in JPY); with `openWallet`, acme has a JPY wallet
    /// (serviced by its default bank) before.
    static func returnedInJPY(openWallet: Bool = false) throws -> (CompanyBooks, PayoutView) {
        let (company, ana, _) = try PayoutApprovalTests.company()
        if openWallet {
            _ = try company.engine.openWallet(
                company: "acme", currency: "JPY", bank: nil, company.context(company.mei))
        }
        _ = try company.engine.addBeneficiary(
            company: "acme", id: "mufg",
            BeneficiaryInput(
                name: "Acme KK", account: "ACCT:1234567", bank: "BOTKJPJTXXX",
                currency: "JPY", country: "JP", address: .init(town: "Tokyo"), purpose: nil),
            company.context(company.mei))
        _ = try company.engine.approveBeneficiary(company: "acme", id: "mufg", company.context(ana))
        var found: PayoutView?
        for rank in 1...8 {
            guard
                let payout = try? company.engine.createPayout(
                    PayoutRequest(
                        company: "acme", beneficiary: "mufg", send: "1000.00 EUR",
                        route: "\(rank)"), company.context(company.mei)
                ).value
            else { break }
            if payout.quote.linkCurrencies.first == "JPY" {
                found = payout
                break
            }
        }
        let payout = try #require(found, "a route on which DEUTDEFFXXX converts EUR to JPY")
        // The quotes made to find that route look like each other: this one is meant.
        _ = try company.engine.approvePayout(
            "\(payout.id)", confirmDuplicate: true, company.context(ana))
        _ = try company.engine.failBank(
            "BOTKJPJTXXX", reason: "AC01", share: "1", seed: 1, company.books.context())
        company.books.clock.advance(milliseconds: 7 * 3_600_000)
        _ = try company.engine.runDueJobs(worker: "t")
        company.books.clock.advance(milliseconds: 10 * Self.day)
        _ = try company.engine.runDueJobs(worker: "t")
        return (company, payout)
    }
}

extension ReviewFindingsTests {
    /// The same with a return in a currency the company has no wallet for: the money is booked to
    /// `wallet:acme:JPY`, an account with no wallet row, which `wallet balance` does not show.
    @Test func aReturnInACurrencyWithoutAWalletIsVisible() throws {
        let (company, payout) = try Self.returnedInJPY()
        let returned = try company.engine.payout("\(payout.id)", as: company.mei)
        #expect(returned.status == "returned")
        print("outcome: \(returned.outcome ?? "")")
        let jpy = try company.books.balance("wallet:acme:JPY")
        print(
            "wallet:acme:JPY \(jpy.booked); nostro:DEUTDEFFXXX:JPY \(try company.books.balance("nostro:DEUTDEFFXXX:JPY").booked)"
        )
        let balance = try company.engine.walletBalance(company: "acme", in: "EUR", as: company.mei)
        #expect(
            balance.lines.map(\.currency).contains("JPY"),
            "acme's JPY is shown: \(balance.lines.map(\.currency))")
    }

    @Test func aReturnReachesTheBankThatServicesTheWalletOfItsCurrency() throws {
        let (company, payout) = try Self.returnedInJPY(openWallet: true)
        #expect(try company.engine.payout("\(payout.id)", as: company.mei).status == "returned")
        let wallet = try company.books.balance("wallet:acme:JPY").booked
        #expect(wallet != "0")
        #expect(try company.books.balance("nostro:DEUTDEFFXXX:JPY").booked == "0")
        #expect(
            try company.books.balance("nostro:MHCBJPJTXXX:JPY").booked == wallet,
            "the money is at the bank that services acme's JPY wallet")
        #expect(try company.engine.verifyLedger(as: company.books.admin).problems == [])
    }

    /// A submitted batch whose payouts were all cancelled before their cut-off: nothing was
    /// released, nothing failed.
    @Test func aBatchWhosePayoutsWereCancelledIsNeitherReleasedNorPartlyCompleted() throws {
        let (company, batch, ana, _) = try BatchLifecycleTests.imported()
        let quoted = try company.engine.quoteBatch(batch.id, company.context(company.mei))
        _ = try company.engine.approveBatch(batch.id, company.context(ana))
        _ = try company.engine.submitBatch(batch.id, company.context(ana))
        _ = try company.engine.cancelPayout(
            "\(try #require(quoted.items[0].payout))", company.context(ana))
        let one = try company.engine.batchStatus(batch.id, as: company.mei).batch.status
        #expect(one == "scheduled", "one cancelled, one waiting for its cut-off: \(one)")
        _ = try company.engine.cancelPayout(
            "\(try #require(quoted.items[1].payout))", company.context(ana))
        let both = try company.engine.batchStatus(batch.id, as: company.mei).batch.status
        #expect(both == "cancelled", "every payout cancelled: \(both)")
    }

    /// Cancelling before release gives all the money back (DESIGN.md §5), also when the approval
    /// converted from another wallet to cover the debit.
    @Test func cancellingAFundedPayoutUndoesItsConversion() throws {
        let (company, ana, _) = try PayoutApprovalTests.company()
        let quoted = try company.engine.createPayout(
            PayoutRequest(company: "acme", beneficiary: "tata", send: "1000.00 USD"),
            company.context(company.mei)
        ).value
        _ = try company.engine.approvePayout("\(quoted.id)", company.context(ana))
        _ = try company.engine.cancelPayout("\(quoted.id)", company.context(ana))
        let eur = try company.books.balance("wallet:acme:EUR")
        let usd = try company.books.balance("wallet:acme:USD")
        print("after cancel: EUR \(eur.booked), USD \(usd.booked)")
        #expect(eur.booked == "100000.00" && usd.booked == "0.00")
    }
}

extension ReviewFindingsTests {
    /// A beneficiary changed after the batch was quoted is not paid on the old quote.
    @Test func aBeneficiaryChangedAfterTheQuoteStopsTheBatchApproval() throws {
        let (company, batch, ana, _) = try BatchLifecycleTests.imported()
        let quoted = try company.engine.quoteBatch(batch.id, company.context(company.mei))
        let id = try #require(quoted.items[0].beneficiary)
        _ = try company.engine.changeBeneficiary(
            company: "acme", id: id,
            BeneficiaryInput(
                name: "Supplier 1 (new account)", account: "IFSC:HDFC0000240/50100099990000",
                bank: "HDFCINBBXXX", currency: "INR", country: "IN",
                address: .init(town: "Mumbai"), purpose: "SUPP"),
            company.context(company.mei))
        #expect(throws: PayoutError.beneficiaryNotApproved(id)) {
            try company.engine.approveBatch(batch.id, company.context(ana))
        }
        #expect(try company.books.balance("wallet:acme:EUR").available == "100000.00")
    }
}

extension ReviewFindingsTests {
    /// A batch funded by a conversion and then cancelled gives every wallet back what it had.
    @Test func cancellingAFundedBatchUndoesItsConversion() throws {
        let (company, batch, _, ana) = try BatchHeldDuplicateTests.converted()
        _ = try company.engine.cancelBatch(batch.id, company.context(ana))
        #expect(try company.books.balance("wallet:acme:EUR").booked == "100000.00")
        #expect(try company.books.balance("wallet:acme:USD").booked == "20000.00")
        #expect(try company.books.balance("wallet:acme:USD").available == "20000.00")
        #expect(try company.engine.verifyLedger(as: company.books.admin).problems.isEmpty)
    }
}
