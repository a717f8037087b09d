import FundflowCore
import FundflowEngine
import FundflowStore
import Testing

/// SplitMix64: a small seeded generator, so every failing run can be replayed from its seed.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite struct LedgerPropertyTests {
    /// Accounts of the property test: (name, normal side is debit, may go negative).
    static let accounts: [(String, Bool, Bool)] = [
        ("nostro:DEUTDEFFXXX:EUR", true, false), ("wallet:acme:EUR", false, false),
        ("wallet:beta:EUR", false, false),
        ("transit:gateway:EUR", false, false), ("equity:opening:EUR", false, true),
        ("suspense:EUR", false, true),
        ("fees:expense:EUR", true, true),
    ]

    /// A model of the books written separately from the engine: booked and held per account.
    struct Model {
        var booked: [String: Int64] = [:]
        var held: [String: Int64] = [:]
        var holds: [Int64: (debit: String, credit: String, amount: Int64, expiresAt: Int64?)] = [:]

        func effect(_ name: String, debit: Bool, amount: Int64) -> Int64 {
            let normalDebit = LedgerPropertyTests.accounts.contains { $0.0 == name && $0.1 }
            return debit == normalDebit ? amount : -amount
        }

        func lowers(_ name: String, debit: Bool) -> Bool {
            effect(name, debit: debit, amount: 1) < 0
        }

        func mayGoNegative(_ name: String) -> Bool {
            LedgerPropertyTests.accounts.contains { $0.0 == name && $0.2 }
        }

        func available(_ name: String) -> Int64 {
            booked[name, default: 0] - held[name, default: 0]
        }
    }

    @Test(arguments: [1, 2, 3, 42, 2026] as [UInt64])
    func randomTransfersAndHoldsKeepEveryInvariant(seed: UInt64) throws {
        var random = SeededGenerator(state: seed)
        let books = try TestBooks()
        for account in Self.accounts {
            let currency = "EUR"
            _ = try books.engine.openAccount(
                name: account.0, currency: currency, type: nil, books.context())
        }
        var model = Model()
        var now: Int64 = 0
        for step in 0..<250 {
            let choice = Int.random(in: 0..<10, using: &random)
            let debit = Self.accounts[Int.random(in: 0..<Self.accounts.count, using: &random)].0
            var credit = Self.accounts[Int.random(in: 0..<Self.accounts.count, using: &random)].0
            while credit == debit {
                credit = Self.accounts[Int.random(in: 0..<Self.accounts.count, using: &random)].0
            }
            let amount = Int64.random(in: 1...5_000, using: &random)
            let text = Money(minorUnits: amount, currency: .eur).description
            switch choice {
            case 0..<5:
                let allowed = [(debit, true), (credit, false)].allSatisfy { name, isDebit in
                    model.mayGoNegative(name)
                        || model.available(name)
                            + model.effect(name, debit: isDebit, amount: amount) >= 0
                }
                do {
                    try books.post(debit, credit, text, key: "p\(step)", reason: "property test")
                    #expect(allowed, "step \(step): the engine accepted a post the model refuses")
                    model.booked[debit, default: 0] += model.effect(
                        debit, debit: true, amount: amount)
                    model.booked[credit, default: 0] += model.effect(
                        credit, debit: false, amount: amount)
                } catch let error as LedgerError {
                    #expect(!allowed, "step \(step): refused \(error) although the model allows it")
                }
            case 5..<7:
                let expires: Int64? =
                    Bool.random(using: &random) ? Int64.random(in: 1...600, using: &random) : nil
                let allowed = [(debit, true), (credit, false)].allSatisfy { name, isDebit in
                    !model.lowers(name, debit: isDebit) || model.mayGoNegative(name)
                        || model.available(name) >= amount
                }
                do {
                    let hold = try books.engine.placeHold(
                        HoldRequest(
                            debit: debit, credit: credit, amount: text, expiresInSeconds: expires,
                            key: "h\(step)", memo: nil, reason: "property test"),
                        books.context()
                    ).value
                    #expect(allowed, "step \(step): the engine accepted a hold the model refuses")
                    for (name, isDebit) in [(debit, true), (credit, false)]
                    where model.lowers(name, debit: isDebit) {
                        model.held[name, default: 0] += amount
                    }
                    model.holds[hold.id] = (debit, credit, amount, expires.map { now + $0 * 1000 })
                } catch let error as LedgerError {
                    #expect(
                        !allowed, "step \(step): hold refused \(error) although the model allows it"
                    )
                }
            case 7:
                guard
                    let (id, hold) = model.holds.sorted(by: { $0.key < $1.key }).randomElement(
                        using: &random)
                else { continue }
                let part = Int64.random(in: 1...hold.amount, using: &random)
                for (name, isDebit) in [(hold.debit, true), (hold.credit, false)]
                where model.lowers(name, debit: isDebit) {
                    model.held[name, default: 0] -= hold.amount
                }
                let allowed = [(hold.debit, true), (hold.credit, false)].allSatisfy {
                    name, isDebit in
                    model.mayGoNegative(name)
                        || model.available(name) + model.effect(name, debit: isDebit, amount: part)
                            >= 0
                }
                do {
                    _ = try books.engine.postHold(
                        id: id, amount: Money(minorUnits: part, currency: .eur).description,
                        key: "hp\(step)", reason: "property test", books.context())
                    #expect(allowed)
                    model.booked[hold.debit, default: 0] += model.effect(
                        hold.debit, debit: true, amount: part)
                    model.booked[hold.credit, default: 0] += model.effect(
                        hold.credit, debit: false, amount: part)
                    model.holds[id] = nil
                } catch let error as LedgerError {
                    #expect(!allowed, "step \(step): posting hold \(id) refused \(error)")
                    for (name, isDebit) in [(hold.debit, true), (hold.credit, false)]
                    where model.lowers(name, debit: isDebit) {
                        model.held[name, default: 0] += hold.amount
                    }
                }
            case 8:
                guard
                    let (id, hold) = model.holds.sorted(by: { $0.key < $1.key }).randomElement(
                        using: &random)
                else { continue }
                _ = try books.engine.voidHold(id: id, books.context())
                for (name, isDebit) in [(hold.debit, true), (hold.credit, false)]
                where model.lowers(name, debit: isDebit) {
                    model.held[name, default: 0] -= hold.amount
                }
                model.holds[id] = nil
            default:
                let advance = Int64.random(in: 1...300_000, using: &random)
                books.clock.advance(milliseconds: advance)
                now += advance
                // Holds whose time has come expire at the next command.
                for (id, hold) in model.holds where (hold.expiresAt ?? .max) <= now {
                    for (name, isDebit) in [(hold.debit, true), (hold.credit, false)]
                    where model.lowers(name, debit: isDebit) {
                        model.held[name, default: 0] -= hold.amount
                    }
                    model.holds[id] = nil
                }
                _ = try books.engine.openAccount(
                    name: "equity:opening:EUR", currency: "EUR", type: nil, books.context())
            }
        }
        let verification = try books.engine.verifyLedger(as: books.admin)
        #expect(verification.problems == [])
        for view in try books.engine.accounts(prefix: nil, as: books.admin) {
            let booked = Money(minorUnits: model.booked[view.account, default: 0], currency: .eur)
                .amountString
            let held = Money(minorUnits: model.held[view.account, default: 0], currency: .eur)
                .amountString
            #expect(view.booked == booked, "\(view.account) booked")
            #expect(view.held == held, "\(view.account) held")
            if !model.mayGoNegative(view.account) {
                #expect(!view.available.hasPrefix("-"), "\(view.account) available")
            }
        }
    }
}
