import Foundation
import FundflowCore
import FundflowFormats
import FundflowStore

/// One problem of an import, where it is and what was expected.
public struct BatchImportProblem: Codable, Equatable, Sendable {
    public let location: String
    public let message: String
}

/// What `batch import` answers.
public struct BatchView: Codable, Equatable, Sendable, Replayable {
    public struct Total: Codable, Equatable, Sendable {
        public let currency: String
        public let amount: String
    }

    public let id: Int64
    public let company: String
    public let messageID: String
    public let format: String
    public let fileName: String
    public let status: String
    public let items: Int
    public let leftOut: Int
    public let totals: [Total]
    /// Problems the file had; with `--accept-valid` the batch holds the items without any.
    public let errors: [BatchImportProblem]
    public let importedBy: String
    public let importedAt: String
    /// The same MsgId and content were imported before: this is that batch.
    public let existing: Bool
}

/// The whole file refused: every problem, in document order.
public struct BatchRefusal: Error, Equatable, Sendable, CustomStringConvertible {
    public let file: String
    public let problems: [BatchImportProblem]

    public var description: String {
        let count = problems.count
        let listed = problems.map { "  \($0.location): \($0.message)" }.joined(separator: "\n")
        return
            "\(file) was refused (\(count) problem\(count == 1 ? "" : "s"); nothing was imported — fix them, or take the good items with --accept-valid):\n\(listed)"
    }
}

/// An item as the batch keeps it: what the file said, flattened, and the wallet it is paid from.
struct StoredBatchItem: Codable, Equatable, Sendable {
    let path: String
    let block: String
    let instructionID: String?
    let endToEndID: String
    let uetr: String?
    /// `send`, `debit` or `receive` (`BatchAmount`).
    let amountType: String
    let amount: String
    let currency: String
    let deliveredCurrency: String
    let wallet: String
    let bearer: String
    let executionDate: String?
    let creditorName: String?
    let creditorAccount: String
    let creditorAgentBIC: String?
    let creditorAgentClearingID: String?
    let creditorCountry: String?
    let street: String?
    let building: String?
    let postcode: String?
    let town: String?
    let purpose: String?
    let remittance: String?
    let creditorReference: String?

    /// Field names and values in a fixed order, to name the first difference between two imports.
    var fields: [(String, String)] {
        [
            ("path", path), ("PmtInfId", block), ("InstrId", instructionID ?? ""),
            ("EndToEndId", endToEndID), ("UETR", uetr ?? ""), ("amount type", amountType),
            ("amount", "\(amount) \(currency)"), ("currency", deliveredCurrency),
            ("wallet", wallet), ("ChrgBr", bearer), ("execution date", executionDate ?? ""),
            ("creditor", creditorName ?? ""), ("account", creditorAccount),
            ("agent", creditorAgentBIC ?? creditorAgentClearingID ?? ""),
            ("country", creditorCountry ?? ""),
            (
                "address",
                [street, building, postcode, town].map { $0 ?? "" }.joined(separator: "|")
            ),
            ("purpose", purpose ?? ""), ("remittance", remittance ?? ""),
            ("creditor reference", creditorReference ?? ""),
        ]
    }

    func json() throws -> String { String(decoding: try JSONEncoder().encode(self), as: UTF8.self) }
}

extension Engine {
    /// `batch import FILE --company C [--accept-valid]` (a treasurer of the company).
    ///
    /// Reads the file (pain.001.001.03/.09, Swiss SPS, payout CSV), then checks what only the books
    /// and the network know: a wallet in each item's debit currency, a creditor agent the network
    /// reaches (a network bank, or any bank of a country whose domestic clearing carries the
    /// currency). Every problem is reported in one refusal; with `acceptValid` the good items are
    /// taken and the problems kept with the batch. The batch is unique per company and MsgId: the
    /// same content again returns the existing batch, other content is refused naming the first
    /// difference.
    public func importBatch(
        path: String, company: String, acceptValid: Bool, _ context: CommandContext,
        progress: ((Int, Int) -> Void)? = nil
    ) throws -> BatchView {
        let bytes: [UInt8]
        do {
            bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw EngineError.invalidArgument("cannot read \(path): \(error.localizedDescription)")
        }
        let name = URL(fileURLWithPath: path).lastPathComponent
        let reading = BatchFiles.read(bytes, file: name)
        let network = try network()
        return try mutate(context, needs: nil) { mutation in
            let transaction = mutation.transaction
            try requireMember(company, context.actor, roles: [.treasurer], in: transaction)
            guard let file = reading.file else {
                throw BatchRefusal(file: name, problems: reading.problems.map(Self.problem))
            }
            var problems = reading.problems
            let wallets = Set(try transaction.wallets(company: company).map(\.currency.code))
            var stored: [(item: BatchItem, stored: StoredBatchItem)] = []
            let total = file.blocks.reduce(0) { $0 + $1.items.count }
            for block in file.blocks {
                for item in block.items {
                    let entry = Self.stored(item, block: block)
                    problems += Self.bookProblems(
                        entry, company: company, wallets: wallets, network: network)
                    stored.append((item, entry))
                    if stored.count % 1_000 == 0 { progress?(stored.count, total) }
                }
            }
            progress?(stored.count, total)
            let checked = BatchReading(file: file, problems: problems, fileName: name)
            let accepted = Set(checked.acceptableItems.map(\.path))
            let errors = problems.map(Self.problem)
            if !errors.isEmpty && (!acceptValid || accepted.isEmpty) {
                throw BatchRefusal(file: name, problems: errors)
            }
            let taken = stored.filter { accepted.contains($0.item.path) }.map(\.stored)
            if let existing = try transaction.batch(company: company, messageID: file.messageID) {
                try Self.requireSame(existing, taken, in: transaction)
                return try batchView(existing, existing: true, in: transaction)
            }
            var sums: [String: Int64] = [:]
            var order: [String] = []
            for item in taken {
                let money = try Money.parse("\(item.amount) \(item.currency)")
                if sums[item.currency] == nil { order.append(item.currency) }
                sums[item.currency, default: 0] += money.minorUnits
            }
            let totals = try order.map { code in
                BatchView.Total(
                    currency: code,
                    amount: Money(minorUnits: sums[code] ?? 0, currency: try Currency.named(code))
                        .amountString)
            }
            let row = try transaction.insertBatch(
                NewBatch(
                    company: company, messageID: file.messageID, format: file.format.rawValue,
                    fileName: name, leftOut: total - taken.count,
                    totals: String(decoding: try JSONEncoder().encode(totals), as: UTF8.self),
                    problems: String(decoding: try JSONEncoder().encode(errors), as: UTF8.self),
                    importedBy: context.actor.name, importedAt: mutation.now),
                items: try taken.map { ($0.path, try $0.json()) })
            return try batchView(row, existing: false, in: transaction)
        }.value
    }

    /// `batch show ID` / `batch list COMPANY` (members).
    public func batch(_ id: Int64, as actor: Actor) throws -> BatchView {
        try store.read { transaction in
            guard let row = try transaction.batch(id: id) else {
                throw EngineError.invalidArgument("no batch \(id): see `batch list COMPANY`")
            }
            if actor.role != .admin { try requireMember(row.company, actor, in: transaction) }
            return try batchView(row, existing: false, in: transaction)
        }
    }

    public func batches(company: String, as actor: Actor) throws -> [BatchView] {
        try store.read { transaction in
            if actor.role != .admin { try requireMember(company, actor, in: transaction) }
            return try transaction.batches(company: company).map {
                try batchView($0, existing: false, in: transaction)
            }
        }
    }

    func batchView(
        _ row: BatchRow, existing: Bool, in transaction: StoreTransaction
    ) throws -> BatchView {
        BatchView(
            id: row.id, company: row.company, messageID: row.messageID, format: row.format,
            fileName: row.fileName, status: row.status, items: row.items, leftOut: row.leftOut,
            totals: try JSONDecoder().decode([BatchView.Total].self, from: Data(row.totals.utf8)),
            errors: try JSONDecoder().decode(
                [BatchImportProblem].self, from: Data(row.problems.utf8)),
            importedBy: row.importedBy, importedAt: row.importedAt.iso8601, existing: existing)
    }

    private static func problem(_ problem: BatchProblem) -> BatchImportProblem {
        BatchImportProblem(location: problem.location, message: problem.message)
    }

    static func stored(_ item: BatchItem, block: BatchBlock) -> StoredBatchItem {
        let type: String
        let wallet: String
        switch item.amount {
        case .send(let money):
            type = "send"
            wallet = money.currency.code
        case .debit(let money, _):
            type = "debit"
            wallet = money.currency.code
        case .receive(let money, let debit):
            type = "receive"
            wallet = debit?.code ?? block.debtorAccountCurrency ?? money.currency.code
        }
        let money = item.amount.money
        return StoredBatchItem(
            path: item.path, block: block.id, instructionID: item.instructionID,
            endToEndID: item.endToEndID, uetr: item.uetr, amountType: type,
            amount: money.amountString, currency: money.currency.code,
            deliveredCurrency: item.amount.deliveredCurrency.code, wallet: wallet,
            bearer: item.chargeBearer.rawValue,
            executionDate: item.executionDate ?? block.executionDate,
            creditorName: item.creditorName, creditorAccount: item.creditorAccount,
            creditorAgentBIC: item.creditorAgentBIC,
            creditorAgentClearingID: item.creditorAgentClearingID,
            creditorCountry: item.creditorCountry, street: item.address.street,
            building: item.address.building, postcode: item.address.postcode,
            town: item.address.town, purpose: item.purpose, remittance: item.remittance,
            creditorReference: item.creditorReference)
    }

    /// What the books and the network say about an item the reader found well formed.
    static func bookProblems(
        _ item: StoredBatchItem, company: String, wallets: Set<String>, network: Network
    ) -> [BatchProblem] {
        var problems: [BatchProblem] = []
        func add(_ message: String) {
            problems.append(
                BatchProblem(location: item.path, message: message, scope: .item(item.path)))
        }
        if !wallets.contains(item.wallet) {
            add(
                "\(company) has no \(item.wallet) wallet to pay \(item.amount) \(item.currency) from: `wallet open \(company) \(item.wallet)`"
            )
        }
        let currency = try? Currency.named(item.deliveredCurrency)
        if let bic = item.creditorAgentBIC {
            let full = bic.count == 8 ? bic + "XXX" : bic
            let country = String(bic.dropFirst(4).prefix(2))
            if network.banks[full] == nil,
                currency.flatMap({ network.clearingRule(country, $0) }) == nil
            {
                add(
                    "the creditor agent \(bic) is not in the network and \(country)'s domestic clearing does not carry \(item.deliveredCurrency): see `network banks`"
                )
            }
        } else if let clearing = item.creditorAgentClearingID {
            let country = item.creditorCountry ?? Self.accountCountry(item.creditorAccount) ?? ""
            if currency.flatMap({ network.clearingRule(country, $0) }) == nil {
                add(
                    "the creditor agent is given only by its clearing member id \(clearing): \(country.isEmpty ? "the creditor's country is unknown" : "\(country)'s domestic clearing does not carry \(item.deliveredCurrency)"); give its BIC"
                )
            }
        } else if let country = Self.accountCountry(item.creditorAccount),
            currency.flatMap({ network.clearingRule(country, $0) }) == nil
        {
            // No agent: the IBAN's bank is reached through its country's clearing.
            add(
                "no creditor agent, and \(country)'s domestic clearing does not carry \(item.deliveredCurrency) to reach the IBAN's bank: give the agent's BIC"
            )
        }
        return problems
    }

    /// The country of an IBAN account (`IBAN:DE89…`).
    static func accountCountry(_ account: String) -> String? {
        guard account.hasPrefix("IBAN:") else { return nil }
        return String(account.dropFirst(5).prefix(2))
    }

    /// The same MsgId again: the same items are the same batch, anything else names the first
    /// difference.
    private static func requireSame(
        _ existing: BatchRow, _ items: [StoredBatchItem], in transaction: StoreTransaction
    ) throws {
        let stored = try transaction.batchItems(batch: existing.id).map {
            try JSONDecoder().decode(StoredBatchItem.self, from: Data($0.item.utf8))
        }
        let intro =
            "MsgId \(existing.messageID) was imported on \(existing.importedAt) as batch \(existing.id) with other content"
        for (old, new) in zip(stored, items) where old != new {
            for ((field, was), (_, now)) in zip(old.fields, new.fields) where was != now {
                throw EngineError.invalidArgument(
                    "\(intro): at \(new.path) \(field) was '\(was)', now '\(now)'; give the file a new MsgId"
                )
            }
        }
        if stored.count != items.count {
            throw EngineError.invalidArgument(
                "\(intro): it had \(stored.count) items, this file has \(items.count); give the file a new MsgId"
            )
        }
    }
}
