import FundflowCore
import FundflowEngine
import FundflowStore

/// The Lee family of SCENARIOS.md on a simulated clock: Lan owns it (CNY, Asia/Shanghai), Wei and
/// Ying are guardians, Hao is a minor; everyone has accepted. Extra users can be added.
final class FamilyBooks: Sendable {
    let books: TestBooks
    var engine: Engine { books.engine }

    static let family = "lee"

    init(
        accepted: [String: String] = ["wei": "guardian", "ying": "guardian", "hao": "minor"]
    )
        throws
    {
        books = try TestBooks(simulated: true)
        for user in ["lan", "wei", "ying", "hao", "mia", "vic", "ann"] {
            _ = try engine.addUser(name: user, role: .member, pin: "482913", books.context())
        }
        _ = try engine.createFamily(
            id: Self.family, currency: "CNY", timeZone: "Asia/Shanghai", ctx("lan"))
        for (user, role) in accepted.sorted(by: { $0.key < $1.key }) {
            _ = try engine.inviteToFamily(id: Self.family, user: user, role: role, ctx("lan"))
            _ = try engine.acceptFamily(id: Self.family, ctx(user))
        }
    }

    func actor(_ name: String) -> Actor { Actor(name: name, role: .member, isOperator: false) }

    func ctx(_ name: String, _ command: String = "test") -> CommandContext {
        CommandContext(actor: actor(name), commandText: command)
    }

    func deposit(_ amount: String, to target: String? = nil, by user: String = "lan") throws {
        _ = try engine.depositToFamily(
            id: Self.family, amount: amount, to: target, from: nil, key: nil, ctx(user))
    }

    @discardableResult
    func policy(
        _ member: String, by user: String = "lan", _ change: PolicyChange
    ) throws
        -> FamilyView
    {
        try engine.setFamilyPolicy(id: Self.family, member: member, change: change, ctx(user))
    }

    @discardableResult
    func pay(
        _ amount: String, by user: String = "hao", merchant: String = "pharmacy",
        category: String = "medical", funding: String? = nil, key: String? = nil,
        expires: Int64? = nil, expectedSpend: String? = nil
    ) throws -> FamilyPayOutcome {
        try engine.payFamily(
            FamilyPayRequest(
                family: Self.family, merchant: merchant, category: category, amount: amount,
                funding: funding, key: key, expiresInSeconds: expires,
                expectedSpend: expectedSpend), ctx(user)
        ).value
    }

    func approve(_ id: Int64, by user: String) throws -> FamilyDecision {
        try engine.approveFamilyRequest(id: id, ctx(user))
    }

    func requests(as user: String = "lan") throws -> [FamilyRequestView] {
        try engine.familyRequests(family: Self.family, status: nil, as: actor(user))
    }

    /// Moves the simulated clock to an instant, running whatever falls due on the way.
    func clock(_ iso: String) throws {
        guard let target = Timestamp(iso8601: iso) else { fatalError("bad test time \(iso)") }
        _ = try engine.advanceClock(to: target, books.context())
    }

    func advance(seconds: Int64) throws {
        _ = try engine.advanceClock(
            to: try engine.now().adding(milliseconds: seconds * 1000), books.context())
    }

    func booked(_ account: String) throws -> String { try books.balance(account).booked }

    func pool() throws -> String { try booked("family:lee:pool:CNY") }

    func wallet(_ member: String) throws -> String { try booked("member:lee:\(member):CNY") }

    func problems() throws -> [String] { try engine.verifyLedger(as: books.admin).problems }
}
