import Testing

@testable import FundflowShell

@Suite struct CompletionTests {
    @Test(arguments: [
        (
            "",
            [
                "audit", "case", "channel", "clock", "company", "exit", "fx", "help", "ledger",
                "order", "quit",
                "rates", "refund", "run", "user", "wallet", "worker",
            ]
        ),
        ("order p", ["pay"]),
        ("order pay 3 --f", ["--from"]),
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
