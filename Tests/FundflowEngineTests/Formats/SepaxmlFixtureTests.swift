import Foundation
import FundflowCore
import FundflowFormats
import Testing

/// pain.001.001.03 files made by an independent library (sepaxml, from seeded payments, by
/// scripts/gen_pain001_fixtures.py) read exactly as their manifests say.
@Suite struct SepaxmlFixtureTests {
    struct Manifest: Decodable {
        struct Block: Decodable {
            let executionDate: String
            let numberOfTransactions: Int
            let controlSum: String
            let items: [Item]
        }

        struct Item: Decodable {
            let endToEndID: String
            let amount: String
            let currency: String
            let creditorName: String
            let creditorIBAN: String
            let creditorBIC: String?
            let remittance: String
        }

        let generator: String
        let messageID: String
        let numberOfTransactions: Int
        let controlSum: String
        let blocks: [Block]
    }

    static let names = [
        "sepaxml_pain.001.001.03_batch-eur", "sepaxml_pain.001.001.03_single-eur",
        "sepaxml_pain.001.001.03_batch-chf",
    ]

    static func load(_ name: String) throws -> (text: String, manifest: Manifest) {
        let folder = BatchFileSupport.fixtures
        let text = try String(
            contentsOf: folder.appendingPathComponent(name + ".xml"), encoding: .utf8)
        let json = try Data(contentsOf: folder.appendingPathComponent(name + ".json"))
        return (text, try JSONDecoder().decode(Manifest.self, from: json))
    }

    @Test func everyFixtureHasAManifestAndNoOther() throws {
        let files = try FileManager.default.contentsOfDirectory(
            atPath: BatchFileSupport.fixtures.path)
        #expect(Set(files) == Set(Self.names.flatMap { [$0 + ".xml", $0 + ".json"] }))
    }

    @Test(arguments: names)
    func aSepaxmlFixtureReadsAsItsManifestSays(name: String) throws {
        let (text, manifest) = try Self.load(name)

        let reading = BatchFileSupport.read(text, file: name + ".xml")

        #expect(reading.problems == [])
        let file = try #require(reading.file)
        #expect(manifest.generator == "sepaxml 2.6.1")
        #expect(file.format == .pain001v03)
        #expect(file.messageID == manifest.messageID)
        #expect(file.numberOfTransactions == manifest.numberOfTransactions)
        #expect(file.controlSum == manifest.controlSum)
        #expect(file.items.count == manifest.numberOfTransactions)
        try #require(file.blocks.count == manifest.blocks.count)
        for (block, expected) in zip(file.blocks, manifest.blocks) {
            #expect(block.executionDate == expected.executionDate)
            #expect(block.numberOfTransactions == expected.numberOfTransactions)
            #expect(block.controlSum == expected.controlSum)
            #expect(block.items.map(\.endToEndID) == expected.items.map(\.endToEndID))
            #expect(
                block.items.map(\.amount)
                    == (try expected.items.map { item in
                        .send(try Money.parsePositive(item.amount + " " + item.currency))
                    }))
            #expect(block.items.map(\.creditorName) == expected.items.map(\.creditorName))
            #expect(
                block.items.map(\.creditorAccount)
                    == expected.items.map { "IBAN:" + $0.creditorIBAN })
            #expect(block.items.map(\.creditorAgentBIC) == expected.items.map(\.creditorBIC))
            #expect(block.items.map(\.remittance) == expected.items.map(\.remittance))
            #expect(block.items.allSatisfy { $0.chargeBearer == .sha })
        }
    }

    @Test(arguments: names)
    func aFixtureWithItsControlSumChangedIsRefused(name: String) throws {
        // Given the fixture with its group control sum one cent higher.
        let (text, manifest) = try Self.load(name)
        let stated = "<CtrlSum>\(manifest.controlSum)</CtrlSum>"
        let sum = try Money.parsePositive(manifest.controlSum + " EUR")
        let higher = Money(minorUnits: sum.minorUnits + 1, currency: .eur).amountString
        let changed = text.replacing(
            stated, with: "<CtrlSum>\(higher)</CtrlSum>", maxReplacements: 1)
        try #require(changed != text)

        let reading = BatchFileSupport.read(changed, file: name + ".xml")

        // Then the group header's control sum is the one problem, and nothing may be taken.
        #expect(reading.problems.map(\.location) == ["/Document/CstmrCdtTrfInitn/GrpHdr/CtrlSum"])
        #expect(reading.problems.map(\.scope) == [.file])
        #expect(reading.acceptableItems == [])
        #expect(reading.file?.items.count == manifest.numberOfTransactions)
    }
}
