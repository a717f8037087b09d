import Foundation
import PostingFixture

// Prints the engine's posting rate in the same form as ../shared/bench/sqlite_limit.c, so one
// script can run both and compare: "transfers_per_s=<n> n=<N> batch=<BATCH>".
let arguments = CommandLine.arguments
let total = arguments.count > 1 ? Int(arguments[1]) ?? 20_000 : 20_000
let batch = arguments.count > 2 ? Int(arguments[2]) ?? 1_000 : 1_000
let fixture = try PostingFixture()
let clock = ContinuousClock()
let start = clock.now
var posted = 0
while posted < total {
    let count = min(batch, total - posted)
    try fixture.postBatch(count)
    posted += count
}
let elapsed = clock.now - start
let seconds = elapsed.components.seconds
let nanos = elapsed.components.attoseconds / 1_000_000_000
let micros = seconds * 1_000_000 + nanos / 1_000
print("transfers_per_s=\(Int64(total) * 1_000_000 / max(1, micros)) n=\(total) batch=\(batch)")
let verification = try fixture.engine.verifyLedger(as: fixture.context.actor)
precondition(
    verification.problems.isEmpty,
    "ledger verify failed after the benchmark: \(verification.problems)")
