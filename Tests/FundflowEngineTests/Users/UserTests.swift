import FundflowCore
import FundflowEngine
import FundflowStore
import Testing

@Suite struct UserTests {
    @Test func theOperatorActsWithoutAPinAndOthersNeedTheirs() throws {
        let books = try TestBooks()
        _ = try books.engine.addUser(name: "mei", role: .treasurer, pin: "482913", books.context())
        #expect(try books.engine.authenticate(name: "ops", pin: nil, source: "s").isOperator)
        #expect(throws: EngineError.pinRequired("mei")) {
            try books.engine.authenticate(name: "mei", pin: nil, source: "s")
        }
        let mei = try books.engine.authenticate(name: "mei", pin: "482913", source: "s")
        #expect(mei.role == .treasurer)
        #expect(throws: EngineError.unknownUser("nobody", operatorName: "ops")) {
            try books.engine.authenticate(name: "nobody", pin: "1234", source: "s")
        }
    }

    @Test func pinsAreStoredOnlyAsSaltedHashes() throws {
        let books = try TestBooks()
        _ = try books.engine.addUser(name: "a", role: .viewer, pin: "482913", books.context())
        _ = try books.engine.addUser(name: "b", role: .viewer, pin: "482913", books.context())
        let hashes = try books.engine.store.read { transaction in
            try ["a", "b"].map { try transaction.person(named: $0)?.pinHash ?? "" }
        }
        #expect(
            hashes.allSatisfy { $0.hasPrefix("pbkdf2-sha512$210000$") && !$0.contains("482913") })
        #expect(hashes[0] != hashes[1], "the same PIN hashes differently under different salts")
    }

    @Test func fiveWrongPinsLockThatUserForThatSourceForFifteenMinutes() throws {
        let books = try TestBooks()
        _ = try books.engine.addUser(name: "mei", role: .treasurer, pin: "482913", books.context())
        for tries in (1...4).reversed() {
            #expect(throws: EngineError.wrongPin("mei", triesLeft: tries)) {
                try books.engine.authenticate(name: "mei", pin: "000000", source: "tty1")
            }
        }
        let until = books.clock.now().adding(milliseconds: 15 * 60 * 1000).iso8601
        #expect(throws: EngineError.locked("mei", until: until)) {
            try books.engine.authenticate(name: "mei", pin: "000000", source: "tty1")
        }
        // Even the right PIN is refused from that source while locked; another source is unaffected.
        #expect(throws: EngineError.locked("mei", until: until)) {
            try books.engine.authenticate(name: "mei", pin: "482913", source: "tty1")
        }
        #expect(
            try books.engine.authenticate(name: "mei", pin: "482913", source: "tty2").name == "mei")
        books.clock.advance(milliseconds: 15 * 60 * 1000)
        #expect(
            try books.engine.authenticate(name: "mei", pin: "482913", source: "tty1").name == "mei")
    }

    @Test func rolesLimitWhatAUserMayDo() throws {
        let books = try TestBooks.funded()
        _ = try books.engine.addUser(name: "viv", role: .viewer, pin: "111111", books.context())
        let viewer = try books.engine.authenticate(name: "viv", pin: "111111", source: "s")
        #expect(
            throws: EngineError.permissionDenied(
                actor: "viv", role: "viewer", needed: "manage the ledger")
        ) {
            try books.engine.post(
                PostRequest(
                    debit: "wallet:acme:EUR", credit: "transit:gateway:EUR", amount: "1.00 EUR",
                    key: nil, memo: nil, reason: "x"),
                books.context(as: viewer))
        }
        #expect(
            throws: EngineError.permissionDenied(
                actor: "viv", role: "viewer", needed: "manage users")
        ) {
            try books.engine.addUser(
                name: "x", role: .admin, pin: "1234", books.context(as: viewer))
        }
        #expect(try books.engine.accounts(prefix: nil, as: viewer).count == 4)
    }

    @Test func theLastAdminCannotBeDemotedOrDisabled() throws {
        let books = try TestBooks()
        _ = try books.engine.addUser(name: "root2", role: .viewer, pin: "1234", books.context())
        #expect(throws: EngineError.lastAdmin("ops")) {
            try books.engine.setRole("ops", role: .viewer, books.context())
        }
        #expect(throws: EngineError.cannotDisableSelf) {
            try books.engine.disableUser("ops", books.context())
        }
        _ = try books.engine.disableUser("root2", books.context())
        #expect(throws: EngineError.userDisabled("root2")) {
            try books.engine.authenticate(name: "root2", pin: "1234", source: "s")
        }
    }

    @Test func invalidNamesAndPinsAreRefused() throws {
        let books = try TestBooks()
        #expect(throws: EngineError.invalidUserName("Mei Ling")) {
            try books.engine.addUser(name: "Mei Ling", role: .viewer, pin: "1234", books.context())
        }
        #expect(throws: EngineError.invalidPin("a PIN is 4 to 12 digits")) {
            try books.engine.addUser(name: "mei", role: .viewer, pin: "12a4", books.context())
        }
    }
}
