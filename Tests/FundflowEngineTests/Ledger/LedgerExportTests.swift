import Foundation
import FundflowCore
import FundflowEngine
import FundflowFormats
import FundflowStore
import Testing

@Suite struct LedgerExportTests {
    @Test func namesMapToTheToolsConventions() throws {
        #expect(
            LedgerExport.exportName(try AccountName("wallet:acme:EUR"), type: .liability)
                == "Liabilities:Wallet:Acme:EUR")
        #expect(
            LedgerExport.exportName(try AccountName("equity:opening:EUR"), type: .equity)
                == "Equity:Opening:EUR")
        #expect(
            LedgerExport.exportName(try AccountName("nostro:DEUTDEFFXXX:EUR"), type: .asset)
                == "Assets:Nostro:DEUTDEFFXXX:EUR")
        #expect(
            LedgerExport.exportName(try AccountName("fees:expense:EUR"), type: .expense)
                == "Expenses:Fees:Expense:EUR")
    }

    @Test func namesThatWouldCollideAreRefused() throws {
        let books = try TestBooks()
        try books.open("wallet:acme:EUR", "wallet:Acme:EUR")
        #expect(
            throws: ExportError.nameCollision(
                "wallet:Acme:EUR", "wallet:acme:EUR", exported: "Liabilities:Wallet:Acme:EUR")
        ) {
            try books.engine.exportLedger(.hledger, as: books.admin)
        }
    }

    @Test(arguments: ExportFormat.allCases)
    func everyPostingAmountIsWrittenExplicitly(format: ExportFormat) throws {
        let books = try TestBooks.funded("100.00 EUR")
        try books.open("nostro:BOTKJPJTXXX:JPY", "wallet:acme:JPY")
        try books.post("nostro:BOTKJPJTXXX:JPY", "wallet:acme:JPY", "1500 JPY")
        let text = try books.engine.exportLedger(format, as: books.admin)
        let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        func hasPosting(_ account: String, _ amount: String) -> Bool {
            lines.contains { $0.hasPrefix(account + " ") && $0.hasSuffix(" " + amount) }
        }
        #expect(hasPosting("Assets:Nostro:DEUTDEFFXXX:EUR", "100.00 EUR"))
        #expect(hasPosting("Liabilities:Wallet:Acme:EUR", "-100.00 EUR"))
        #expect(hasPosting("Assets:Nostro:BOTKJPJTXXX:JPY", "1500 JPY"))
        #expect(hasPosting("Liabilities:Wallet:Acme:JPY", "-1500 JPY"))
    }
}
