import Foundation
import FundflowCore
import FundflowEngine
import Testing

@Suite struct PayoutApprovalTests {
    /// acme as in `PayoutQuoteTests`, plus a second approver (ben).
    static func company() throws -> (CompanyBooks, ana: Actor, ben: Actor) {
        let company = try PayoutQuoteTests.company()
        _ = try company.engine.addUser(
            name: "ben", role: .approver, pin: "1234", company.books.context())
        _ = try company.engine.addMember(
            company: "acme", user: "ben", role: "approver", company.books.context())
        let ana = try company.engine.authenticate(name: "ana", pin: "1234", source: "t")
        let ben = try company.engine.authenticate(name: "ben", pin: "1234", source: "t")
        return (company, ana, ben)
    }

    static func quote(
        _ company: CompanyBooks, _ amount: String = "25000.00 EUR"
    ) throws -> PayoutView {
        try company.engine.createPayout(
            PayoutRequest(company: "acme", beneficiary: "tata", send: amount),
            company.context(company.mei)
        ).value
    }

    @Test func approvalByAnotherUserHoldsTheDebitOnTheWallet() throws {
        let (company, ana, _) = try Self.company()
        let quoted = try Self.quote(company)
        #expect(throws: PayoutError.ownPayout(user: "mei", id: quoted.id)) {
            try company.engine.approvePayout("\(quoted.id)", company.context(company.mei))
        }
        let approved = try company.engine.approvePayout(quoted.uetr, company.context(ana))
        #expect(approved.status == "approved")
        #expect(approved.approvals == ["ana"])
        let wallet = try company.books.balance("wallet:acme:EUR")
        #expect(wallet.booked == "100000.00")
        let debited = try Money.parsePositive("\(approved.quote.debited) EUR").minorUnits
        let available = try Money.parsePositive("\(wallet.available) EUR").minorUnits
        #expect(available == 10_000_000 - debited)
        // Approving again changes nothing.
        #expect(
            try company.engine.approvePayout("\(quoted.id)", company.context(ana)).status
                == "approved")
    }

    @Test func aboveTheThresholdTwoDifferentApproversAreNeeded() throws {
        let (company, ana, ben) = try Self.company()
        _ = try company.engine.setCompanyPolicy(
            company: "acme", secondApprovalOver: "10000.00 USD", company.context(company.mei))
        let quoted = try Self.quote(company)
        #expect(quoted.approvalsNeeded == 2)
        let first = try company.engine.approvePayout("\(quoted.id)", company.context(ana))
        #expect(first.status == "quoted")
        #expect(
            try company.books.balance("wallet:acme:EUR").available == "100000.00",
            "nothing held yet")
        #expect(throws: PayoutError.alreadyApproved(user: "ana", id: quoted.id)) {
            try company.engine.approvePayout("\(quoted.id)", company.context(ana))
        }
        let second = try company.engine.approvePayout("\(quoted.id)", company.context(ben))
        #expect(second.status == "approved")
        #expect(second.approvals == ["ana", "ben"])
        // 100 EUR is below the threshold: one approval is enough.
        #expect(try Self.quote(company, "100.00 EUR").approvalsNeeded == 1)
    }

    @Test func anExpiredQuoteIsMadeAgainAndApprovedWhenItDebitsNoMore() throws {
        let (company, ana, _) = try Self.company()
        let quoted = try Self.quote(company)
        company.books.clock.advance(milliseconds: 31 * 60_000)
        let approved = try company.engine.approvePayout("\(quoted.id)", company.context(ana))
        #expect(approved.status == "approved")
        #expect(approved.quote.debited == quoted.quote.debited)
        #expect(approved.warnings.contains { $0.contains("the quote had expired") })
    }

    @Test func anExpiredQuoteThatNowDebitsMoreWaitsForANewApproval() throws {
        let (company, ana, _) = try Self.company()
        let quoted = try Self.quote(company)
        // The servicing bank raises its fee: a copy of the default network with DEUTDEFFXXX's EUR
        // debtor fee doubled.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let copy = company.books.directory.appendingPathComponent("network")
        try FileManager.default.copyItem(at: root.appendingPathComponent("rates/network"), to: copy)
        let fees = copy.appendingPathComponent("fees.csv")
        let text = try String(contentsOf: fees, encoding: .utf8)
        let line = try #require(
            text.split(separator: "\n").first { $0.hasPrefix("DEUTDEFFXXX,EUR,debtor,") })
        var fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let fixed = try #require(Decimal(string: fields[3]))
        fields[3] = "\(fixed * 2)"
        try text.replacingOccurrences(of: String(line), with: fields.joined(separator: ","))
            .write(to: fees, atomically: true, encoding: .utf8)
        _ = try company.engine.loadNetwork(directory: copy.path, company.books.context())
        company.books.clock.advance(milliseconds: 31 * 60_000)
        let answer = try company.engine.approvePayout("\(quoted.id)", company.context(ana))
        #expect(answer.status == "quoted")
        #expect(answer.approvals.isEmpty)
        #expect(answer.warnings.contains { $0.hasPrefix("not approved") })
        #expect(
            try Money.parsePositive("\(answer.quote.debited) EUR").minorUnits
                > Money.parsePositive("\(quoted.quote.debited) EUR").minorUnits)
        #expect(try company.books.balance("wallet:acme:EUR").available == "100000.00")
    }

    @Test func cancellingBeforeReleaseLeavesAllTheMoneyInTheWallet() throws {
        let (company, ana, _) = try Self.company()
        let quoted = try Self.quote(company)
        _ = try company.engine.approvePayout("\(quoted.id)", company.context(ana))
        let cancelled = try company.engine.cancelPayout(
            "\(quoted.id)", company.context(company.mei))
        #expect(cancelled.status == "cancelled")
        let wallet = try company.books.balance("wallet:acme:EUR")
        #expect(wallet.booked == "100000.00")
        #expect(wallet.available == "100000.00")
        #expect(throws: PayoutError.notApprovable(id: quoted.id, status: "cancelled")) {
            try company.engine.approvePayout("\(quoted.id)", company.context(ana))
        }
    }

    @Test func aBeneficiaryChangedSinceTheQuoteBlocksApproval() throws {
        let (company, ana, _) = try Self.company()
        let quoted = try Self.quote(company)
        var moved = BeneficiaryTests.tata
        moved.address = .init(street: "Tata Centre", town: "Kolkata")
        _ = try company.engine.changeBeneficiary(
            company: "acme", id: "tata", moved, company.context(company.mei))
        #expect(throws: PayoutError.beneficiaryNotApproved("tata")) {
            try company.engine.approvePayout("\(quoted.id)", company.context(ana))
        }
    }
}

extension PayoutApprovalTests {
    /// A wallet that cannot cover the debit: the quote proposes the conversion from another
    /// wallet, and the approval makes it before holding the debit.
    @Test func aShortWalletIsFundedFromAnotherWalletByTheApproval() throws {
        let (company, ana, _) = try Self.company()
        let quoted = try company.engine.createPayout(
            PayoutRequest(company: "acme", beneficiary: "tata", send: "1000.00 USD"),
            company.context(company.mei)
        ).value
        let funding = try #require(quoted.quote.funding)
        #expect(funding.from.hasSuffix(" EUR"))
        #expect(quoted.warnings.contains { $0.contains("approving will convert") })
        let debit = try Money.parsePositive("\(quoted.quote.debited) USD")
        #expect(try Money.parsePositive(funding.adds).minorUnits >= debit.minorUnits)
        let approved = try company.engine.approvePayout("\(quoted.id)", company.context(ana))
        #expect(approved.status == "approved")
        #expect(approved.warnings.contains { $0.hasPrefix("converted for this payout") })
        let usd = try company.books.balance("wallet:acme:USD")
        let booked = try Money.parse("\(usd.booked) USD").minorUnits
        let available = try Money.parse("\(usd.available) USD").minorUnits
        #expect(booked >= debit.minorUnits)
        #expect(available >= 0 && available < 5, "the least conversion that covers the debit")
        let eur = try company.books.balance("wallet:acme:EUR")
        let spent = try Money.parsePositive(funding.from).minorUnits
        #expect(try Money.parse("\(eur.booked) EUR").minorUnits == 10_000_000 - spent)
        #expect(try company.engine.verifyLedger(as: company.books.admin).problems.isEmpty)
    }
}

extension PayoutApprovalTests {
    /// DESIGN.md §4: the same beneficiary and amount asked again within a minute is held until
    /// approved with --confirm-duplicate; a minute later it is a payout like any other.
    @Test func theSamePayoutAskedTwiceWithinAMinuteIsHeldUntilConfirmed() throws {
        let (company, ana, _) = try Self.company()
        let first = try Self.quote(company)
        company.books.clock.advance(milliseconds: 59_000)
        let second = try Self.quote(company)
        #expect(
            second.warnings.contains { $0.contains("possible duplicate of payout \(first.id)") })
        #expect(throws: PayoutError.heldDuplicate(id: second.id, of: first.id)) {
            try company.engine.approvePayout("\(second.id)", company.context(ana))
        }
        let confirmed = try company.engine.approvePayout(
            "\(second.id)", confirmDuplicate: true, company.context(ana))
        #expect(confirmed.status == "approved")
        company.books.clock.advance(milliseconds: 60_000)
        let third = try Self.quote(company)
        #expect(!third.warnings.contains { $0.contains("possible duplicate") })
        #expect(
            try company.engine.approvePayout("\(third.id)", company.context(ana)).status
                == "approved")
    }
}
