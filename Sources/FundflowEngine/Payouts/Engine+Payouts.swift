import Foundation
import FundflowCore
import FundflowStore

/// What `payout create` is asked.
public struct PayoutRequest: Sendable {
    public var company: String
    public var beneficiary: String
    public var send: String?
    public var receive: String?
    /// With `--receive`: the wallet currency to pay from (default: the beneficiary's currency).
    public var from: String?
    public var bearer: String
    /// `best`, `fastest` or a rank.
    public var route: String
    public var date: String?
    public var reference: String?
    public var validSeconds: Int64
    public var key: String?

    public init(
        company: String, beneficiary: String, send: String? = nil, receive: String? = nil,
        from: String? = nil, bearer: String = "SHA", route: String = "best", date: String? = nil,
        reference: String? = nil, validSeconds: Int64 = 1800, key: String? = nil
    ) {
        self.company = company
        self.beneficiary = beneficiary
        self.send = send
        self.receive = receive
        self.from = from
        self.bearer = bearer
        self.route = route
        self.date = date
        self.reference = reference
        self.validSeconds = validSeconds
        self.key = key
    }
}

/// What a payout asks for, enough to quote it again.
struct PayoutTerms: Sendable {
    let company: String
    let fixed: Router.Amount
    let send: Currency
    let bearer: ChargeBearer
    let choice: String
    let date: RateDay
}

extension Router.Amount {
    /// The amount fixed, sent or to arrive.
    var money: Money {
        switch self {
        case .send(let amount), .receive(let amount): amount
        }
    }

    var isReceive: Bool {
        if case .receive = self { return true }
        return false
    }
}

/// ECB cross rates already read in one use case, by day and pair.
final class RateMemo {
    var values: [String: CrossRate] = [:]
}

/// What quoting a batch reuses from one payment to the next: rates, and the candidate routes of
/// each corridor. Candidates are searched once per corridor, amount band (a power of two: a fee's
/// minimum or cap can change the best route between 100 and 100,000) and release time, at both
/// ends of the band, and every payment in the band is evaluated exactly on all of them.
/// `BatchLifecycleTests` compares the choice with a search of each payment's own.
final class QuoteCache {
    /// How many routes each search keeps as candidates.
    static let candidates = 16
    let rates = RateMemo()
    var candidates: [String: [Router.Route]] = [:]
    /// The company's wallets by currency, read once for a batch.
    var wallets: [String: WalletRow] = [:]
    /// Release times by servicing bank, currency and requested date (the batch's "now" is one).
    var releases: [String: (time: Timestamp, note: String?)] = [:]

    static func key(_ query: Router.Query) -> String {
        let (kind, amount): (String, Money)
        switch query.amount {
        case .send(let money): (kind, amount) = ("send", money)
        case .receive(let money): (kind, amount) = ("receive", money)
        }
        return [
            query.from, query.to, query.send.code, query.target.code, query.bearer.rawValue, kind,
            amount.currency.code, String(band(amount.minorUnits)), "\(query.ranking)",
            String(query.start.millisecondsSinceEpoch),
        ].joined(separator: "|")
    }

    /// The band of an amount: the power of two at or below it.
    static func band(_ minor: Int64) -> Int {
        minor <= 1 ? 0 : Int.bitWidth - 1 - Int(minor).leadingZeroBitCount
    }

    /// The least and the greatest amount of the band an amount falls in.
    static func band(of amount: Router.Amount) -> [Router.Amount] {
        func ends(_ money: Money) -> [Money] {
            let low = Int64(1) << band(money.minorUnits)
            let high = low > Int64.max / 2 ? Int64.max : low * 2 - 1
            return [low, high].map { Money(minorUnits: $0, currency: money.currency) }
        }
        switch amount {
        case .send(let money): return ends(money).map(Router.Amount.send)
        case .receive(let money): return ends(money).map(Router.Amount.receive)
        }
    }
}

/// A payout as `payout show` presents it.
public struct PayoutView: Equatable, Sendable, Codable, Replayable {
    public let id: Int64
    public let uetr: String
    public let company: String
    public let beneficiary: String
    public let beneficiaryName: String
    /// The beneficiary's bank as given: a BIC or a clearing id (`IN:SBIN0001234`).
    public let beneficiaryBank: String
    /// Never paid in the beneficiary's current version.
    public let beneficiaryNew: Bool
    public let beneficiaryApproved: Bool
    public let status: String
    public let quote: PayoutQuote
    public let executionDate: String
    public let reference: String?
    public let createdBy: String
    public let createdAt: String
    public let expiresAt: String
    public let warnings: [String]
    /// Who approved so far, in order.
    public let approvals: [String]
    /// Approvals the company's policy asks for (2 above its second-approval threshold).
    public let approvalsNeeded: Int
    /// How it ended, once it has: `credited 57132.90 PHP` or `returned 971.55 USD (AC01 …)`.
    public let outcome: String?
    /// A recall after release and the network's answer: `CUST: CNCL (stopped at …)`.
    public let recall: String?
}

public enum PayoutStatus: String, Sendable, CaseIterable {
    case quoted
    case approved
    case released
    case credited
    case returned
    case cancelled
}

extension Engine {
    /// `payout create COMPANY --to BENEFICIARY (--send | --receive) …` (a treasurer): finds the
    /// route from the wallet's servicing bank to the beneficiary's bank for a release at the
    /// servicing bank's cut-off on the execution date, and stores the quote (status `quoted`,
    /// valid for `validSeconds`). Nothing is held yet: approval binds the quote.
    public func createPayout(
        _ request: PayoutRequest, _ context: CommandContext
    ) throws -> Keyed<
        PayoutView
    > {
        let key = try SystemKey.user(request.key)
        let fingerprint = RequestFingerprint(
            command: "payout create",
            fields: [
                .init("company", request.company), .init("to", request.beneficiary),
                .init("send", request.send ?? ""), .init("receive", request.receive ?? ""),
                .init("from", request.from ?? ""), .init("bearer", request.bearer),
                .init("route", request.route), .init("date", request.date ?? ""),
                .init("reference", request.reference ?? ""),
            ])
        // Outside the transaction: both may write (the default network, the ECB history).
        let network = try network()
        try ensureRates()
        return try mutate(
            context, needs: nil, request: IdempotentRequest(key: key, fingerprint: fingerprint)
        ) { mutation in
            let transaction = mutation.transaction
            try requireMember(request.company, context.actor, roles: [.treasurer], in: transaction)
            guard
                let beneficiary = try transaction.beneficiary(
                    company: request.company, id: request.beneficiary)
            else {
                throw CompanyError.unknownBeneficiary(
                    company: request.company, id: request.beneficiary)
            }
            let target = try Currency.named(beneficiary.currency)
            let fixed: Router.Amount
            let send: Currency
            switch (request.send, request.receive) {
            case (let text?, nil):
                let amount = try Money.parsePositive(text)
                fixed = .send(amount)
                send = amount.currency
            case (nil, let text?):
                let amount = try Money.parsePositive(text)
                guard amount.currency == target else {
                    throw PayoutError.currencyMismatch(
                        beneficiary: beneficiary.id, currency: target.code,
                        given: amount.currency.code)
                }
                fixed = .receive(amount)
                send = try Currency.named((request.from ?? target.code).uppercased())
            default: throw PayoutError.amountChoice
            }
            guard let bearer = ChargeBearer(parsing: request.bearer) else {
                throw EngineError.invalidArgument(
                    "--bearer must be SHA, BEN, OUR or SLEV, not '\(request.bearer)'")
            }
            let requested: RateDay
            if let date = request.date {
                guard let day = RateDay(date) else { throw PayoutError.invalidDate(date) }
                requested = day
            } else {
                requested = RateDay(mutation.now)
            }
            let terms = PayoutTerms(
                company: request.company, fixed: fixed, send: send, bearer: bearer,
                choice: request.route.lowercased(), date: requested)
            var (quote, release, warnings) = try quotePayout(
                terms, to: beneficiary, network: network, now: mutation.now, in: transaction)
            warnings += try proposeFunding(&quote, company: request.company, in: mutation.scope)
            if beneficiary.status != BeneficiaryStatus.approved.rawValue {
                warnings.append(
                    "beneficiary \(beneficiary.id) is waiting for approval: the payout cannot be approved before it is"
                )
            }
            var generator = SeededGenerator(
                seed: Self.seed(
                    "\(request.company)|\(key)|\(try transaction.payoutCount())|\(mutation.now.millisecondsSinceEpoch)"
                ))
            let row = try transaction.insertPayout(
                NewPayout(
                    uetr: UETR.make(using: &generator).value, company: request.company,
                    beneficiary: beneficiary.id, beneficiaryVersion: beneficiary.version,
                    status: PayoutStatus.quoted.rawValue, quote: try quote.json(),
                    executionDate: requested.description, releaseAt: release,
                    reference: request.reference, createdBy: context.actor.name,
                    createdAt: mutation.now,
                    expiresAt: mutation.now.adding(milliseconds: request.validSeconds * 1000),
                    account: beneficiary.accountKey,
                    asked: fixed.money))
            // DESIGN.md §4: the same account and amount asked again within a minute (through
            // this beneficiary or another) is a possible double entry: held until approved with
            // --confirm-duplicate.
            if let earlier = try transaction.recentPayout(
                like: row, account: beneficiary.accountKey, asked: fixed.money,
                since: Self.duplicateWindowStart(mutation.now))
            {
                try transaction.setPayoutDuplicate(id: row.id, of: earlier)
                warnings.append(
                    "possible duplicate of payout \(earlier) (same beneficiary and amount within a minute): held; `payout approve \(row.id) --confirm-duplicate` pays it too"
                )
                guard let held = try transaction.payout(id: row.id) else {
                    throw PayoutError.unknownPayout(String(row.id))
                }
                return try payoutView(held, warnings: warnings, in: transaction)
            }
            return try payoutView(row, warnings: warnings, in: transaction)
        }
    }

    /// Finds the route and figures for `terms` now: released at the servicing bank's cut-off on
    /// the execution date (rolled on when that is past or closed, with a note), valued at the ECB
    /// rates of the release day.
    func quotePayout(
        _ terms: PayoutTerms, to beneficiary: BeneficiaryRow, network: Network, now: Timestamp,
        cache: QuoteCache? = nil, in transaction: StoreTransaction
    ) throws -> (quote: PayoutQuote, release: Timestamp, warnings: [String]) {
        let walletKey = "\(terms.company)|\(terms.send.code)"
        guard
            let wallet = try cache?.wallets[walletKey]
                ?? transaction.wallet(company: terms.company, currency: terms.send)
        else {
            throw CompanyError.walletNotOpen(company: terms.company, currency: terms.send.code)
        }
        cache?.wallets[walletKey] = wallet
        let target = try Currency.named(beneficiary.currency)
        var warnings: [String] = []
        let releaseKey = "\(wallet.bank)|\(terms.send.code)|\(terms.date)"
        guard
            let release = cache?.releases[releaseKey]
                ?? RouteTiming.release(
                    bank: wallet.bank, currency: terms.send, requested: terms.date, now: now,
                    network: network)
        else { throw PayoutError.closedForever(bank: wallet.bank) }
        cache?.releases[releaseKey] = release
        if let note = release.note { warnings.append(note) }
        let ranking: Router.Ranking
        let rank: Int
        switch terms.choice {
        case "best":
            ranking = .cost
            rank = 1
        case "fastest":
            ranking = .time
            rank = 1
        default:
            guard let number = Int(terms.choice), (1...50).contains(number) else {
                throw PayoutError.invalidRouteChoice(terms.choice)
            }
            ranking = .cost
            rank = number
        }
        let day = RateDay(release.time)
        let rates = cache?.rates ?? RateMemo()
        let rate: (Currency, Currency) throws -> CrossRate = { from, to in
            let key = "\(day)\(from.code)\(to.code)"
            if let known = rates.values[key] { return known }
            let found = try self.crossRate(from: from, to: to, on: day, in: transaction)
            if let stale = Engine.staleness(of: found, usedOn: day), !warnings.contains(stale) {
                warnings.append(stale)
            }
            rates.values[key] = found
            return found
        }
        let destination = Self.destination(of: beneficiary)
        let routes: [Router.Route]
        if let cache {
            // A batch: the candidates of a corridor and amount band are searched once, at both
            // ends of the band; every payment in it is evaluated exactly on them. A band whose
            // candidates carry nothing falls back to a search of the payment's own.
            let exact = Router.Query(
                from: wallet.bank, to: destination, amount: terms.fixed, send: terms.send,
                target: target, bearer: terms.bearer, k: rank, ranking: ranking,
                start: release.time)
            let key = QuoteCache.key(exact)
            let candidates: [Router.Route]
            if let known = cache.candidates[key] {
                candidates = known
            } else {
                var found: [Router.Route] = []
                for end in QuoteCache.band(of: exact.amount) {
                    let query = Router.Query(
                        from: wallet.bank, to: destination, amount: end, send: terms.send,
                        target: target, bearer: terms.bearer,
                        k: max(rank, QuoteCache.candidates), ranking: ranking,
                        start: release.time)
                    for route in Router.routes(query, network: network, rate: rate).routes
                    where !found.contains(where: { $0.outcome.plan == route.outcome.plan }) {
                        found.append(route)
                    }
                }
                cache.candidates[key] = found
                candidates = found
            }
            let ranked = Router.rank(candidates, exact, network: network, rate: rate)
            routes =
                ranked.count >= rank
                ? ranked : Router.routes(exact, network: network, rate: rate).routes
        } else {
            let query = Router.Query(
                from: wallet.bank, to: destination, amount: terms.fixed, send: terms.send,
                target: target, bearer: terms.bearer, k: rank, ranking: ranking,
                start: release.time)
            routes = Router.routes(query, network: network, rate: rate).routes
        }
        guard !routes.isEmpty else {
            throw PayoutError.noRoute(
                from: wallet.bank, to: beneficiary.bank, currency: target.code)
        }
        guard rank <= routes.count else {
            throw PayoutError.noSuchRoute(rank: rank, found: routes.count)
        }
        let route = routes[rank - 1]
        let asked = terms.fixed.money
        let quote = PayoutQuote(
            route, fixed: terms.fixed.isReceive ? "receive" : "send", asked: asked,
            choice: terms.choice,
            flags: RouteComparison.flags(route, start: release.time), rateDay: day)
        return (quote, release.time, warnings)
    }

    /// `payout show ID` (members of its company).
    public func payout(_ id: String, as actor: Actor) throws -> PayoutView {
        try store.read { transaction in
            let row = try Self.findPayout(id, in: transaction)
            if actor.role != .admin { try requireMember(row.company, actor, in: transaction) }
            return try payoutView(row, warnings: [], in: transaction)
        }
    }

    /// `payout list COMPANY [--status S]` (members).
    public func payouts(
        company: String, status: PayoutStatus?, as actor: Actor
    ) throws -> [PayoutView] {
        try store.read { transaction in
            if actor.role != .admin { try requireMember(company, actor, in: transaction) }
            return try transaction.payouts(company: company, status: status?.rawValue).map {
                try payoutView($0, warnings: [], in: transaction)
            }
        }
    }

    static func findPayout(_ id: String, in transaction: StoreTransaction) throws -> PayoutRow {
        if let number = Int64(id), let row = try transaction.payout(id: number) { return row }
        if let row = try transaction.payout(uetr: id.lowercased()) { return row }
        throw PayoutError.unknownPayout(id)
    }

    func payoutView(
        _ row: PayoutRow, warnings: [String], in transaction: StoreTransaction
    ) throws
        -> PayoutView
    {
        let quote = try JSONDecoder().decode(PayoutQuote.self, from: Data(row.quote.utf8))
        let beneficiary = try transaction.beneficiary(company: row.company, id: row.beneficiary)
        return PayoutView(
            id: row.id, uetr: row.uetr, company: row.company, beneficiary: row.beneficiary,
            beneficiaryName: beneficiary?.name ?? row.beneficiary,
            beneficiaryBank: beneficiary?.bank ?? "",
            beneficiaryNew: beneficiary.map { $0.paidVersion != row.beneficiaryVersion } ?? true,
            beneficiaryApproved: beneficiary.map {
                $0.status == BeneficiaryStatus.approved.rawValue
                    && $0.version == row.beneficiaryVersion
            } ?? false,
            status: row.status, quote: quote, executionDate: row.executionDate,
            reference: row.reference, createdBy: row.createdBy, createdAt: row.createdAt.iso8601,
            expiresAt: row.expiresAt.iso8601, warnings: warnings, approvals: row.approvals,
            approvalsNeeded: try approvalsNeeded(row, quote: quote, in: transaction),
            outcome: try Self.outcome(row),
            recall: try row.recall.map(StoredRecall.decode).map {
                "\($0.reason): \($0.status) (\($0.detail))"
            })
    }

    /// When the paying wallet cannot cover the quote's debit, proposes the conversion from
    /// another wallet that the approval will make; the warnings say which, or that none can.
    func proposeFunding(
        _ quote: inout PayoutQuote, company: String, in scope: TransactionScope
    ) throws -> [String] {
        let debit = try Money.parsePositive("\(quote.debited) \(quote.sendCurrency)")
        let missing = try shortfall(company: company, debit: debit, in: scope)
        quote.funding = nil
        guard missing.minorUnits > 0 else { return [] }
        guard
            let found = try fundingProposal(
                company: company, shortfall: missing, on: RateDay(scope.now), in: scope)
        else {
            return [
                "wallet \(company) \(debit.currency.code) is \(missing) short and no other wallet can cover it: fund it before approval"
            ]
        }
        quote.funding = found.proposal
        return [
            "wallet \(company) \(debit.currency.code) is \(missing) short: approving will \(found.proposal.text)"
        ]
    }

    /// How a payout ended; nil while it has not.
    static func outcome(_ row: PayoutRow) throws -> String? {
        guard let text = row.journey else { return nil }
        let journey = try StoredJourney.decode(text)
        let amount = "\(journey.endAmount.amount) \(journey.endAmount.currency)"
        switch PayoutStatus(rawValue: row.status) {
        case .credited: return "credited \(amount) to the beneficiary"
        case .returned:
            let reason = journey.reason.map { " (\($0): \(GPIReason.meaning($0)))" } ?? ""
            return "returned: \(amount) credited back to the wallet\(reason)"
        default: return nil
        }
    }

    /// The creditor agent the router aims at: the beneficiary's BIC, or for a bank named by a
    /// national clearing id a stand-in BIC of its country (`CLRGINXXXXX`) that is never in the
    /// network, so the route ends with that country's domestic clearing (an estimate).
    static func destination(of beneficiary: BeneficiaryRow) -> String {
        if BIC.isWellFormed(beneficiary.bank) {
            return beneficiary.bank.count == 8 ? beneficiary.bank + "XXX" : beneficiary.bank
        }
        let country =
            beneficiary.bank.split(separator: ":").first.map(String.init) ?? beneficiary.country
        return "CLRG\(country)XXXXX"
    }

    /// A stable 64-bit seed from text (UETRs are reproducible from the same inputs).
    static func seed(_ text: String) -> UInt64 { FNV1a.hash(text) }
}
