import ArgumentParser
import Foundation
import FundflowCore
import FundflowEngine

struct RatesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rates",
        abstract: "ECB reference rates (and your own for what the ECB lacks): load, fetch, show.",
        subcommands: [RatesShow.self, RatesHistory.self, RatesLoad.self, RatesFetch.self])
}

struct RatesShow: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "A currency's rate per EUR on a date (the latest published on or before it).")
    static let examples = ["rates show USD", "rates show HRK --date 2022-12-30 --json"]

    @Argument(help: "Currency code.")
    var currency: String

    @Option(help: "The date (default: today).")
    var date: String?

    @OptionGroup var common: CommonOptions

    func execute(in session: Session, commandText: String) throws -> Output {
        let (engine, actor) = try session.engine()
        let (quote, warning) = try engine.rate(of: currency, on: date, as: actor)
        let cross = CrossRate(
            from: quote.currency, to: .eur, fromQuote: quote.rate, toQuote: .one, day: quote.day)
        let text =
            "1 EUR = \(quote.rate) \(quote.currency.code)   1 \(quote.currency.code) = \(cross.midText) EUR   "
            + "(\(quote.day), \(quote.source))\n"
        return Output(
            text: text,
            json: .object([
                ("currency", .string(quote.currency.code)),
                ("perEUR", .string(quote.rate.description)),
                ("eurPer", .string(cross.midText)), ("rateDate", .string(quote.day.description)),
                ("source", .string(quote.source)), ("warning", .optional(warning)),
            ]),
            notices: warning.map { [$0] } ?? [])
    }
}

struct RatesHistory: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "How many QUOTE one BASE bought on each day, with a chart.")
    static let examples = [
        "rates history EUR USD --from 2026-01-01 --to 2026-10-30",
        "rates history USD JPY --from 2025-01-01 --to 2025-12-31",
    ]

    @Argument(help: "Base currency.")
    var base: String

    @Argument(help: "Quote currency.")
    var quote: String

    @Option(help: "First day.")
    var from: String

    @Option(help: "Last day.")
    var to: String

    @OptionGroup var common: CommonOptions

    func execute(in session: Session, commandText: String) throws -> Output {
        let (engine, actor) = try session.engine()
        let history = try engine.rateHistory(
            base: base, quote: quote, from: from, to: to, as: actor)
        guard !history.isEmpty else {
            return Output(text: "no rates for \(base)/\(quote) in that period\n", json: .array([]))
        }
        let values = history.map { ($0.day.description, $0.rate.midText) }
        let chart = LineChart(points: values.map { ($0.0, Double($0.1) ?? 0) })
        var text =
            "1 \(base) in \(quote), \(history.count) days from \(values[0].0) to \(values[values.count - 1].0)\n\n"
        text += chart.rendered()
        if let low = values.min(by: { (Double($0.1) ?? 0) < (Double($1.1) ?? 0) }),
            let high = values.max(by: { (Double($0.1) ?? 0) < (Double($1.1) ?? 0) })
        {
            text +=
                "\nlow \(low.1) on \(low.0), high \(high.1) on \(high.0), last \(values[values.count - 1].1)\n"
        }
        return Output(
            text: text,
            json: .array(
                values.map { .object([("date", .string($0.0)), ("rate", .string($0.1))]) }))
    }
}

struct RatesLoad: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "load",
        abstract:
            "Merge an ECB file (history CSV, daily CSV or XML) or a user file (date,base,quote,rate)."
    )
    static let examples = ["rates load eurofxref-daily.xml", "rates load my-rates.csv"]

    @Argument(help: "The file.")
    var file: String

    @OptionGroup var common: CommonOptions

    func execute(in session: Session, commandText: String) throws -> Output {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw ShellError.cannotRead(file, reason: "no such file or not readable")
        }
        let (engine, context) = try session.context(commandText)
        let load = try engine.loadRates(
            text: String(decoding: data, as: UTF8.self), file: file, context)
        return RatesRendering.output(load)
    }
}

struct RatesFetch: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch",
        abstract: "Download ECB rates over HTTP(S), check them, merge them in one transaction.")
    static let examples = [
        "rates fetch",
        "rates fetch https://www.ecb.europa.eu/stats/eurofxref/eurofxref-hist-90d.xml",
    ]

    @Argument(help: "URL (default: the ECB's daily XML).")
    var url: String?

    @Option(help: "Give up after this long (e.g. 20s).")
    var timeout: String = "20s"

    @OptionGroup var common: CommonOptions

    func execute(in session: Session, commandText: String) throws -> Output {
        let seconds = try Duration.seconds(parsing: timeout)
        let (engine, context) = try session.context(commandText)
        return RatesRendering.output(
            try engine.fetchRates(url: url, timeoutSeconds: seconds, context))
    }
}

enum RatesRendering {
    static func output(_ load: FundflowEngine.RatesLoad) -> Output {
        Output(
            text:
                "merged \(load.rates) rates on \(load.days) days (\(load.first) to \(load.last)) from \(load.file) (\(load.layout))\n",
            json: .object([
                ("file", .string(load.file)), ("layout", .string(load.layout)),
                ("rates", .number(Int64(load.rates))),
                ("days", .number(Int64(load.days))), ("first", .string(load.first)),
                ("last", .string(load.last)),
            ]))
    }
}

struct FXCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fx",
        abstract:
            "Conversions at ECB cross rates, exactly as DESIGN.md §2 says; quotes that hold a rate.",
        subcommands: [FXConvert.self, FXQuote.self])
}

struct FXConvert: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "What an amount is worth in another currency, at a date, after a margin.")
    static let examples = [
        "fx convert \"1000.00 USD\" --to JPY",
        "fx convert \"250 EUR\" --to GBP --date 2026-10-30 --margin-bps 35 --json",
    ]

    @Argument(help: "Amount and currency.")
    var amount: String

    @Option(help: "Target currency.")
    var to: String

    @Option(help: "The date of the rate (default: today).")
    var date: String?

    @Option(help: "Margin in basis points (1/100 %), taken from the customer amount.")
    var marginBps: Int64 = 0

    @OptionGroup var common: CommonOptions

    func execute(in session: Session, commandText: String) throws -> Output {
        let (engine, actor) = try session.engine()
        let conversion = try engine.convert(
            amount: amount, to: to, date: date, marginBps: marginBps, as: actor)
        return FXRendering.output(conversion, quote: nil, expires: nil)
    }
}

struct FXQuote: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "quote",
        abstract: "Fix today's rate for a while; `wallet convert --quote ID` uses it once.")
    static let examples = ["fx quote \"5000.00 EUR\" --to USD --margin-bps 25 --valid 5m"]

    @Argument(help: "Amount and currency.")
    var amount: String

    @Option(help: "Target currency.")
    var to: String

    @Option(help: "Margin in basis points.")
    var marginBps: Int64 = 0

    @Option(help: "How long the rate holds (default 2m).")
    var valid: String?

    @OptionGroup var common: CommonOptions

    func execute(in session: Session, commandText: String) throws -> Output {
        let seconds = try valid.map(Duration.seconds(parsing:))
        let (engine, context) = try session.context(commandText)
        let quote = try engine.quoteFX(
            amount: amount, to: to, marginBps: marginBps, validSeconds: seconds, context)
        return FXRendering.output(quote.conversion, quote: quote.id, expires: quote.expiresAt)
    }
}

enum FXRendering {
    static func output(_ conversion: Conversion, quote: Int64?, expires: String?) -> Output {
        var text =
            "\(conversion.source) \(conversion.sourceCurrency) = \(conversion.amount) \(conversion.currency)\n"
        text +=
            "  mid rate \(conversion.midRate), applied \(conversion.appliedRate) (margin \(conversion.marginBps) bps = \(conversion.margin) \(conversion.currency)), ECB rates of \(conversion.rateDate)\n"
        if let quote, let expires { text += "  quote \(quote), holds until \(expires)\n" }
        var fields: [(String, JSON)] = [
            ("amount", .string(conversion.amount)), ("currency", .string(conversion.currency)),
            ("midRate", .string(conversion.midRate)),
            ("appliedRate", .string(conversion.appliedRate)),
            ("rateDate", .string(conversion.rateDate)), ("source", .string(conversion.source)),
            ("sourceCurrency", .string(conversion.sourceCurrency)),
            ("marginBps", .number(conversion.marginBps)),
            ("margin", .string(conversion.margin)),
        ]
        if let quote { fields.append(("quote", .number(quote))) }
        if let expires { fields.append(("expiresAt", .string(expires))) }
        return Output(
            text: text, json: .object(fields),
            notices: conversion.warning.map { ["stale rate: \($0)"] } ?? [])
    }
}
