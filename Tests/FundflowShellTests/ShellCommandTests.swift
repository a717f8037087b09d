import ArgumentParser
import Foundation
import Testing

@testable import FundflowShell

@Suite struct ShellCommandTests {
    static let setup =
        "ledger open nostro:DEUTDEFFXXX:EUR EUR; ledger open wallet:acme:EUR EUR; ledger open transit:gateway:EUR EUR; "
        + "ledger post --debit nostro:DEUTDEFFXXX:EUR --credit wallet:acme:EUR \"123.45 EUR\" --reason funding --key f1; "
        + "ledger hold place --debit wallet:acme:EUR --credit transit:gateway:EUR \"23.45 EUR\" --key h1 --reason auth"

    @Test func balancesAsJSONHaveTheDocumentedShape() throws {
        let harness = try ShellHarness()
        let shell = harness.shell()
        #expect(shell.evaluate(Self.setup).status == 0)
        let reply = shell.evaluate("ledger balances --prefix wallet: --json")
        #expect(reply.status == 0)
        let document = try #require(try parseJSON(reply.stdout) as? [[String: String]])
        #expect(
            document == [
                [
                    "account": "wallet:acme:EUR", "currency": "EUR", "balance": "123.45",
                    "available": "100.00",
                ]
            ])
    }

    @Test func theGlobalJSONOptionAppliesToEveryCommandAndFailuresPrintNothingOnStdout() throws {
        let harness = try ShellHarness()
        let shell = harness.shell(json: true)
        let reply = shell.evaluate(Self.setup)
        #expect(reply.status == 0)
        let failed = shell.evaluate(
            "ledger post --debit wallet:acme:EUR --credit transit:gateway:EUR \"500.00 EUR\" --reason x"
        )
        #expect(failed.status == 1)
        #expect(failed.stdout == "")
        #expect(failed.stderr.hasPrefix("error: insufficient funds in wallet:acme:EUR"))
    }

    @Test func aTableLinesUpAmountsWithTheirCurrencyDecimals() throws {
        let harness = try ShellHarness()
        let shell = harness.shell()
        _ = shell.evaluate(Self.setup)
        let lines = shell.evaluate("ledger balances").stdout.split(separator: "\n").map(String.init)
        #expect(lines[0].hasPrefix("ACCOUNT"))
        let wallet = try #require(lines.first { $0.hasPrefix("wallet:acme:EUR") })
        #expect(wallet.hasSuffix("123.45  23.45     100.00"))
        #expect(Set(lines.dropFirst(2).map(\.count)).count == 1, "rows have equal width")
    }

    @Test func usageErrorsExitTwoAndCommandFailuresExitOne() throws {
        let harness = try ShellHarness()
        let shell = harness.shell()
        #expect(shell.evaluate("ledger frobnicate").status == 2)
        #expect(shell.evaluate("ledger post --debit a").status == 2)
        #expect(shell.evaluate("ledger open 'unbalanced").status == 2)
        #expect(shell.evaluate("ledger hold list --status sideways").status == 2)
        let failed = shell.evaluate("ledger open wallet:acme:EUR USD")
        #expect(failed.status == 1)
        #expect(failed.stderr.contains("ends in EUR but was opened in USD"))
    }

    @Test func aFailingCommandStopsTheRestOfTheLine() throws {
        let harness = try ShellHarness()
        let shell = harness.shell()
        let reply = shell.evaluate(
            "ledger open wallet:acme:EUR EUR; ledger open bogus EUR; ledger open wallet:beta:EUR EUR"
        )
        #expect(reply.status == 1)
        #expect(shell.evaluate("ledger accounts --json").stdout.contains("wallet:beta") == false)
    }

    @Test func helpNeverOpensTheDatabase() throws {
        let harness = try ShellHarness()
        let shell = harness.shell()
        let overview = shell.evaluate("help")
        #expect(overview.status == 0)
        #expect(overview.stdout.contains("ledger"))
        let ledger = shell.evaluate("help ledger")
        #expect(ledger.stdout.contains("ledger hold place"))
        #expect(ledger.stdout.contains("e.g. ledger post"))
        #expect(shell.evaluate("ledger post --help").stdout.contains("--reason"))
        #expect(shell.evaluate("help nonsense").status == 2)
        #expect(!FileManager.default.fileExists(atPath: harness.databasePath))
    }

    @Test func everyVerbsExampleParses() throws {
        for noun in Help.nouns {
            for verb in Help.verbs(noun) {
                for example in verb.examples where !example.contains("FUNDFLOW_NEW_PIN=") {
                    let words = try #require(try Words.split(example).first)
                    #expect(throws: Never.self, "\(example)") {
                        _ = try ShellRoot.parseAsRoot(words)
                    }
                }
            }
        }
    }

    @Test func actingAsAnotherUserNeedsTheirPin() throws {
        let harness = try ShellHarness()
        let admin = harness.shell(environment: ["FUNDFLOW_NEW_PIN": "482913"])
        #expect(admin.evaluate("user add mei --role viewer").status == 0)
        let noPin = harness.shell(actor: "mei")
        let refused = noPin.evaluate("ledger balances")
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("needs their PIN"))
        let withPin = harness.shell(actor: "mei", environment: ["FUNDFLOW_PIN": "482913"])
        #expect(withPin.evaluate("ledger balances").status == 0)
        #expect(
            withPin.evaluate("ledger open wallet:x:EUR EUR").stderr.contains(
                "mei (viewer) may not manage the ledger"))
    }

    @Test func theReplAsksForAPinWithoutTakingItFromTheLine() throws {
        let harness = try ShellHarness()
        _ = harness.shell(environment: ["FUNDFLOW_NEW_PIN": "482913"]).evaluate(
            "user add mei --role viewer")
        let terminal = FakeTerminal(lines: [], interactive: true)
        terminal.secrets = ["482913"]
        let shell = harness.shell(actor: "mei", prompter: terminal)
        #expect(shell.evaluate("ledger accounts").status == 0)
        #expect(terminal.prompts == ["PIN for mei: "])
    }

    @Test func addingAUserOutsideTheReplNeedsTheNewPinFromTheEnvironment() throws {
        let harness = try ShellHarness()
        let reply = harness.shell().evaluate("user add mei --role viewer")
        #expect(reply.status == 1)
        #expect(reply.stderr.contains("FUNDFLOW_NEW_PIN"))
    }
}
