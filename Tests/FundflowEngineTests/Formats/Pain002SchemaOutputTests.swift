import Foundation
import FundflowFormats
import Testing

/// Writes the representative reports for the independent XSD check: with
/// `FUNDFLOW_PAIN002_OUT=DIR`, `DIR/<name>.xml` and `DIR/<name>.csv` for each, which
/// `scripts/check_pain002.py --from-tests` validates against the official pain.002.001.03 schema.
/// Without it, the reports are only written in memory.
@Suite struct Pain002SchemaOutputTests {
    static let outputVariable = "FUNDFLOW_PAIN002_OUT"

    @Test func representativeReportsAreWrittenForTheSchemaCheck() throws {
        let directory = ProcessInfo.processInfo.environment[Self.outputVariable].map {
            URL(fileURLWithPath: $0, isDirectory: true)
        }
        for (name, report) in Pain002Support.representative {
            let xml = try Pain002Writer.xml(report)
            let csv = PaymentStatusCSV.csv(report)
            #expect(try XMLElements.read(xml).rootNamespace == Pain002Writer.namespace, "\(name)")
            guard let directory else { continue }
            try xml.write(
                to: directory.appendingPathComponent(name + ".xml"), atomically: true,
                encoding: .utf8)
            try csv.write(
                to: directory.appendingPathComponent(name + ".csv"), atomically: true,
                encoding: .utf8)
        }
    }
}
