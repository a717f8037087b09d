import Foundation
import FundflowCore
import FundflowEngine

// Two figures of the rates issue: how long a new database takes to load the embedded ECB history
// (221,702 rates), and how many conversions per second the DESIGN.md §2 rule runs in memory.
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().path
let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fundflow-fxrate-\(UUID().uuidString)")
try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: directory) }

let clock = ContinuousClock()
let loadStart = clock.now
let engine = try Engine.open(
    path: directory.appendingPathComponent("rates.db").path, operatorName: "bench",
    defaults: DefaultFiles(root: root))
let actor = try engine.authenticate(name: "bench", pin: nil, source: "bench")
_ = try engine.rate(of: "USD", on: "2026-10-30", as: actor)
let load = clock.now - loadStart
print("new database + full ECB history loaded: \(load.components.seconds * 1000 + load.components.attoseconds / 1_000_000_000_000_000) ms")

// Conversions in memory: a fixed set of real cross rates, amounts and margins, cycled.
let pairs: [(Currency, DecimalRate, Currency, DecimalRate)] = try [
    ("USD", "1.1172", "JPY", "175.68"), ("GBP", "0.8338", "CHF", "0.9194"), ("EUR", "1", "INR", "106.084"),
    ("CNY", "8.1470", "MXN", "21.1237"), ("AUD", "1.5904", "PHP", "71.143"), ("SEK", "10.978", "ZAR", "18.6455"),
].map { (try Currency.named($0.0), try DecimalRate(parsing: $0.1), try Currency.named($0.2), try DecimalRate(parsing: $0.3)) }
let rates = pairs.map { CrossRate(from: $0.0, to: $0.2, fromQuote: $0.1, toQuote: $0.3, day: RateDay(daysSinceEpoch: 20_756)) }
let amounts = (0..<1_024).map { Int64(($0 &* 2_654_435_761) % 100_000_000 + 1) }
let count = 5_000_000
var checksum: Int64 = 0
let start = clock.now
for index in 0..<count {
    let rate = rates[index % rates.count]
    let amount = Money(minorUnits: amounts[index & 1_023], currency: rate.from)
    checksum &+= try rate.convert(amount, marginBps: Int64(index % 300)).customerMinor
}
let elapsed = clock.now - start
let micros = elapsed.components.seconds * 1_000_000 + elapsed.components.attoseconds / 1_000_000_000_000
print("conversions_per_s=\(Int64(count) * 1_000_000 / max(1, micros)) n=\(count) (checksum \(checksum))")
