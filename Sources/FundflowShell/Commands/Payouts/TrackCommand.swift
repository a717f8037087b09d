import ArgumentParser
import FundflowEngine

struct TrackCommand: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "track",
        abstract:
            "Where a payout is, hop by hop, as the SWIFT gpi tracker knows it (statuses, charges, FX).",
        discussion:
            "Events appear as the clock passes them; past a bank that does not report to gpi only G001 is known until a credit or a return arrives."
    )
    static let examples = [
        "track eb6305c9-1f7f-49de-aed0-16487c27b42d",
        "track eb6305c9-1f7f-49de-aed0-16487c27b42d --json",
    ]

    @Argument(help: "The payout's UETR (or its id).")
    var uetr: String

    @OptionGroup var common: CommonOptions

    func execute(in session: Session, commandText: String) throws -> Output {
        let (engine, actor) = try session.engine()
        let track = try engine.track(uetr, as: actor)
        return Output(text: TrackRendering.text(track), json: TrackRendering.json(track))
    }
}

enum TrackRendering {
    static func text(_ track: PayoutTrack) -> String {
        var text =
            "UETR \(track.uetr) — payout \(track.payout) of \(track.company) to \(track.beneficiary)\n"
        let reason = track.transactionStatusReason.map { " \($0)" } ?? ""
        text +=
            "status \(track.transactionStatus)\(reason): \(track.meaning) (payout \(track.state))\n"
        if let recall = track.recall {
            text +=
                "recall \(recall.reason) by \(recall.requestedBy) at \(recall.requestedAt): \(recall.status) — \(recall.detail)\n"
        }
        guard !track.paymentEvent.isEmpty else { return text }
        var table = Table([
            .init("TIME (UTC)"), .init("FROM → TO"), .init("STATUS"), .init("MEANING"),
            .init("AMOUNT", .right), .init("CHARGES"), .init("FX"),
        ])
        table.rows = track.paymentEvent.map { event in
            let amount =
                event.confirmedAmount ?? event.interbankSettlementAmount ?? event.instructedAmount
            let charges = event.chargesInformation.map {
                "\($0.amount.amount) \($0.amount.currency)"
            }
            let fx = event.exchangeRate.map {
                "\(event.sourceCurrency ?? "")>\(event.targetCurrency ?? "") \($0)"
            }
            return [
                event.eventCreationDateTime,
                event.from == event.to ? event.from : "\(event.from) → \(event.to)",
                event.eventStatus + (event.eventStatusReason.map { " \($0)" } ?? ""),
                event.meaning,
                "\(amount.amount) \(amount.currency)",
                charges.isEmpty ? "" : charges.joined(separator: ", "),
                fx ?? "",
            ]
        }
        return text + table.rendered()
    }

    static func json(_ track: PayoutTrack) -> JSON {
        func amount(_ value: PayoutTrack.Amount?) -> JSON {
            guard let value else { return .null }
            return .object([
                ("amount", .string(value.amount)), ("currency", .string(value.currency)),
            ])
        }
        return .object([
            ("uetr", .string(track.uetr)),
            ("transaction_status", .string(track.transactionStatus)),
            ("transaction_status_reason", .optional(track.transactionStatusReason)),
            ("meaning", .string(track.meaning)),
            ("payout", .number(track.payout)), ("company", .string(track.company)),
            ("beneficiary", .string(track.beneficiary)), ("state", .string(track.state)),
            ("release_at", .string(track.releaseAt)),
            (
                "payment_event",
                .array(
                    track.paymentEvent.map { event in
                        .object([
                            ("from", .string(event.from)), ("to", .string(event.to)),
                            ("event_status", .string(event.eventStatus)),
                            ("event_status_reason", .optional(event.eventStatusReason)),
                            ("meaning", .string(event.meaning)),
                            ("instructed_amount", amount(event.instructedAmount)),
                            (
                                "interbank_settlement_amount",
                                amount(event.interbankSettlementAmount)
                            ),
                            ("confirmed_amount", amount(event.confirmedAmount)),
                            (
                                "charges_information",
                                .array(
                                    event.chargesInformation.map {
                                        .object([
                                            ("amount", amount($0.amount)),
                                            ("agent", .string($0.agent)),
                                        ])
                                    })
                            ),
                            ("source_currency", .optional(event.sourceCurrency)),
                            ("target_currency", .optional(event.targetCurrency)),
                            ("exchange_rate", .optional(event.exchangeRate)),
                            ("event_creation_date_time", .string(event.eventCreationDateTime)),
                            ("return", .bool(event.isReturn)),
                        ])
                    })
            ),
            (
                "recall",
                track.recall.map {
                    .object([
                        ("reason", .string($0.reason)), ("status", .string($0.status)),
                        ("detail", .string($0.detail)), ("requested_by", .string($0.requestedBy)),
                        ("requested_at", .string($0.requestedAt)),
                    ])
                } ?? .null
            ),
        ])
    }
}
