import ArgumentParser

struct LedgerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger",
        abstract: "Accounts, transfers, holds and checks of the double-entry ledger.",
        subcommands: [
            LedgerOpen.self, LedgerAccounts.self, LedgerBalances.self, LedgerPost.self,
            LedgerReverse.self,
            LedgerHoldCommand.self, LedgerHistory.self, LedgerVerify.self, LedgerExportCommand.self,
        ])
}

struct LedgerHoldCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hold",
        abstract: "Reserve money now; post it in full or part, or void it, later.",
        subcommands: [
            LedgerHoldPlace.self, LedgerHoldPost.self, LedgerHoldVoid.self, LedgerHoldList.self,
        ])
}
