import Foundation
import FundflowCore
import FundflowFormats
import FundflowStore

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A quote as `fx quote` shows it: a conversion whose rate is held until `expiresAt`.
public struct QuoteView: Equatable, Sendable, Codable, Replayable {
    public let id: Int64
    public let conversion: Conversion
    public let expiresAt: String
}

extension Engine {
    /// How long a quote holds its rate unless `--valid` says otherwise.
    public static let defaultQuoteSeconds: Int64 = 120

    /// `fx quote "AMOUNT CCY" --to CCY [--margin-bps N] [--valid DURATION]`: fixes today's rate for
    /// a while; `wallet convert --quote ID` uses it, once, before it expires.
    public func quoteFX(
        amount text: String, to code: String, marginBps: Int64, validSeconds: Int64?,
        _ context: CommandContext
    ) throws -> QuoteView {
        try ensureRates()
        return try mutate(context, needs: nil) { mutation in
            let amount = try Money.parsePositive(text)
            let target = try Currency.named(code)
            guard (0..<10_000).contains(marginBps) else {
                throw EngineError.invalidArgument("--margin-bps must be from 0 to 9999")
            }
            let valid = validSeconds ?? Engine.defaultQuoteSeconds
            guard (1...86_400).contains(valid) else {
                throw EngineError.invalidArgument("--valid must be from 1 s to 1 day")
            }
            let day = RateDay(mutation.now)
            let rate = try crossRate(
                from: amount.currency, to: target, on: day, in: mutation.transaction)
            let row = try mutation.transaction.insertFXQuote(
                rate: rate, amount: amount, marginBps: marginBps, createdAt: mutation.now,
                expiresAt: mutation.now.adding(milliseconds: valid * 1000),
                actor: mutation.context.actor.name)
            return QuoteView(
                id: row.id,
                conversion: try Conversion(
                    amount, rate: rate, marginBps: marginBps,
                    warning: Engine.staleness(of: rate, usedOn: day)),
                expiresAt: row.expiresAt.iso8601)
        }.value
    }

    /// The ECB's daily reference rates.
    public static let defaultRatesURL =
        "https://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml"

    /// `rates fetch [URL]`: downloads an ECB file (any layout), checks all of it, then merges it in
    /// one transaction. A timeout, an HTTP error or a malformed body changes nothing.
    public func fetchRates(
        url text: String?, timeoutSeconds: Int64 = 20, _ context: CommandContext
    ) throws -> RatesLoad {
        let address = text ?? Engine.defaultRatesURL
        let body = try auditingFailures(context, marked: false, reason: nil) {
            () throws -> String in
            try context.actor.require(.manageLedger)
            guard let url = URL(string: address),
                ["http", "https"].contains(url.scheme?.lowercased() ?? "")
            else {
                throw RatesError.fetch(address, reason: "not an http(s) URL")
            }
            return try Download.text(from: url, timeoutSeconds: timeoutSeconds)
        }
        let quotes = try auditingFailures(context, marked: false, reason: nil) {
            do {
                return try ECBRates.parse(body, file: address)
            } catch {
                throw RatesError.fetch(
                    address, reason: "the body is not an ECB rates file (\(error))")
            }
        }
        try ensureRates()
        return try mutate(context, needs: .manageLedger) { mutation in
            try mutation.transaction.upsertRates(quotes)
            return RatesLoad(
                quotes, file: address, layout: ECBRates.layout(of: body)?.rawValue ?? "ECB")
        }.value
    }
}

/// One HTTP GET through Foundation's URLSession (libcurl on Linux), waited for synchronously.
enum Download {
    static func text(from url: URL, timeoutSeconds: Int64) throws -> String {
        var request = URLRequest(url: url)
        request.timeoutInterval = TimeInterval(timeoutSeconds)
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = TimeInterval(timeoutSeconds)
        configuration.timeoutIntervalForResource = TimeInterval(timeoutSeconds)
        let session = URLSession(configuration: configuration)
        defer { session.finishTasksAndInvalidate() }
        let box = ResultBox()
        let done = DispatchSemaphore(value: 0)
        let task = session.dataTask(with: request) { data, response, error in
            box.set(data, response, error)
            done.signal()
        }
        task.resume()
        // URLSession on Linux enforces only an idle timeout; a body that trickles in would pass
        // it. The whole download gets `timeoutSeconds`, then it is cancelled.
        if done.wait(timeout: .now() + .seconds(Int(timeoutSeconds))) == .timedOut {
            task.cancel()
            session.invalidateAndCancel()
            throw RatesError.fetch(
                url.absoluteString, reason: "no complete answer within \(timeoutSeconds) s")
        }
        let (data, response, error) = box.get()
        if let error {
            let timedOut = (error as NSError).code == NSURLErrorTimedOut
            throw RatesError.fetch(
                url.absoluteString,
                reason: timedOut
                    ? "no answer within \(timeoutSeconds) s" : error.localizedDescription)
        }
        guard let http = response as? HTTPURLResponse else {
            throw RatesError.fetch(url.absoluteString, reason: "the answer was not HTTP")
        }
        guard http.statusCode == 200 else {
            throw RatesError.fetch(url.absoluteString, reason: "HTTP \(http.statusCode)")
        }
        guard let data, let text = String(data: data, encoding: .utf8) else {
            throw RatesError.fetch(url.absoluteString, reason: "the body is not UTF-8 text")
        }
        return text
    }

    /// Carries the callback's values to the waiting thread.
    private final class ResultBox: @unchecked Sendable {
        private let lock = NSLock()
        private var data: Data?
        private var response: URLResponse?
        private var error: (any Error)?

        func set(_ data: Data?, _ response: URLResponse?, _ error: (any Error)?) {
            lock.withLock {
                self.data = data
                self.response = response
                self.error = error
            }
        }

        func get() -> (Data?, URLResponse?, (any Error)?) {
            lock.withLock { (data, response, error) }
        }
    }
}
