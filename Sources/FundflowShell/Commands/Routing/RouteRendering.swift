import Foundation
import FundflowCore
import FundflowEngine

/// How routes read in tables and JSON.
enum RouteRendering {
    /// `CHASUS33XXX -USD-> CITIUS33XXX -USD-> BNORPHMMXXX`: the banks and the currency on each
    /// link, since two routes through the same banks may carry different currencies.
    static func path(_ plan: RoutePlan) -> String { plan.description }

    /// `2026-11-30 14:05` in UTC.
    static func utc(_ time: Timestamp) -> String {
        let text = time.iso8601
        return String(text.prefix(10)) + " " + String(text.dropFirst(11).prefix(5))
    }

    /// A time in a bank's own zone: `2026-11-30 09:00 EST`.
    static func local(_ time: Timestamp, zone identifier: String?) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone =
            identifier.flatMap(TimeZone.init(identifier:)) ?? TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm zzz"
        return formatter.string(
            from: Date(timeIntervalSince1970: TimeInterval(time.millisecondsSinceEpoch / 1000)))
    }

    static func fees(_ outcome: RouteOutcome) -> String {
        let charged = outcome.hops.filter { $0.fee.minorUnits > 0 }
        guard !charged.isEmpty else { return "no fees" }
        return charged.map {
            "\($0.bank) \($0.fee.groupedAmountString) \($0.fee.currency.code)\($0.feeBilled ? " billed" : "")"
        }
        .joined(separator: "; ")
    }

    static func conversions(_ outcome: RouteOutcome) -> String {
        let converting = outcome.hops.filter { $0.conversion != nil }
        guard !converting.isEmpty else { return "no conversion" }
        return converting.compactMap { hop in
            hop.conversion.map { conversion in
                "\(hop.bank) \(conversion.from.code)>\(conversion.to.code) at \(conversion.appliedRate) "
                    + "(ECB mid \(conversion.midRate), margin \(conversion.marginBps) bps = "
                    + "\(conversion.marginCost.groupedAmountString) \(conversion.marginCost.currency.code))"
            }
        }.joined(separator: "; ")
    }

    /// Issue 5's JSON shape for one route.
    static func json(_ route: Router.Route, flags: [String]) -> JSON {
        let outcome = route.outcome
        return .object([
            ("path", .array(outcome.plan.banks.map(JSON.string))),
            ("bearer", .string(outcome.bearer.rawValue)),
            ("instructed", .string(outcome.instructed.amountString)),
            ("instructedCurrency", .string(outcome.instructed.currency.code)),
            ("debited", .string(outcome.debited.amountString)),
            ("debitedCurrency", .string(outcome.debited.currency.code)),
            ("delivered", .string(outcome.delivered.amountString)),
            ("deliveredCurrency", .string(outcome.delivered.currency.code)),
            (
                "fees",
                .array(
                    outcome.hops.filter { $0.fee.minorUnits > 0 }.map { hop in
                        .object([
                            ("agent", .string(hop.bank)), ("amount", .string(hop.fee.amountString)),
                            ("currency", .string(hop.fee.currency.code)),
                            ("billed", .bool(hop.feeBilled)),
                        ])
                    })
            ),
            (
                "fx",
                .array(
                    outcome.hops.compactMap { hop in
                        hop.conversion.map { conversion in
                            .object([
                                ("agent", .string(hop.bank)),
                                ("from", .string(conversion.from.code)),
                                ("to", .string(conversion.to.code)),
                                ("rate", .string(conversion.appliedRate)),
                                ("midRate", .string(conversion.midRate)),
                                ("marginBps", .number(conversion.marginBps)),
                                ("marginCost", .string(conversion.marginCost.amountString)),
                                (
                                    "marginCostCurrency",
                                    .string(conversion.marginCost.currency.code)
                                ),
                            ])
                        }
                    })
            ),
            ("cost", .string(outcome.cost.amountString)),
            ("costCurrency", .string(outcome.cost.currency.code)),
            ("costPercent", .string(outcome.costPercent)),
            ("eta", .string(route.eta.iso8601)),
            ("estimated", .bool(route.estimated)),
            ("flags", .array(flags.map(JSON.string))),
        ])
    }
}
