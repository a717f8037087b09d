import Foundation
import FundflowCore
import FundflowEngine
import FundflowStore
import GRDB

/// A fresh database in a temporary folder, an engine on a manual clock, and the operator acting.
final class TestBooks: Sendable {
    let directory: URL
    let path: String
    let clock: ManualTimeSource
    let engine: Engine
    let admin: Actor

    static let start = Timestamp(millisecondsSinceEpoch: 1_793_610_000_000)  // 2026-11-02T09:00:00Z

    init(operatorName: String = "ops", simulated: Bool = false) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "fundflow-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        path = directory.appendingPathComponent("books.db").path
        clock = ManualTimeSource(Self.start)
        // A copy of a database that already holds the ECB history: loading 221,702 rates in a
        // debug build takes seconds, and almost every test needs some rates.
        if operatorName == "ops",
            let template = simulated ? Self.simulatedTemplate : Self.systemTemplate
        {
            try FileManager.default.copyItem(atPath: template, toPath: path)
        }
        engine = try Engine.open(
            path: path, operatorName: operatorName, clock: clock,
            defaults: DefaultFiles.locate(environment: [:]),
            simulated: simulated)
        admin = try engine.authenticate(name: operatorName, pin: nil, source: "test")
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    static let systemTemplate: String? = makeTemplate(simulated: false)
    static let simulatedTemplate: String? = makeTemplate(simulated: true)

    /// A new database with the rates loaded, checkpointed into one file that can be copied.
    private static func makeTemplate(simulated: Bool) -> String? {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "fundflow-template-\(simulated ? "sim" : "sys")-\(UUID().uuidString)")
        let path = directory.appendingPathComponent("template.db").path
        do {
            try FileManager.default.createDirectory(
                at: directory, withIntermediateDirectories: true)
            do {
                let engine = try Engine.open(
                    path: path, operatorName: "ops", clock: ManualTimeSource(start),
                    defaults: DefaultFiles.locate(environment: [:]), simulated: simulated)
                let admin = try engine.authenticate(name: "ops", pin: nil, source: "test")
                _ = try engine.rate(of: "USD", on: nil, as: admin)
            }
            let queue = try DatabaseQueue(path: path)
            try queue.writeWithoutTransaction {
                try $0.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
            }
            try queue.close()
            return path
        } catch {
            return nil
        }
    }

    func context(_ command: String = "test", as actor: Actor? = nil) -> CommandContext {
        CommandContext(actor: actor ?? admin, commandText: command)
    }

    /// Opens each account in its currency (the last segment, or `currency` for free-form names).
    func open(_ names: String...) throws {
        for name in names {
            let currency = String(name.split(separator: ":").last ?? "")
            _ = try engine.openAccount(
                name: name, currency: currency, type: nil, context("ledger open \(name)"))
        }
    }

    @discardableResult
    func post(
        _ debit: String, _ credit: String, _ amount: String, key: String? = nil,
        reason: String? = "test"
    )
        throws -> Keyed<TransferResult>
    {
        try engine.post(
            PostRequest(
                debit: debit, credit: credit, amount: amount, key: key, memo: nil, reason: reason),
            context("ledger post"))
    }

    func balance(_ name: String) throws -> AccountView {
        guard
            let view = try engine.accounts(prefix: name, as: admin).first(where: {
                $0.account == name
            })
        else {
            throw LedgerError.unknownAccount(name)
        }
        return view
    }

    /// A standard small book: EUR nostro, equity, one wallet funded with `funded`.
    static func funded(_ funded: String = "100.00 EUR") throws -> TestBooks {
        let books = try TestBooks()
        try books.open(
            "nostro:DEUTDEFFXXX:EUR", "equity:opening:EUR", "wallet:acme:EUR", "transit:gateway:EUR"
        )
        try books.post("nostro:DEUTDEFFXXX:EUR", "wallet:acme:EUR", funded, key: "fund")
        return books
    }
}
