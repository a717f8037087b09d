import Foundation
import FundflowCore
import FundflowFormats

/// Where the batch tests find their files: the shared pain.001 samples next to the package and
/// the generated fixtures next to this file.
enum BatchFileSupport {
    static let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()

    /// `<root>/../shared/data/iso20022/pain001`, from `Tests/FundflowEngineTests/Formats/`.
    static let samples = here.deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("shared/data/iso20022/pain001")

    static let fixtures = here.appendingPathComponent("Fixtures")

    static func sampleText(_ name: String) throws -> String {
        try String(contentsOf: samples.appendingPathComponent(name), encoding: .utf8)
    }

    static func readSample(_ name: String) throws -> BatchReading {
        let data = try Data(contentsOf: samples.appendingPathComponent(name))
        return BatchFiles.read(Array(data), file: name)
    }

    static func read(_ text: String, file: String = "test.xml") -> BatchReading {
        BatchFiles.read(Array(text.utf8), file: file)
    }

    /// Problems as `location: message` lines, for exact comparisons.
    static func lines(_ reading: BatchReading) -> [String] {
        reading.problems.map(\.description)
    }

    /// `6543.14 EUR` for each item.
    static func amounts(_ reading: BatchReading) -> [String] {
        reading.file?.items.map { $0.amount.money.description } ?? []
    }
}
