import Foundation
import Testing

@testable import FundflowShell

@Suite struct LauncherTests {
    @Test func dashCRunsCommandsAndStopsAtTheFirstFailure() throws {
        let harness = try ShellHarness()
        let (status, terminal) = harness.launch([
            "-c",
            "ledger open wallet:acme:EUR EUR; ledger open nope EUR; ledger open wallet:b:EUR EUR",
        ])
        #expect(status == 1)
        #expect(terminal.out.contains("opened wallet:acme:EUR"))
        #expect(!terminal.out.contains("wallet:b:EUR"))
        #expect(terminal.err.contains("error: 'nope' has no known prefix"))
    }

    @Test func aScriptFileReportsTheLineThatFailed() throws {
        let harness = try ShellHarness()
        let script = harness.directory.appendingPathComponent("setup.ff")
        try
            "ledger open wallet:acme:EUR EUR\n# a comment\n\nledger open wallet:acme:EUR USD\nledger open wallet:z:EUR EUR\n"
            .write(to: script, atomically: true, encoding: .utf8)
        let (status, terminal) = harness.launch([script.path])
        #expect(status == 1)
        #expect(terminal.err.hasPrefix("\(script.path):4: error:"))
        #expect(!terminal.out.contains("wallet:z"))
    }

    @Test func pipedInputRunsLineByLineWithoutPrompting() throws {
        let harness = try ShellHarness()
        let (status, terminal) = harness.launch(
            [], input: ["ledger open wallet:acme:EUR EUR", "ledger accounts --json"])
        #expect(status == 0)
        #expect(terminal.prompts.isEmpty)
        #expect(terminal.out.contains("\"account\": \"wallet:acme:EUR\""))
    }

    @Test func theReplKeepsGoingAfterAFailureAndLeavesOnExit() throws {
        let harness = try ShellHarness()
        let (status, terminal) = harness.launch(
            [],
            input: [
                "ledger open bogus EUR", "ledger open wallet:acme:EUR EUR", "exit",
                "ledger open wallet:never:EUR EUR",
            ],
            interactive: true)
        #expect(status == 0)
        #expect(terminal.prompts.count == 3)
        #expect(terminal.out.contains("opened wallet:acme:EUR"))
        #expect(!terminal.out.contains("wallet:never"))
    }

    @Test func argumentsAfterTheOptionsRunAsOneCommand() throws {
        let harness = try ShellHarness()
        #expect(harness.launch(["ledger", "open", "wallet:acme:EUR", "EUR"]).status == 0)
        let (status, terminal) = harness.launch(["--json", "ledger", "accounts"])
        #expect(status == 0)
        let accounts = try #require(try parseJSON(terminal.out) as? [[String: Any]])
        #expect(accounts.count == 1)
    }

    @Test func unknownGlobalOptionsAreUsageErrors() throws {
        let harness = try ShellHarness()
        #expect(harness.launch(["--frobnicate"]).status == 2)
        #expect(harness.launch(["ledger", "nonsense"]).status == 2)
    }
}
