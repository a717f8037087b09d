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
    /// `--accept-valid` was given: a problem of the file itself, or no item without one.
    public var acceptValid = false
    /// The problem is the file itself (unreadable, a wrong header, a wrong group count or sum):
    /// no item can be taken from it.
    public var wholeFile = false

    public var description: String {
        let count = problems.count
        let listed = problems.map { "  \($0.location): \($0.message)" }.joined(separator: "\n")
        let advice =
            wholeFile
            ? "the file itself is wrong: fix it and import it again"
            : acceptValid
                ? "with --accept-valid too: no item is without a problem"
                : "fix them, or take the good items with --accept-valid"
        return
            "\(file) was refused (\(count) problem\(count == 1 ? "" : "s"); nothing was imported — \(advice)):\n\(listed)"
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

    /// Written by hand (JSONEncoder took a tenth of an import); what the synthesized Decodable
    /// reads back, absent optionals left out as JSONEncoder leaves them.
    func json() throws -> String {
        var out = JSONObjectWriter()
        let fields: [(String, String?)] = [
            ("path", path), ("block", block), ("instructionID", instructionID),
            ("endToEndID", endToEndID), ("uetr", uetr), ("amountType", amountType),
            ("amount", amount), ("currency", currency), ("deliveredCurrency", deliveredCurrency),
            ("wallet", wallet), ("bearer", bearer), ("executionDate", executionDate),
            ("creditorName", creditorName), ("creditorAccount", creditorAccount),
            ("creditorAgentBIC", creditorAgentBIC),
            ("creditorAgentClearingID", creditorAgentClearingID),
            ("creditorCountry", creditorCountry), ("street", street), ("building", building),
            ("postcode", postcode), ("town", town), ("purpose", purpose),
            ("remittance", remittance), ("creditorReference", creditorReference),
        ]
        for case (let name, let value?) in fields { out.string(name, value) }
        return out.finished()
    }
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
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw EngineError.invalidArgument("cannot read \(path): no such file or no permission")
        }
        let name = URL(fileURLWithPath: path).lastPathComponent
        let network = try network()
        return try mutate(context, needs: nil) { mutation in
            let transaction = mutation.transaction
            try requireMember(company, context.actor, roles: [.treasurer], in: transaction)
            let importer = BatchImporter(
                company: company, fileName: name, actor: context.actor.name, now: mutation.now,
                wallets: Set(try transaction.wallets(company: company).map(\.currency.code)),
                network: network, transaction: transaction, progress: progress)
            return try transaction.withSmallPageCache {
                let reading = try BatchFiles.stream(path: path, file: name, into: importer)
                return try importer.finish(reading, acceptValid: acceptValid, engine: self)
            }
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

    /// - Parameter debtorWallet: the currency of the company's wallet the block's debtor IBAN
    ///   names, if it names one: a payment with a fixed amount to arrive is debited there.
    static func stored(
        _ item: BatchItem, block: BatchBlock, debtorWallet: String? = nil
    ) -> StoredBatchItem {
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
            wallet =
                debit?.code ?? debtorWallet ?? block.debtorAccountCurrency ?? money.currency.code
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
        _ item: StoredBatchItem, company: String, wallets: Set<String>, network: Network,
        debtorWallet: (iban: String, currency: String)? = nil
    ) -> [BatchProblem] {
        var problems: [BatchProblem] = []
        func add(_ message: String) {
            problems.append(
                BatchProblem(location: item.path, message: message, scope: .item(item.path)))
        }
        if let debtorWallet, debtorWallet.currency != item.wallet {
            add(
                "the debtor account \(debtorWallet.iban) is \(company)'s \(debtorWallet.currency) wallet, but this payment debits \(item.wallet): give the amount in \(debtorWallet.currency) (EqvtAmt), or pay it from a block whose debtor account is \(company)'s \(item.wallet) wallet"
            )
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
}

/// Writes a batch file's payments to the database as they are read (one transaction: a refusal
/// rolls it all back), checks each against the books and the network, and on a repeated MsgId
/// compares them with the stored batch instead.
final class BatchImporter: BatchItemConsumer {
    let company: String
    let fileName: String
    let actor: String
    let now: Timestamp
    let wallets: Set<String>
    let network: Network
    let transaction: StoreTransaction
    let progress: ((Int, Int) -> Void)?

    var batchID: Int64?
    var existing: BatchRow?
    /// The first difference from the stored batch of the same MsgId.
    var difference: String?
    var read = 0
    var taken = 0
    var bookProblems: [BatchProblem] = []
    /// Sums of the items taken, per block path and currency (a block may be dropped at the end).
    var sums: [String: [String: Int64]] = [:]
    var takenByBlock: [String: Int] = [:]
    var currencies: [String] = []
    /// Positions the stored batch of the same MsgId does not have, with their block: a block
    /// `--accept-valid` dropped then is dropped now too, anything else is a difference.
    var missing: [(position: Int, block: String)] = []
    /// The wallet each block's debtor IBAN names (nil: none), looked up once per block.
    var debtorWallets: [String: WalletRow?] = [:]

    init(
        company: String, fileName: String, actor: String, now: Timestamp, wallets: Set<String>,
        network: Network, transaction: StoreTransaction, progress: ((Int, Int) -> Void)?
    ) {
        self.company = company
        self.fileName = fileName
        self.actor = actor
        self.now = now
        self.wallets = wallets
        self.network = network
        self.transaction = transaction
        self.progress = progress
    }

    func begin(messageID: String, format: BatchFileFormat) throws {
        if let existing = try transaction.batch(company: company, messageID: messageID) {
            self.existing = existing
            return
        }
        batchID = try transaction.beginBatch(
            NewBatch(
                company: company, messageID: messageID, format: format.rawValue,
                fileName: fileName, leftOut: 0, totals: "[]", problems: "[]",
                importedBy: actor, importedAt: now))
    }

    func item(_ item: BatchItem, in block: BatchBlock, problems: [BatchProblem]) throws {
        read += 1
        if read % 1_000 == 0 { progress?(read, 0) }
        // The debtor account names a wallet by its IBAN: the company's own one decides what is
        // debited; another customer's is refused; an IBAN no wallet carries falls back to the
        // company's wallet in the payment's currency.
        let named: WalletRow?
        if let known = debtorWallets[block.path] {
            named = known
        } else {
            named = try block.debtorIBAN.flatMap { try transaction.wallet(iban: $0) }
            debtorWallets[block.path] = named
            if let named, named.company != company {
                bookProblems.append(
                    BatchProblem(
                        location: block.path,
                        message:
                            "the debtor account \(block.debtorIBAN ?? "") is not one of \(company)'s wallets: a company pays only from its own",
                        scope: .block(block.path)))
            }
        }
        let own = named.flatMap { $0.company == company ? $0 : nil }
        let entry = Engine.stored(item, block: block, debtorWallet: own?.currency.code)
        let found = Engine.bookProblems(
            entry, company: company, wallets: wallets, network: network,
            debtorWallet: own.map { ($0.iban ?? "", $0.currency.code) })
        bookProblems += found
        let debtorRefused = named != nil && own == nil
        guard problems.isEmpty, found.isEmpty, !debtorRefused else { return }
        taken += 1
        takenByBlock[block.path, default: 0] += 1
        let money = try Money.parse("\(entry.amount) \(entry.currency)")
        if !currencies.contains(entry.currency) { currencies.append(entry.currency) }
        sums[block.path, default: [:]][entry.currency, default: 0] += money.minorUnits
        if let existing {
            guard difference == nil else { return }
            guard let row = try transaction.batchItem(batch: existing.id, position: read) else {
                missing.append((read, block.path))
                return
            }
            let old = try StoredBatchItem.decode(row.item)
            for ((field, was), (_, now)) in zip(old.fields, entry.fields) where was != now {
                difference = "at \(entry.path) \(field) was '\(was)', now '\(now)'"
                return
            }
            return
        }
        guard let batchID else { return }
        try transaction.insertBatchItem(
            batch: batchID, position: read, path: entry.path, item: try entry.json())
    }

    /// Every problem in one refusal, or the batch with what it holds.
    func finish(_ reading: BatchReading, acceptValid: Bool, engine: Engine) throws -> BatchView {
        if read > 0 { progress?(read, read) }
        let problems = reading.problems + bookProblems
        let errors = problems.map { BatchImportProblem(location: $0.location, message: $0.message) }
        let fileWide = reading.file == nil || problems.contains { $0.scope == .file }
        if fileWide {
            throw BatchRefusal(
                file: fileName, problems: errors, acceptValid: acceptValid, wholeFile: true)
        }
        let blocks = Set(
            problems.compactMap { problem -> String? in
                if case .block(let path) = problem.scope { return path }
                return nil
            })
        if !errors.isEmpty && !acceptValid {
            throw BatchRefusal(file: fileName, problems: errors, acceptValid: acceptValid)
        }
        var kept = taken
        for path in blocks {
            if let batchID { _ = try transaction.deleteBatchItems(batch: batchID, under: path) }
            kept -= takenByBlock[path] ?? 0
            sums[path] = nil
        }
        if kept == 0 {
            throw BatchRefusal(file: fileName, problems: errors, acceptValid: acceptValid)
        }
        if let existing {
            if difference == nil, let extra = missing.first(where: { !blocks.contains($0.block) }) {
                difference = "item \(extra.position) of this file is not in the batch"
            }
            if let difference {
                throw EngineError.invalidArgument(
                    "MsgId \(existing.messageID) was imported on \(existing.importedAt) as batch \(existing.id) with other content: \(difference); give the file a new MsgId"
                )
            }
            let stored = try transaction.batchItemCount(batch: existing.id)
            if stored != kept {
                throw EngineError.invalidArgument(
                    "MsgId \(existing.messageID) was imported on \(existing.importedAt) as batch \(existing.id) with other content: it had \(stored) items, this file has \(kept); give the file a new MsgId"
                )
            }
            return try engine.batchView(existing, existing: true, in: transaction)
        }
        guard let batchID else { throw BatchRefusal(file: fileName, problems: errors) }
        var totals: [BatchView.Total] = []
        for code in currencies where sums.values.contains(where: { $0[code] != nil }) {
            let minor = sums.values.reduce(Int64(0)) { $0 + ($1[code] ?? 0) }
            totals.append(
                BatchView.Total(
                    currency: code,
                    amount: Money(minorUnits: minor, currency: try Currency.named(code))
                        .amountString))
        }
        let readable = read
        try transaction.finishBatch(
            id: batchID, items: kept, leftOut: readable - kept,
            totals: String(decoding: try JSONEncoder().encode(totals), as: UTF8.self),
            problems: String(decoding: try JSONEncoder().encode(errors), as: UTF8.self))
        guard let row = try transaction.batch(id: batchID) else {
            throw BatchError.unknown(batchID)
        }
        return try engine.batchView(row, existing: false, in: transaction)
    }
}
