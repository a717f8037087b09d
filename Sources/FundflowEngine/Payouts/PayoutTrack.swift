import Foundation
import FundflowCore

/// A payout's journey as stored at release: every event the network will produce, with its time.
/// The tracker shows the events whose time the database clock has passed, so a payout moves on
/// as the clock does (DESIGN.md §5), and the same seed and inputs always give the same events.
struct StoredJourney: Codable, Equatable, Sendable {
    struct Amount: Codable, Equatable, Sendable {
        let amount: String
        let currency: String

        init(_ money: Money) {
            amount = money.amountString
            currency = money.currency.code
        }

        var money: Money {
            get throws { try Money.parse("\(amount) \(currency)") }
        }
    }

    struct Charge: Codable, Equatable, Sendable {
        let agent: String
        let amount: Amount
    }

    struct Conversion: Codable, Equatable, Sendable {
        let source: String
        let target: String
        let rate: String
    }

    struct Event: Codable, Equatable, Sendable {
        let time: Int64
        let from: String
        let to: String
        let status: String
        let reason: String
        let instructed: Amount
        let settlement: Amount?
        let confirmed: Amount?
        let charges: [Charge]
        let conversion: Conversion?
        let isReturn: Bool
        let tracked: Bool
    }

    let events: [Event]
    /// `credited` or `returned`.
    let end: String
    /// The amount credited to the beneficiary, or returned to the debtor agent.
    let endAmount: Amount
    /// The reject reason of a return.
    let reason: String?
    /// The bank that rejected, when one was told to fail.
    let rejectedBy: String?

    init(_ journey: PayoutJourney, rejectedBy: String?) {
        events = journey.events.map { event in
            Event(
                time: event.time.millisecondsSinceEpoch, from: event.from, to: event.to,
                status: event.status.rawValue, reason: event.reason,
                instructed: Amount(event.instructed), settlement: event.settlement.map(Amount.init),
                confirmed: event.confirmed.map(Amount.init),
                charges: event.charges.map { Charge(agent: $0.agent, amount: Amount($0.amount)) },
                conversion: event.conversion.map {
                    Conversion(source: $0.source.code, target: $0.target.code, rate: $0.rate)
                }, isReturn: event.isReturn, tracked: event.tracked)
        }
        switch journey.end {
        case .credited(let amount):
            end = "credited"
            endAmount = Amount(amount)
            reason = nil
        case .returned(let why, let returned):
            end = "returned"
            endAmount = Amount(returned)
            reason = why
        }
        self.rejectedBy = rejectedBy
    }

    /// When the last event happens: the payout's journey ends then.
    var endsAt: Timestamp {
        Timestamp(millisecondsSinceEpoch: events.last?.time ?? 0)
    }

    func json() throws -> String { String(decoding: try JSONEncoder().encode(self), as: UTF8.self) }

    static func decode(_ text: String) throws -> StoredJourney {
        try JSONDecoder().decode(StoredJourney.self, from: Data(text.utf8))
    }
}

/// A recall asked after release (`payout recall`), and how the network answered it.
struct StoredRecall: Codable, Equatable, Sendable {
    let reason: String
    /// `CNCL` (stopped; the money comes back as a return), `PDCR` (the beneficiary's bank asks the
    /// beneficiary: money moves only if a return arrives) or `RJCR` (refused).
    let status: String
    let detail: String
    let by: String
    let at: Int64

    func json() throws -> String { String(decoding: try JSONEncoder().encode(self), as: UTF8.self) }

    static func decode(_ text: String) throws -> StoredRecall {
        try JSONDecoder().decode(StoredRecall.self, from: Data(text.utf8))
    }
}

/// `track UETR --json`: the payout as the SWIFT gpi tracker reports it, with gpi's field names.
public struct PayoutTrack: Codable, Equatable, Sendable {
    public struct Amount: Codable, Equatable, Sendable {
        public let amount: String
        public let currency: String
    }

    public struct Charge: Codable, Equatable, Sendable {
        public let amount: Amount
        public let agent: String
    }

    public struct Event: Codable, Equatable, Sendable {
        public let from: String
        public let to: String
        public let eventStatus: String
        public let eventStatusReason: String?
        /// What the status and reason mean, for people.
        public let meaning: String
        public let instructedAmount: Amount
        public let interbankSettlementAmount: Amount?
        public let confirmedAmount: Amount?
        public let chargesInformation: [Charge]
        public let sourceCurrency: String?
        public let targetCurrency: String?
        public let exchangeRate: String?
        public let eventCreationDateTime: String
        public let isReturn: Bool

        enum CodingKeys: String, CodingKey {
            case from, to, meaning
            case eventStatus = "event_status"
            case eventStatusReason = "event_status_reason"
            case instructedAmount = "instructed_amount"
            case interbankSettlementAmount = "interbank_settlement_amount"
            case confirmedAmount = "confirmed_amount"
            case chargesInformation = "charges_information"
            case sourceCurrency = "source_currency"
            case targetCurrency = "target_currency"
            case exchangeRate = "exchange_rate"
            case eventCreationDateTime = "event_creation_date_time"
            case isReturn = "return"
        }
    }

    public let uetr: String
    public let payout: Int64
    public let company: String
    public let beneficiary: String
    /// Fundflow's own state of the payout (quoted, approved, released, credited, returned, …).
    public let state: String
    /// `ACSP`, `ACCC` or `RJCT` once released; `PDNG` before.
    public let transactionStatus: String
    public let transactionStatusReason: String?
    public let meaning: String
    public let releaseAt: String
    public let paymentEvent: [Event]
    public let recall: Recall?

    public struct Recall: Codable, Equatable, Sendable {
        public let reason: String
        public let status: String
        public let detail: String
        public let requestedBy: String
        public let requestedAt: String

        enum CodingKeys: String, CodingKey {
            case reason, status, detail
            case requestedBy = "requested_by"
            case requestedAt = "requested_at"
        }
    }

    enum CodingKeys: String, CodingKey {
        case uetr, payout, company, beneficiary, state, meaning, recall
        case transactionStatus = "transaction_status"
        case transactionStatusReason = "transaction_status_reason"
        case releaseAt = "release_at"
        case paymentEvent = "payment_event"
    }
}

extension PayoutTrack.Amount {
    init(_ stored: StoredJourney.Amount) {
        self.init(amount: stored.amount, currency: stored.currency)
    }
}
