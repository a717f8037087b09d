import FundflowEngine

/// How orders are shown: `order show` (timeline), `order list`, `order receipt`, and the JSON of
/// each.
enum OrderRendering {
    static func json(_ order: OrderView) -> JSON {
        .object([
            ("id", .number(order.id)), ("key", .string(order.key)),
            ("status", .string(order.status)),
            ("tradeStatus", .string(order.tradeStatus)), ("payer", .string(order.payer)),
            ("payee", .string(order.payee)),
            ("amount", .string(order.amount)), ("currency", .string(order.currency)),
            ("reference", .optional(order.reference)), ("withholding", .bool(order.withholding)),
            ("createdAt", .string(order.createdAt)), ("expiresAt", .string(order.expiresAt)),
            (
                "flows",
                .array(
                    order.flows.map { flow in
                        .object([
                            ("id", .number(flow.id)), ("source", .string(flow.source)),
                            ("amount", .string(flow.amount)),
                            ("status", .string(flow.status)),
                            ("reference", .string(flow.reference)),
                            ("attempt", .number(Int64(flow.attempt))),
                            ("caseOpen", .bool(flow.caseOpen)),
                            ("lastCode", .optional(flow.lastCode)),
                            ("refundable", .string(flow.refundable)),
                        ])
                    })
            ),
            (
                "refunds",
                .array(
                    order.refunds.map { refund in
                        .object([
                            ("id", .number(refund.id)), ("amount", .string(refund.amount)),
                            ("status", .string(refund.status)),
                            ("automatic", .bool(refund.automatic)),
                            (
                                "parts",
                                .array(
                                    refund.parts.map { part in
                                        .object([
                                            ("id", .number(part.id)), ("flow", .number(part.flow)),
                                            ("amount", .string(part.amount)),
                                            ("status", .string(part.status)),
                                        ])
                                    })
                            ),
                        ])
                    })
            ),
            (
                "events",
                .array(
                    order.events.map { event in
                        .object([
                            ("at", .string(event.at)), ("object", .string(event.object)),
                            ("from", .optional(event.from)),
                            ("to", .string(event.to)), ("detail", .optional(event.detail)),
                        ])
                    })
            ),
        ])
    }

    /// The full picture: what was asked, where the money is, and every state change in order.
    static func text(_ order: OrderView) -> String {
        var text =
            "order \(order.id): \(order.amount) \(order.currency) from \(order.payer) to \(order.payee)\n"
        text += "  status \(order.status) (trade order \(order.tradeStatus)), key \(order.key)"
        text += order.reference.map { ", reference \($0)" } ?? ""
        text += order.withholding ? ", withholding" : ""
        text += "\n  created \(order.createdAt), expires \(order.expiresAt)\n"
        if !order.flows.isEmpty {
            var flows = Table([
                .init("FLOW", .right), .init("SOURCE"), .init("AMOUNT", .right), .init("STATUS"),
                .init("REFERENCE"),
                .init("REFUNDABLE", .right), .init("NOTE"),
            ])
            flows.rows = order.flows.map { flow in
                var note = flow.lastCode.map { "code \($0)" } ?? ""
                if flow.attempt > 1 {
                    note += (note.isEmpty ? "" : ", ") + "attempt \(flow.attempt)"
                }
                if flow.caseOpen { note += (note.isEmpty ? "" : ", ") + "case open" }
                return [
                    "\(flow.id)", flow.source, flow.amount, flow.status, flow.reference,
                    flow.refundable, note,
                ]
            }
            text += "\n" + flows.rendered()
        }
        if !order.refunds.isEmpty {
            var refunds = Table([
                .init("REFUND", .right), .init("AMOUNT", .right), .init("STATUS"), .init("PARTS"),
            ])
            refunds.rows = order.refunds.map { refund in
                let parts = refund.parts.map { "flow \($0.flow): \($0.amount) \($0.status)" }
                    .joined(separator: "; ")
                return [
                    "\(refund.id)", refund.amount,
                    refund.status + (refund.automatic ? " (automatic)" : ""), parts,
                ]
            }
            text += "\n" + refunds.rendered()
        }
        var events = Table([
            .init("AT"), .init("OBJECT"), .init("FROM"), .init("TO"), .init("DETAIL"),
        ])
        events.rows = order.events.map {
            [$0.at, $0.object, $0.from ?? "-", $0.to, $0.detail ?? ""]
        }
        text += "\n" + events.rendered()
        return text
    }

    static func list(_ orders: [OrderView]) -> String {
        guard !orders.isEmpty else { return "no orders\n" }
        var table = Table([
            .init("ORDER", .right), .init("STATUS"), .init("TRADE"), .init("PAYER"), .init("PAYEE"),
            .init("AMOUNT", .right),
            .init("FLOWS", .right), .init("CREATED"),
        ])
        table.rows = orders.map {
            [
                "\($0.id)", $0.status, $0.tradeStatus, $0.payer, $0.payee,
                "\($0.amount) \($0.currency)", "\($0.flows.count)", $0.createdAt,
            ]
        }
        return table.rendered()
    }

    /// What was paid from which source, references and times, and what went back.
    static func receipt(_ order: OrderView) -> String {
        var text = "RECEIPT  order \(order.id)  \(order.payer) -> \(order.payee)\n"
        text += "amount   \(order.amount) \(order.currency)\n"
        text += "status   \(order.status)\n"
        text += order.reference.map { "ref      \($0)\n" } ?? ""
        var paid = Table([
            .init("PAID FROM"), .init("AMOUNT", .right), .init("REFERENCE"), .init("STATUS"),
            .init("SETTLED"),
        ])
        paid.rows = order.flows.map {
            [
                $0.source, "\($0.amount) \(order.currency)", $0.reference, $0.status,
                $0.settledAt ?? "-",
            ]
        }
        text += "\n" + paid.rendered()
        text += "fees     0.00 \(order.currency) (Fundflow charges none on this order)\n"
        let refunded = order.refunds.filter { $0.status != "failed" }
        if !refunded.isEmpty {
            var back = Table([
                .init("REFUNDED"), .init("AMOUNT", .right), .init("TO"), .init("STATUS"),
            ])
            for refund in refunded {
                for part in refund.parts {
                    let source =
                        order.flows.first { $0.id == part.flow }?.source ?? "flow \(part.flow)"
                    back.rows.append([
                        "refund \(refund.id)", "\(part.amount) \(order.currency)", source,
                        part.status,
                    ])
                }
            }
            text += "\n" + back.rendered()
        }
        text += "\ncreated  \(order.createdAt)\n"
        return text
    }
}
