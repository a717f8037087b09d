import Testing

@testable import FundflowCore

/// Account names, the prefix table of DESIGN.md §3, transfer validation and balance rules.
@Suite("Ledger rules")
struct LedgerRulesTests {
    // MARK: - Builders

    static func name(_ text: String) throws -> AccountName { try AccountName(text) }

    static func account(_ text: String, _ code: String) throws -> AccountDefinition {
        try AccountDefinition.derive(
            name: AccountName(text), currency: Currency.named(code), requestedType: nil)
    }

    static func money(_ minorUnits: Int64, _ code: String) throws -> Money {
        let currency = try Currency.named(code)
        return Money(minorUnits: minorUnits, currency: currency)
    }

    static func books(_ accounts: [AccountDefinition]) -> [AccountName: AccountDefinition] {
        var byName: [AccountName: AccountDefinition] = [:]
        for account in accounts { byName[account.name] = account }
        return byName
    }

    // MARK: - Account names

    static let onlyLettersDigitsDashes =
        "may hold only letters, digits and dashes, starting with a letter or digit"

    static let badNames: [(String, String)] = [
        ("", "it is empty"),
        (String(repeating: "a", count: 121), "it is longer than 120 characters"),
        ("wallet::EUR", "it has an empty segment"),
        ("wallet:acme:", "it has an empty segment"),
        (":wallet:acme:EUR", "it has an empty segment"),
        (
            "wallet:ac me:EUR",
            "segment 'ac me' " + onlyLettersDigitsDashes
        ),
        (
            "wallet:-acme:EUR",
            "segment '-acme' " + onlyLettersDigitsDashes
        ),
        (
            "wallet:acme_1:EUR",
            "segment 'acme_1' " + onlyLettersDigitsDashes
        ),
        (
            "wallet:acmé:EUR",
            "segment 'acmé' " + onlyLettersDigitsDashes
        ),
    ]

    @Test(
        "A malformed account name is refused with the reason", arguments: LedgerRulesTests.badNames)
    func malformedNameIsRefused(text: String, reason: String) {
        #expect(throws: LedgerError.invalidAccountName(text, reason: reason)) {
            try AccountName(text)
        }
    }

    @Test("Names of letters, digits and dashes up to 120 characters are accepted")
    func wellFormedNamesAreAccepted() throws {
        let name = try AccountName("wallet:acme-2:EUR")
        #expect(name.segments == ["wallet", "acme-2", "EUR"])
        #expect(name.description == "wallet:acme-2:EUR")
        let longest = "provider:" + String(repeating: "x", count: 111)
        #expect(try AccountName(longest).rawValue.count == 120)
    }

    // MARK: - The prefix table

    /// (name, currency, type, may go below zero, holds customer money)
    static let prefixTable: [(String, String, AccountType, Bool, Bool)] = [
        ("nostro:DEUTDEFF:EUR", "EUR", .asset, false, false),
        ("nostro:CHASUS33XXX:USD", "USD", .asset, false, false),
        ("wallet:acme:EUR", "EUR", .liability, false, true),
        ("family:smith:pool:EUR", "EUR", .liability, false, true),
        ("member:smith:alice:EUR", "EUR", .liability, false, true),
        ("transit:gateway:JPY", "JPY", .liability, false, false),
        ("settlement:pending:shop-1:EUR", "EUR", .liability, false, false),
        ("provider:stripe:EUR", "EUR", .liability, false, false),
        ("suspense:KWD", "KWD", .liability, true, false),
        ("fx:position:USD", "USD", .equity, true, false),
        ("fx:revenue:USD", "USD", .income, true, false),
        ("fees:income:EUR", "EUR", .income, true, false),
        ("fees:expense:EUR", "EUR", .expense, true, false),
        ("equity:opening:EUR", "EUR", .equity, true, false),
    ]

    @Test(
        "Each prefix of DESIGN.md §3 derives its type and rules",
        arguments: LedgerRulesTests.prefixTable)
    func prefixDerivesTypeAndRules(
        text: String, code: String, type: AccountType, mayGoNegative: Bool, isCustomerMoney: Bool
    ) throws {
        let definition = try Self.account(text, code)
        let normalSide: Side = type == .asset || type == .expense ? .debit : .credit
        #expect(definition.type == type)
        #expect(definition.mayGoNegative == mayGoNegative)
        #expect(definition.isCustomerMoney == isCustomerMoney)
        #expect(definition.normalSide == normalSide)
        #expect(definition.currency.code == code)
        // Naming the type the prefix implies is accepted too.
        let again = try AccountDefinition.derive(
            name: AccountName(text), currency: Currency.named(code), requestedType: type)
        #expect(again == definition)
    }

    static let refusedDefinitions: [(String, String, LedgerError)] = [
        (
            "wallet:acme:EUR", "USD",
            .currencySegmentMismatch(account: "wallet:acme:EUR", segment: "EUR", currency: "USD")
        ),
        (
            "fx:position:USD", "EUR",
            .currencySegmentMismatch(account: "fx:position:USD", segment: "USD", currency: "EUR")
        ),
        ("bank:acme:EUR", "EUR", .unknownPrefix("bank:acme:EUR")),
        ("Wallet:acme:EUR", "EUR", .unknownPrefix("Wallet:acme:EUR")),
        ("wallet:acme", "EUR", .accountPattern("wallet:acme", expected: "wallet:COMPANY:CCY")),
        (
            "wallet:acme:EUR:x", "EUR",
            .accountPattern("wallet:acme:EUR:x", expected: "wallet:COMPANY:CCY")
        ),
        (
            "wallet:acme:XYZ", "EUR",
            .accountPattern("wallet:acme:XYZ", expected: "wallet:COMPANY:CCY")
        ),
        (
            "family:smith:shared:EUR", "EUR",
            .accountPattern("family:smith:shared:EUR", expected: "family:ID:pool:CCY")
        ),
        (
            "transit:gate:EUR", "EUR",
            .accountPattern("transit:gate:EUR", expected: "transit:gateway:CCY")
        ),
        (
            "fx:other:EUR", "EUR",
            .accountPattern("fx:other:EUR", expected: "fx:position:CCY or fx:revenue:CCY")
        ),
        (
            "fees:EUR", "EUR",
            .accountPattern("fees:EUR", expected: "fees:income:CCY or fees:expense:CCY")
        ),
        ("provider", "EUR", .accountPattern("provider", expected: "provider:…")),
        (
            "nostro:DEUTDEF:EUR", "EUR",
            .accountPattern("nostro:DEUTDEF:EUR", expected: "nostro:BIC:CCY")
        ),
        (
            "nostro:deutdeff:EUR", "EUR",
            .accountPattern("nostro:deutdeff:EUR", expected: "nostro:BIC:CCY")
        ),
        (
            "nostro:DEUT1EFF:EUR", "EUR",
            .accountPattern("nostro:DEUT1EFF:EUR", expected: "nostro:BIC:CCY")
        ),
        (
            "nostro:DEUTDEFFXX:EUR", "EUR",
            .accountPattern("nostro:DEUTDEFFXX:EUR", expected: "nostro:BIC:CCY")
        ),
        ("wallet:acme:HRK", "HRK", .historicCurrency("HRK")),
        ("provider:old-bank", "CYP", .historicCurrency("CYP")),
    ]

    @Test(
        "A definition that contradicts the prefix table is refused",
        arguments: LedgerRulesTests.refusedDefinitions)
    func contradictoryDefinitionIsRefused(text: String, code: String, error: LedgerError) throws {
        let name = try AccountName(text)
        let currency = try Currency.named(code)
        #expect(throws: error) {
            try AccountDefinition.derive(name: name, currency: currency, requestedType: nil)
        }
    }

    @Test("A --type that contradicts the prefix is refused")
    func contradictoryTypeIsRefused() throws {
        let name = try AccountName("wallet:acme:EUR")
        #expect(
            throws: LedgerError.typeMismatch(
                account: "wallet:acme:EUR", derived: "liability", requested: "asset")
        ) {
            try AccountDefinition.derive(name: name, currency: .eur, requestedType: .asset)
        }
        let equity = try AccountName("equity:opening:EUR")
        #expect(
            throws: LedgerError.typeMismatch(
                account: "equity:opening:EUR", derived: "equity", requested: "income")
        ) {
            try AccountDefinition.derive(name: equity, currency: .eur, requestedType: .income)
        }
    }

    // MARK: - Transfer validation

    static func fxBooks() throws -> [AccountName: AccountDefinition] {
        Self.books([
            try account("wallet:acme:EUR", "EUR"), try account("wallet:acme:USD", "USD"),
            try account("fx:position:EUR", "EUR"), try account("fx:position:USD", "USD"),
            try account("fx:revenue:USD", "USD"), try account("wallet:beta:EUR", "EUR"),
        ])
    }

    @Test("A transfer balanced in every currency is valid")
    func balancedMultiCurrencyTransferIsValid() throws {
        // Given an FX conversion: EUR leg, USD position leg and a margin leg
        let draft = TransferDraft(postings: [
            Posting(.debit, try Self.name("wallet:acme:EUR"), try Self.money(100_00, "EUR")),
            Posting(.credit, try Self.name("fx:position:EUR"), try Self.money(100_00, "EUR")),
            Posting(.debit, try Self.name("fx:position:USD"), try Self.money(111_72, "USD")),
            Posting(.credit, try Self.name("wallet:acme:USD"), try Self.money(110_04, "USD")),
            Posting(.credit, try Self.name("fx:revenue:USD"), try Self.money(1_68, "USD")),
        ])
        // Then it validates
        try draft.validate(accounts: Self.fxBooks())
        let twoLeg = TransferDraft.twoLeg(
            debit: try Self.name("wallet:acme:EUR"), credit: try Self.name("wallet:beta:EUR"),
            amount: try Self.money(5, "EUR"))
        try twoLeg.validate(accounts: Self.fxBooks())
    }

    @Test("A currency whose debits and credits differ is named with both sums")
    func unbalancedCurrencyIsNamed() throws {
        let draft = TransferDraft(postings: [
            Posting(.debit, try Self.name("wallet:acme:EUR"), try Self.money(100_00, "EUR")),
            Posting(.credit, try Self.name("fx:position:EUR"), try Self.money(100_00, "EUR")),
            Posting(.debit, try Self.name("fx:position:USD"), try Self.money(111_72, "USD")),
            Posting(.credit, try Self.name("wallet:acme:USD"), try Self.money(111_71, "USD")),
        ])
        let books = try Self.fxBooks()
        #expect(
            throws: LedgerError.unbalanced(currency: "USD", debits: "111.72", credits: "111.71")
        ) {
            try draft.validate(accounts: books)
        }
    }

    @Test("Equal totals in two different currencies do not balance")
    func equalTotalsInDifferentCurrenciesDoNotBalance() throws {
        let draft = TransferDraft(postings: [
            Posting(.debit, try Self.name("wallet:acme:EUR"), try Self.money(100_00, "EUR")),
            Posting(.credit, try Self.name("wallet:acme:USD"), try Self.money(100_00, "USD")),
        ])
        let books = try Self.fxBooks()
        #expect(throws: LedgerError.unbalanced(currency: "EUR", debits: "100.00", credits: "0.00"))
        {
            try draft.validate(accounts: books)
        }
    }

    @Test("A transfer without a credit, or without a debit, is refused")
    func transferNeedsBothSides() throws {
        let books = try Self.fxBooks()
        let onlyDebits = TransferDraft(postings: [
            Posting(.debit, try Self.name("wallet:acme:EUR"), try Self.money(1, "EUR")),
            Posting(.debit, try Self.name("wallet:beta:EUR"), try Self.money(1, "EUR")),
        ])
        let onlyCredit = TransferDraft(postings: [
            Posting(.credit, try Self.name("wallet:acme:EUR"), try Self.money(1, "EUR"))
        ])
        #expect(throws: LedgerError.tooFewPostings) { try onlyDebits.validate(accounts: books) }
        #expect(throws: LedgerError.tooFewPostings) { try onlyCredit.validate(accounts: books) }
        #expect(throws: LedgerError.tooFewPostings) {
            try TransferDraft(postings: []).validate(accounts: books)
        }
    }

    @Test("A posting to an account that was never opened is refused")
    func unknownAccountIsRefused() throws {
        let draft = TransferDraft.twoLeg(
            debit: try Self.name("wallet:acme:EUR"), credit: try Self.name("wallet:ghost:EUR"),
            amount: try Self.money(1, "EUR"))
        let books = try Self.fxBooks()
        #expect(throws: LedgerError.unknownAccount("wallet:ghost:EUR")) {
            try draft.validate(accounts: books)
        }
    }

    @Test("A posting in another currency than its account's is refused")
    func postingCurrencyMismatchIsRefused() throws {
        let draft = TransferDraft.twoLeg(
            debit: try Self.name("wallet:acme:EUR"), credit: try Self.name("wallet:beta:EUR"),
            amount: try Self.money(1, "USD"))
        let books = try Self.fxBooks()
        #expect(
            throws: LedgerError.postingCurrencyMismatch(
                account: "wallet:acme:EUR", accountCurrency: "EUR", postingCurrency: "USD")
        ) { try draft.validate(accounts: books) }
    }

    @Test("The same account on both sides is refused")
    func sameAccountOnBothSidesIsRefused() throws {
        let draft = TransferDraft(postings: [
            Posting(.debit, try Self.name("wallet:acme:EUR"), try Self.money(5, "EUR")),
            Posting(.credit, try Self.name("wallet:beta:EUR"), try Self.money(3, "EUR")),
            Posting(.credit, try Self.name("wallet:acme:EUR"), try Self.money(2, "EUR")),
        ])
        let books = try Self.fxBooks()
        #expect(throws: LedgerError.sameAccountBothSides("wallet:acme:EUR")) {
            try draft.validate(accounts: books)
        }
    }

    @Test("Sums past Int64 are refused, never wrapped")
    func overflowingSumsAreRefused() throws {
        let draft = TransferDraft(postings: [
            Posting(.debit, try Self.name("wallet:acme:EUR"), try Self.money(.max, "EUR")),
            Posting(.debit, try Self.name("fx:position:EUR"), try Self.money(1, "EUR")),
            Posting(.credit, try Self.name("wallet:beta:EUR"), try Self.money(.max, "EUR")),
        ])
        let books = try Self.fxBooks()
        #expect(
            throws: LedgerError.unbalanced(
                currency: "EUR", debits: "overflow", credits: "92233720368547758.07")
        ) {
            try draft.validate(accounts: books)
        }
    }

    // MARK: - Balances

    @Test("A posting moves the balance up on the normal side and down on the other")
    func signedEffectFollowsTheNormalSide() {
        #expect(Balance.signedEffect(of: .debit, amountMinor: 5, normalSide: .debit) == 5)
        #expect(Balance.signedEffect(of: .credit, amountMinor: 5, normalSide: .debit) == -5)
        #expect(Balance.signedEffect(of: .credit, amountMinor: 5, normalSide: .credit) == 5)
        #expect(Balance.signedEffect(of: .debit, amountMinor: 5, normalSide: .credit) == -5)
    }

    @Test(
        "An account that may not go below zero refuses to, with available and needed amounts",
        arguments: ["wallet:acme:EUR", "nostro:DEUTDEFF:EUR", "transit:gateway:EUR"])
    func nonNegativeAccountRefusesToGoBelowZero(text: String) throws {
        // Given 10.00 EUR booked
        let account = try Self.account(text, "EUR")
        let balance = Balance(bookedMinor: 10_00, heldMinor: 0)
        // When 15.00 would leave, then it is refused
        #expect(
            throws: LedgerError.insufficientFunds(
                account: text, available: "10.00 EUR", needed: "15.00 EUR")
        ) {
            try balance.booking(-15_00, account: account)
        }
        // And so is one minor unit more than is there
        #expect(
            throws: LedgerError.insufficientFunds(
                account: text, available: "10.00 EUR", needed: "10.01 EUR")
        ) {
            try balance.booking(-10_01, account: account)
        }
        // But exactly everything may leave
        #expect(
            try balance.booking(-10_00, account: account) == Balance(bookedMinor: 0, heldMinor: 0))
    }

    @Test("Holds reduce what is available to book")
    func holdsReduceAvailable() throws {
        let account = try Self.account("wallet:acme:EUR", "EUR")
        let balance = Balance(bookedMinor: 10_00, heldMinor: 3_00)
        #expect(balance.availableMinor == 7_00)
        #expect(
            throws: LedgerError.insufficientFunds(
                account: "wallet:acme:EUR", available: "7.00 EUR", needed: "8.00 EUR")
        ) {
            try balance.booking(-8_00, account: account)
        }
        #expect(
            try balance.booking(-7_00, account: account)
                == Balance(bookedMinor: 3_00, heldMinor: 3_00))
    }

    @Test(
        "Suspense and equity accounts may go below zero",
        arguments: ["suspense:EUR", "equity:opening:EUR", "fx:position:EUR"])
    func negativeAllowedAccountGoesBelowZero(text: String) throws {
        let account = try Self.account(text, "EUR")
        let balance = try Balance(bookedMinor: 0, heldMinor: 0).booking(-15_00, account: account)
        #expect(balance == Balance(bookedMinor: -15_00, heldMinor: 0))
        #expect(balance.availableMinor == -15_00)
    }

    @Test("Holding reserves available money; releasing gives it back")
    func holdingAndReleasing() throws {
        // Given 10.00 EUR booked
        let account = try Self.account("wallet:acme:EUR", "EUR")
        let start = Balance(bookedMinor: 10_00, heldMinor: 0)
        // When 4.00 is held
        let held = try start.holding(4_00, account: account)
        #expect(held == Balance(bookedMinor: 10_00, heldMinor: 4_00))
        #expect(held.availableMinor == 6_00)
        // Then 6.01 more cannot be held, but 6.00 can
        #expect(
            throws: LedgerError.insufficientFunds(
                account: "wallet:acme:EUR", available: "6.00 EUR", needed: "6.01 EUR")
        ) {
            try held.holding(6_01, account: account)
        }
        #expect(try held.holding(6_00, account: account).availableMinor == 0)
        // And releasing the hold restores the available balance
        #expect(held.releasing(4_00) == start)
    }

    @Test("A balance that would pass Int64 is an overflow error, even where negatives are allowed")
    func balanceOverflowIsRefused() throws {
        let wallet = try Self.account("wallet:acme:EUR", "EUR")
        let suspense = try Self.account("suspense:EUR", "EUR")
        #expect(throws: LedgerError.overflow(account: "wallet:acme:EUR")) {
            try Balance(bookedMinor: .max, heldMinor: 0).booking(1, account: wallet)
        }
        #expect(throws: LedgerError.overflow(account: "suspense:EUR")) {
            try Balance(bookedMinor: .min, heldMinor: 0).booking(-1, account: suspense)
        }
        #expect(throws: LedgerError.overflow(account: "wallet:acme:EUR")) {
            try Balance(bookedMinor: .max, heldMinor: .max).holding(1, account: wallet)
        }
    }

    @Test("Insufficient funds and overflow are business refusals; malformed requests are not")
    func businessRefusalsAreMarked() {
        #expect(
            LedgerError.insufficientFunds(account: "a", available: "1", needed: "2")
                .isBusinessRefusal)
        #expect(LedgerError.overflow(account: "a").isBusinessRefusal)
        #expect(
            LedgerError.unbalanced(currency: "EUR", debits: "1", credits: "2").isBusinessRefusal
                == false)
        #expect(LedgerError.unknownAccount("a").isBusinessRefusal == false)
    }
}
