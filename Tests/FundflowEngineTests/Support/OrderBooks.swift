import FundflowCore
import FundflowEngine
import FundflowStore

/// Books on a simulated clock with funded EUR wallets and sandbox channels to pay orders from.
final class OrderBooks: Sendable {
    let books: TestBooks
    var engine: Engine { books.engine }
    var admin: Actor { books.admin }

    init(wallets: [String: String] = ["wallet:acme:EUR": "1000.00 EUR"]) throws {
        books = try TestBooks(simulated: true)
        try books.open("nostro:DEUTDEFFXXX:EUR")
        for (wallet, amount) in wallets.sorted(by: { $0.key < $1.key }) {
            try books.open(wallet)
            try books.post("nostro:DEUTDEFFXXX:EUR", wallet, amount, key: "fund-\(wallet)")
        }
    }

    func context(_ command: String = "test") -> CommandContext { books.context(command) }

    /// Loads a sandbox channel with the given behaviour (codes as in channels/sandbox.channel).
    func channel(
        _ name: String, sync: String = "09", queries: String = "09 00", notify: String = "none",
        lateNotify: String = "none", timeouts: String = "none",
        schedule: String = "1 2 5 10 20 40 100",
        refundSync: String = "09", refundQueries: String = "00", retryLimit: Int = 3,
        latency: Int = 0
    ) throws {
        let text = """
            [channel]
            name = \(name)
            kind = psp
            query-schedule = \(schedule)
            retry-window = 72h
            retry-limit = \(retryLimit)
            [codes]
            00 - success -
            09 - processing -
            05 - failure final
            51 - failure retryable
            [sandbox]
            latency = \(latency)
            sync = \(sync)
            queries = \(queries)
            timeouts = \(timeouts)
            notify = \(notify)
            late-notify = \(lateNotify)
            refund-sync = \(refundSync)
            refund-queries = \(refundQueries)
            """
        _ = try engine.loadChannel(text: text, file: "\(name).channel", context())
    }

    func create(
        _ amount: String, payer: String = "acme", payee: String = "globex", key: String? = nil,
        expires: Int64? = nil, confirm: Bool = false, withholding: Bool = false
    ) throws -> OrderView {
        try engine.createOrder(
            CreateOrderRequest(
                payer: payer, payee: payee, amount: amount, expiresInSeconds: expires, key: key,
                confirmDuplicate: confirm, withholding: withholding), context()
        ).order
    }

    @discardableResult
    func pay(_ order: Int64, _ sources: String..., key: String? = nil) throws -> OrderView {
        try engine.payOrder(id: order, sources: sources, key: key, context()).value
    }

    func order(_ id: Int64) throws -> OrderView { try engine.order(id: id, as: admin) }

    func advance(seconds: Int64) throws -> JobRun {
        try engine.advanceClock(
            to: try engine.now().adding(milliseconds: seconds * 1000), context()
        ).1
    }

    func balance(_ name: String) throws -> String { try books.balance(name).booked }

    func requests(_ reference: String) throws -> [ChannelRequestRow] {
        try engine.store.read { try $0.channelRequests(reference: reference) }
    }

    func verify() throws -> [String] { try engine.verifyLedger(as: admin).problems }
}
