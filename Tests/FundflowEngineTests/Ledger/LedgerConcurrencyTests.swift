import Foundation
import FundflowCore
import FundflowEngine
import FundflowStore
import Testing

@Suite struct LedgerConcurrencyTests {
    @Test func twoConnectionsDebitingOneWalletNeverOverdrawIt() throws {
        // Given a wallet of 100.00 and two engines (two connection pools) on the same file
        let books = try TestBooks.funded("100.00 EUR")
        let other = try Engine.open(path: books.path, operatorName: "ops")
        let engines = [books.engine, other]
        let successes = LockedBox(0)
        // When both try to debit 7.00 twenty times each, at the same time
        DispatchQueue.concurrentPerform(iterations: 2) { worker in
            for attempt in 0..<20 {
                do {
                    _ = try engines[worker].post(
                        PostRequest(
                            debit: "wallet:acme:EUR", credit: "transit:gateway:EUR",
                            amount: "7.00 EUR",
                            key: "w\(worker)-\(attempt)", memo: nil, reason: "race"),
                        CommandContext(actor: books.admin, commandText: "race"))
                    successes.mutate { $0 += 1 }
                } catch {}
            }
        }
        // Then exactly ⌊100 / 7⌋ succeed and the books still verify
        #expect(successes.value == 14)
        #expect(try books.balance("wallet:acme:EUR").booked == "2.00")
        #expect(try books.engine.verifyLedger(as: books.admin).problems == [])
    }
}
