import Testing

@testable import FundflowShell

@Suite struct CompletionTests {
    @Test(arguments: [
        ("", ["audit", "exit", "help", "ledger", "quit", "user"]),
        ("le", ["ledger"]),
        ("ledger h", ["history", "hold"]),
        ("ledger hold ", ["list", "place", "post", "void"]),
        ("ledger post --d", ["--debit"]),
        ("user add mei --r", ["--role"]),
    ])
    func completesNounsVerbsAndOptions(line: String, expected: [String]) {
        #expect(Completion.candidates(for: line) == expected)
    }
}
