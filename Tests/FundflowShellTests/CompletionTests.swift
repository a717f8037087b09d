import Testing

@testable import FundflowShell

@Suite struct CompletionTests {
    @Test(arguments: [
        (
            "",
            [
                "audit", "batch", "beneficiary", "case", "channel", "clock", "company", "exit",
                "family", "fx", "help",
                "ledger",
                "network", "order", "pay", "payout", "quit", "rates", "refund", "request", "route",
                "run", "track",
                "user",
                "wallet",
                "worker",
            ]
        ),
        ("order p", ["pay"]),
        ("family a", ["accept", "activity", "allowance"]),
        ("request ", ["approve", "decline", "list"]),
        ("order pay 3 --f", ["--from"]),
        ("le", ["ledger"]),
        ("ledger h", ["history", "hold"]),
        ("ledger hold ", ["list", "place", "post", "void"]),
        ("ledger post --d", ["--debit"]),
        ("user add mei --r", ["--role"]),
        ("route ", ["compare", "curve", "explain"]),
        ("route compare --b", ["--bearer", "--by"]),
    ])
    func completesNounsVerbsAndOptions(line: String, expected: [String]) {
        #expect(Completion.candidates(for: line) == expected)
    }
}
