import Foundation
import Testing

@testable import FundflowShell

/// Help text is compared with golden files, as swift-argument-parser does for its own help.
/// Re-record after a deliberate change with `FUNDFLOW_RECORD_SNAPSHOTS=1 swift test --filter Help`.
@Suite struct HelpSnapshotTests {
    static let snapshots = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Snapshots")

    @Test(arguments: [
        "help", "help ledger", "help route", "help user", "help audit", "ledger hold",
        "ledger post --help",
    ])
    func helpTextMatchesItsSnapshot(line: String) throws {
        let harness = try ShellHarness()
        let reply = harness.shell().evaluate(line)
        #expect(reply.status == 0)
        let file = Self.snapshots.appendingPathComponent(
            line.replacingOccurrences(of: " ", with: "_") + ".txt")
        if ProcessInfo.processInfo.environment["FUNDFLOW_RECORD_SNAPSHOTS"] == "1" {
            try reply.stdout.write(to: file, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOf: file, encoding: .utf8)
        #expect(
            reply.stdout == expected,
            "re-record with FUNDFLOW_RECORD_SNAPSHOTS=1 if the change is deliberate")
    }
}
