import FundflowCore
import FundflowEngine
import FundflowStore
import Testing

/// A company with a treasurer (mei), a viewer (vic) and an outsider treasurer (bob, no membership).
final class CompanyBooks: Sendable {
    let books: TestBooks
    let mei: Actor
    let vic: Actor
    let bob: Actor
    var engine: Engine { books.engine }

    init() throws {
        books = try TestBooks()
        for (name, role) in [("mei", Role.treasurer), ("vic", .viewer), ("bob", .treasurer)] {
            _ = try books.engine.addUser(name: name, role: role, pin: "1234", books.context())
        }
        mei = try books.engine.authenticate(name: "mei", pin: "1234", source: "t")
        vic = try books.engine.authenticate(name: "vic", pin: "1234", source: "t")
        bob = try books.engine.authenticate(name: "bob", pin: "1234", source: "t")
        _ = try books.engine.createCompany(
            id: "acme", name: "Acme GmbH", country: "DE", books.context())
        _ = try books.engine.addMember(
            company: "acme", user: "mei", role: "treasurer", books.context())
        _ = try books.engine.addMember(
            company: "acme", user: "vic", role: "viewer", books.context())
    }

    func context(_ actor: Actor) -> CommandContext { books.context("test", as: actor) }

    /// EUR and USD wallets, 100,000.00 EUR funded.
    func funded() throws -> CompanyBooks {
        _ = try engine.openWallet(company: "acme", currency: "EUR", bank: nil, context(mei))
        _ = try engine.openWallet(company: "acme", currency: "USD", bank: nil, context(mei))
        _ = try engine.fundWallet(
            company: "acme", amount: "100000.00 EUR", key: "fund", context(mei))
        return self
    }
}

@Suite struct WalletTests {
    @Test func fundingDebitsTheServicingBanksNostroAndCreditsTheWallet() throws {
        let company = try CompanyBooks().funded()
        #expect(try company.books.balance("wallet:acme:EUR").booked == "100000.00")
        #expect(try company.books.balance("nostro:DEUTDEFFXXX:EUR").booked == "100000.00")
        #expect(
            try company.engine.company("acme", as: company.mei).wallets.map(\.bank) == [
                "DEUTDEFFXXX", "CHASUS33XXX",
            ])
    }

    @Test func aConversionIsOneFXTransferThroughThePositionWithTheMarginAsRevenue() throws {
        let company = try CompanyBooks().funded()
        let converted = try company.engine.convertWallet(
            company: "acme", amount: "10000.00 EUR", to: "USD", quote: nil, marginBps: 25,
            key: "fx", company.context(company.mei))
        // position 10000 × 1.1172 = 11172.00 USD; customer = round_half_even(11172 × 0.9975) = 11144.07
        #expect(converted.value.conversion.amount == "11144.07")
        #expect(try company.books.balance("wallet:acme:USD").booked == "11144.07")
        #expect(try company.books.balance("fx:position:USD").booked == "-11172.00")
        #expect(try company.books.balance("fx:position:EUR").booked == "10000.00")
        #expect(try company.books.balance("fx:revenue:USD").booked == "27.93")
        let transfer = try company.engine.store.read {
            try $0.transfer(id: converted.value.transferID)
        }
        #expect(transfer?.legs.count == 5)
        #expect(try company.engine.verifyLedger(as: company.books.admin).problems == [])
    }

    @Test func aQuoteIsUsedOnceAndNotAfterItExpires() throws {
        let company = try CompanyBooks().funded()
        let quote = try company.engine.quoteFX(
            amount: "1000.00 EUR", to: "USD", marginBps: 10, validSeconds: 60,
            company.context(company.mei))
        let first = try company.engine.convertWallet(
            company: "acme", amount: "1000.00 EUR", to: "USD", quote: quote.id, marginBps: 0,
            key: "q1", company.context(company.mei))
        #expect(first.value.conversion.amount == quote.conversion.amount)
        #expect(throws: RatesError.quoteUsed(quote.id)) {
            try company.engine.convertWallet(
                company: "acme", amount: "1000.00 EUR", to: "USD", quote: quote.id, marginBps: 0,
                key: "q2",
                company.context(company.mei))
        }
        let late = try company.engine.quoteFX(
            amount: "1000.00 EUR", to: "USD", marginBps: 10, validSeconds: 60,
            company.context(company.mei))
        company.books.clock.advance(milliseconds: 60_000)
        #expect(throws: RatesError.quoteExpired(late.id, at: late.expiresAt)) {
            try company.engine.convertWallet(
                company: "acme", amount: "1000.00 EUR", to: "USD", quote: late.id, marginBps: 0,
                key: "q3",
                company.context(company.mei))
        }
    }

    @Test func theBalanceGivesAnEquivalentTotalAndTheRateDate() throws {
        let company = try CompanyBooks().funded()
        _ = try company.engine.convertWallet(
            company: "acme", amount: "10000.00 EUR", to: "USD", quote: nil, marginBps: 0, key: "fx",
            company.context(company.mei))
        let balance = try company.engine.walletBalance(company: "acme", in: "EUR", as: company.vic)
        #expect(balance.lines.map(\.booked) == ["90000.00", "11172.00"])
        #expect(balance.total == "100000.00")
        #expect(balance.rateDate == "2026-10-30")
    }

    @Test func theStatementRunsTheBalanceAndStartsFromTheOpeningBalance() throws {
        let company = try CompanyBooks().funded()
        company.books.clock.advance(milliseconds: 86_400_000)
        _ = try company.engine.withdrawWallet(
            company: "acme", amount: "2500.00 EUR", key: "wd", company.context(company.mei))
        let all = try company.engine.walletStatement(
            company: "acme", currency: "EUR", from: nil, to: nil, as: company.mei)
        #expect(all.lines.map(\.balance) == ["100000.00", "97500.00"])
        let later = try company.engine.walletStatement(
            company: "acme", currency: "EUR", from: "2026-11-03", to: nil, as: company.mei)
        #expect(later.opening == "100000.00")
        #expect(later.lines.map(\.amount) == ["-2500.00"])
        #expect(later.closing == "97500.00")
    }
}

/// Users act only for companies they belong to: every command that sees or moves a company's
/// money refuses an outsider, even one who is a treasurer elsewhere.
@Suite struct CompanyMembershipTests {
    static let refusal = CompanyError.notMember(user: "bob", company: "acme")

    @Test func anOutsiderCannotOpenAWallet() throws {
        let company = try CompanyBooks()
        #expect(throws: Self.refusal) {
            try company.engine.openWallet(
                company: "acme", currency: "EUR", bank: nil, company.context(company.bob))
        }
    }

    @Test func anOutsiderCannotFundAWallet() throws {
        let company = try CompanyBooks().funded()
        #expect(throws: Self.refusal) {
            try company.engine.fundWallet(
                company: "acme", amount: "1.00 EUR", key: nil, company.context(company.bob))
        }
    }

    @Test func anOutsiderCannotConvert() throws {
        let company = try CompanyBooks().funded()
        #expect(throws: Self.refusal) {
            try company.engine.convertWallet(
                company: "acme", amount: "1.00 EUR", to: "USD", quote: nil, marginBps: 0, key: nil,
                company.context(company.bob))
        }
    }

    @Test func anOutsiderCannotWithdraw() throws {
        let company = try CompanyBooks().funded()
        #expect(throws: Self.refusal) {
            try company.engine.withdrawWallet(
                company: "acme", amount: "1.00 EUR", key: nil, company.context(company.bob))
        }
        #expect(try company.books.balance("wallet:acme:EUR").booked == "100000.00")
    }

    @Test func anOutsiderCannotSetThePolicy() throws {
        let company = try CompanyBooks()
        #expect(throws: Self.refusal) {
            try company.engine.setCompanyPolicy(
                company: "acme", secondApprovalOver: "1.00 EUR", company.context(company.bob))
        }
    }

    @Test func anOutsiderCannotSeeTheCompanyItsBalancesOrStatements() throws {
        let company = try CompanyBooks().funded()
        #expect(throws: Self.refusal) { try company.engine.company("acme", as: company.bob) }
        #expect(throws: Self.refusal) {
            try company.engine.walletBalance(company: "acme", in: nil, as: company.bob)
        }
        #expect(throws: Self.refusal) {
            try company.engine.walletStatement(
                company: "acme", currency: "EUR", from: nil, to: nil, as: company.bob)
        }
        #expect(try company.engine.companies(as: company.bob).isEmpty)
    }

    @Test func aViewerSeesButCannotMoveMoney() throws {
        let company = try CompanyBooks().funded()
        #expect(
            try company.engine.walletBalance(company: "acme", in: nil, as: company.vic).lines.count
                == 2)
        #expect(
            throws: CompanyError.roleNotAllowed(
                user: "vic", role: "viewer", company: "acme", needed: "treasurer")
        ) {
            try company.engine.fundWallet(
                company: "acme", amount: "1.00 EUR", key: nil, company.context(company.vic))
        }
    }

    @Test func onlyAdminsCreateCompaniesAndAddMembers() throws {
        let company = try CompanyBooks()
        #expect(throws: EngineError.self) {
            try company.engine.createCompany(
                id: "evil", name: "Evil", country: "DE", company.context(company.mei))
        }
        #expect(throws: EngineError.self) {
            try company.engine.addMember(
                company: "acme", user: "bob", role: "treasurer", company.context(company.mei))
        }
    }
}
