import Foundation
import FundflowCore
import FundflowEngine
import Testing

/// `batch import`: the file's problems and the books' in one refusal, `--accept-valid`, and the
/// same MsgId imported again.
@Suite struct BatchImportTests {
    struct Manifest: Decodable {
        struct Block: Decodable { let items: [Item] }
        struct Item: Decodable {
            let endToEndID: String
            let amount: String
            let currency: String
            let creditorBIC: String?
            let creditorIBAN: String

            /// Reached: a network bank, or a bank of a country whose clearing carries EUR (the
            /// IBAN's country when no agent is given).
            func reached(_ network: Network) -> Bool {
                if let bic = creditorBIC, network.banks[bic] != nil { return true }
                let country = creditorBIC.map { String($0.dropFirst(4).prefix(2)) }
                return network.clearingRule(country ?? String(creditorIBAN.prefix(2)), .eur) != nil
            }
        }
        let messageID: String
        let blocks: [Block]
    }

    static let fixture = BatchFileSupport.fixtures.appendingPathComponent(
        "sepaxml_pain.001.001.03_batch-eur.xml")

    static func manifest() throws -> Manifest {
        let url = BatchFileSupport.fixtures.appendingPathComponent(
            "sepaxml_pain.001.001.03_batch-eur.json")
        return try JSONDecoder().decode(Manifest.self, from: Data(contentsOf: url))
    }

    static func importing(
        _ company: CompanyBooks, _ path: String, acceptValid: Bool = false
    ) throws -> BatchView {
        try company.engine.importBatch(
            path: path, company: "acme", acceptValid: acceptValid, company.context(company.mei))
    }

    @Test func banksTheNetworkCannotReachRefuseTheFileWithEveryOneListed() throws {
        let company = try PayoutQuoteTests.company()
        let manifest = try Self.manifest()
        let network = try company.engine.network()
        // Which items the network reaches, from the manifest and the network files' banks and
        // domestic clearing, independently of the import.
        let unreachable = manifest.blocks.flatMap(\.items).filter { !$0.reached(network) }
        #expect(!unreachable.isEmpty, "the fixture has banks outside the network")
        do {
            _ = try Self.importing(company, Self.fixture.path)
            Issue.record("the file was imported")
        } catch let refusal as BatchRefusal {
            #expect(refusal.problems.count == unreachable.count)
            #expect(refusal.problems.allSatisfy { $0.location.hasPrefix("/Document/") })
            #expect(refusal.description.contains("nothing was imported"))
        }
        #expect(try company.engine.batches(company: "acme", as: company.mei).isEmpty)
    }

    @Test func acceptValidTakesTheGoodItemsWithTheirExactTotal() throws {
        let company = try PayoutQuoteTests.company()
        let manifest = try Self.manifest()
        let network = try company.engine.network()
        let good = manifest.blocks.flatMap(\.items).filter { $0.reached(network) }
        let batch = try Self.importing(company, Self.fixture.path, acceptValid: true)
        #expect(batch.status == "draft")
        #expect(batch.messageID == manifest.messageID)
        #expect(batch.items == good.count)
        #expect(batch.leftOut == manifest.blocks.flatMap(\.items).count - good.count)
        #expect(batch.errors.count == batch.leftOut)
        let total = try good.reduce(Int64(0)) {
            $0 + (try Money.parse("\($1.amount) EUR").minorUnits)
        }
        #expect(batch.totals.map(\.currency) == ["EUR"])
        #expect(
            batch.totals.map(\.amount) == [Money(minorUnits: total, currency: .eur).amountString])
        // The same file again: the same batch, nothing new.
        let again = try Self.importing(company, Self.fixture.path, acceptValid: true)
        #expect(again.id == batch.id)
        #expect(again.existing)
        #expect(try company.engine.batches(company: "acme", as: company.mei).count == 1)
    }

    @Test func theSameMsgIdWithOtherContentIsRefusedNamingTheFirstDifference() throws {
        let company = try PayoutQuoteTests.company()
        _ = try Self.importing(company, Self.fixture.path, acceptValid: true)
        let manifest = try Self.manifest()
        let text = try String(contentsOf: Self.fixture, encoding: .utf8)
        let name = try #require(
            manifest.blocks[0].items.first.map { _ in "Huber &amp; Partner GmbH" })
        #expect(text.contains(name))
        let changed = BatchFileSupport.here.deletingLastPathComponent()
            .appendingPathComponent("changed-\(UUID().uuidString).xml")
        defer { try? FileManager.default.removeItem(at: changed) }
        try text.replacingOccurrences(of: name, with: "Huber &amp; Partner AG")
            .write(to: changed, atomically: true, encoding: .utf8)
        #expect {
            _ = try Self.importing(company, changed.path, acceptValid: true)
        } throws: { error in
            let message = "\(error)"
            return message.contains("MsgId \(manifest.messageID)")
                && message.contains("creditor was 'Huber & Partner GmbH', now 'Huber & Partner AG'")
        }
    }

    @Test func aCSVItemWithoutAWalletIsRefusedAtItsLine() throws {
        let company = try PayoutQuoteTests.company()
        let csv = BatchFileSupport.here.deletingLastPathComponent()
            .appendingPathComponent("batch-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: csv) }
        let header =
            "name,account,bank,currency,amount,amount_type,source_currency,reference,end_to_end_id,bearer,execution_date,purpose,street,building,postcode,town,country"
        try """
        \(header)
        Tata Steel Ltd,IFSC:HDFC0000240/50100012345678,HDFCINBBXXX,INR,1000.00,send,EUR,inv 1,E2E-1,SHA,2026-11-03,SUPP,,,,Mumbai,IN
        Tata Steel Ltd,IFSC:HDFC0000240/50100012345678,HDFCINBBXXX,INR,1000.00,send,GBP,inv 2,E2E-2,SHA,2026-11-03,SUPP,,,,Mumbai,IN

        """.write(to: csv, atomically: true, encoding: .utf8)
        #expect {
            _ = try Self.importing(company, csv.path)
        } throws: { error in
            guard let refusal = error as? BatchRefusal else { return false }
            return refusal.problems.count == 1
                && refusal.problems[0].location.hasSuffix(":3")
                && refusal.problems[0].message.contains("no GBP wallet")
        }
        let taken = try Self.importing(company, csv.path, acceptValid: true)
        #expect(taken.items == 1)
        #expect(taken.totals.map { "\($0.amount) \($0.currency)" } == ["1000.00 EUR"])
        #expect(taken.messageID.hasPrefix("CSV-"))
    }
}

/// A pain.001's debtor account names the wallet it debits, by the IBAN the wallet carries.
extension BatchImportTests {
    static let dkExample = BatchFileSupport.samples.appendingPathComponent(
        "pain.001.001.03_dk-example_sepa-king.xml")
    static let dkDebtor = "DE87200500001234567890"

    @Test func theDebtorIBANOfTheCompanysWalletInTheRightCurrencyIsImported() throws {
        let company = try PayoutQuoteTests.company()
        _ = try company.engine.openWallet(
            company: "acme", currency: "EUR", bank: nil, iban: "DE87 2005 0000 1234 5678 90",
            company.context(company.mei))
        let shown = try company.engine.company("acme", as: company.mei)
        #expect(shown.wallets.first { $0.currency == "EUR" }?.iban == Self.dkDebtor)
        let batch = try Self.importing(company, Self.dkExample.path)
        #expect(batch.items == 2)
    }

    @Test func aDebtorIBANNamingTheCompanysWalletInAnotherCurrencyRefusesEachItem() throws {
        let company = try PayoutQuoteTests.company()
        _ = try company.engine.openWallet(
            company: "acme", currency: "USD", bank: nil, iban: Self.dkDebtor,
            company.context(company.mei))
        do {
            _ = try Self.importing(company, Self.dkExample.path)
            Issue.record("EUR payments were taken from the USD wallet's account")
        } catch let refusal as BatchRefusal {
            #expect(refusal.problems.count == 2)
            #expect(
                refusal.problems.allSatisfy {
                    $0.message.contains("is acme's USD wallet, but this payment debits EUR")
                })
        }
        #expect(throws: EngineError.self, "one IBAN names one wallet") {
            try company.engine.openWallet(
                company: "acme", currency: "EUR", bank: nil, iban: Self.dkDebtor,
                company.context(company.mei))
        }
    }

    @Test func aDebtorIBANOfAnotherCustomersWalletRefusesTheBlock() throws {
        let company = try PayoutQuoteTests.company()
        _ = try company.engine.createCompany(
            id: "globex", name: "Globex AG", country: "DE", company.books.context())
        _ = try company.engine.addMember(
            company: "globex", user: "mei", role: "treasurer", company.books.context())
        _ = try company.engine.openWallet(
            company: "globex", currency: "EUR", bank: nil, iban: Self.dkDebtor,
            company.context(company.mei))
        do {
            _ = try Self.importing(company, Self.dkExample.path, acceptValid: true)
            Issue.record("acme paid from globex's account")
        } catch let refusal as BatchRefusal {
            #expect(
                refusal.problems.contains {
                    $0.message.contains("is not one of acme's wallets")
                })
        }
        #expect(try company.engine.batches(company: "acme", as: company.mei).isEmpty)
    }
}
