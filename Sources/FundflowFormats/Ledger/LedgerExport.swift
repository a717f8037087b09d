public import FundflowCore

/// The plain-text accounting formats Fundflow exports to, each checked by its own tool in CI.
public enum ExportFormat: String, Sendable, CaseIterable {
    case hledger
    case ledger
    case beancount
}

/// An account as the export sees it.
public struct ExportAccount: Sendable {
    public let name: AccountName
    public let currency: Currency
    public let type: AccountType
    public let openedAt: Timestamp

    public init(name: AccountName, currency: Currency, type: AccountType, openedAt: Timestamp) {
        self.name = name
        self.currency = currency
        self.type = type
        self.openedAt = openedAt
    }
}

/// A transfer as the export sees it: legs in their accounts' currencies.
public struct ExportTransfer: Sendable {
    public let id: Int64
    public let at: Timestamp
    public let kind: String
    public let memo: String?
    public let legs: [(account: AccountName, side: Side, amount: Money)]

    public init(
        id: Int64, at: Timestamp, kind: String, memo: String?,
        legs: [(account: AccountName, side: Side, amount: Money)]
    ) {
        self.id = id
        self.at = at
        self.kind = kind
        self.memo = memo
        self.legs = legs
    }
}

public enum ExportError: Error, Equatable, Sendable, CustomStringConvertible {
    case nameCollision(String, String, exported: String)

    public var description: String {
        switch self {
        case .nameCollision(let first, let second, let exported):
            return
                "accounts \(first) and \(second) would both be exported as \(exported); rename one before exporting"
        }
    }
}

/// Renders the ledger for hledger, ledger-cli or beancount: every amount written explicitly, names
/// mapped to the tools' conventions (`wallet:acme:EUR` → `Liabilities:Wallet:Acme:EUR`), debits
/// positive and credits negative, dates in UTC.
public enum LedgerExport {
    /// The export name of an account: the type's root, then each segment with a capital first letter.
    public static func exportName(_ name: AccountName, type: AccountType) -> String {
        let root: String
        switch type {
        case .asset: root = "Assets"
        case .liability: root = "Liabilities"
        case .equity: root = "Equity"
        case .income: root = "Income"
        case .expense: root = "Expenses"
        }
        var segments = name.segments.map { $0.prefix(1).uppercased() + $0.dropFirst() }
        // `equity:opening:EUR` reads `Equity:Opening:EUR`, not `Equity:Equity:Opening:EUR`.
        if segments.first == root { segments.removeFirst() }
        return ([root] + segments).joined(separator: ":")
    }

    /// Renders the whole file. `transfers` must be in id order; accounts in any order.
    public static func render(
        _ format: ExportFormat, accounts: [ExportAccount], transfers: some Sequence<ExportTransfer>,
        generatedAt: Timestamp
    ) throws(ExportError) -> String {
        var names: [AccountName: String] = [:]
        var seen: [String: AccountName] = [:]
        for account in accounts.sorted(by: { $0.name < $1.name }) {
            let exported = exportName(account.name, type: account.type)
            if let other = seen[exported] {
                throw .nameCollision(other.rawValue, account.name.rawValue, exported: exported)
            }
            seen[exported] = account.name
            names[account.name] = exported
        }
        var out = header(format, generatedAt: generatedAt)
        out += declarations(
            format, accounts: accounts.sorted(by: { $0.name < $1.name }), names: names)
        for transfer in transfers {
            out += "\n" + entry(format, transfer, names: names)
        }
        return out
    }

    private static func header(_ format: ExportFormat, generatedAt: Timestamp) -> String {
        var text =
            "; Fundflow ledger export (\(format.rawValue)), generated \(generatedAt.iso8601)\n"
        text += "; Debits are positive, credits negative; every amount is written explicitly.\n"
        if format == .beancount { text += "option \"title\" \"Fundflow ledger\"\n" }
        return text + "\n"
    }

    private static func declarations(
        _ format: ExportFormat, accounts: [ExportAccount], names: [AccountName: String]
    ) -> String {
        var text = ""
        let currencies = Set(accounts.map(\.currency)).sorted()
        switch format {
        case .hledger:
            for currency in currencies {
                // hledger wants a decimal mark in a commodity directive; `100000. JPY` declares no decimals.
                let sample = Money(minorUnits: 100_000 * currency.minorPerMajor, currency: currency)
                    .amountString
                text +=
                    "commodity \(currency.exponent == 0 ? sample + "." : sample) \(currency.code)\n"
            }
            for account in accounts { text += "account \(names[account.name] ?? "")\n" }
        case .ledger:
            for currency in currencies { text += "commodity \(currency.code)\n" }
            for account in accounts { text += "account \(names[account.name] ?? "")\n" }
        case .beancount:
            let firstDate = accounts.map(\.openedAt).min()?.dateString ?? "1970-01-01"
            for currency in currencies { text += "\(firstDate) commodity \(currency.code)\n" }
            for account in accounts {
                text +=
                    "\(account.openedAt.dateString) open \(names[account.name] ?? "") \(account.currency.code)\n"
            }
        }
        return text
    }

    private static func entry(
        _ format: ExportFormat, _ transfer: ExportTransfer, names: [AccountName: String]
    ) -> String {
        let memo = transfer.memo.map { " " + $0 } ?? ""
        let description = "transfer \(transfer.id) \(transfer.kind)\(memo)"
            .replacingNewlines()
        var text: String
        switch format {
        case .hledger, .ledger:
            text = "\(transfer.at.dateString) * (\(transfer.id)) \(description)\n"
        case .beancount:
            text = "\(transfer.at.dateString) * \"\(description.beancountEscaped())\"\n"
        }
        // Amounts right-aligned in one column; at least two spaces after the name, as the tools require.
        let rows = transfer.legs.map { leg -> (String, String) in
            let signed =
                leg.side == .debit ? leg.amount.amountString : "-" + leg.amount.amountString
            return (
                names[leg.account] ?? leg.account.rawValue, "\(signed) \(leg.amount.currency.code)"
            )
        }
        let width = rows.map { $0.0.count + 2 + $0.1.count }.max() ?? 0
        for (name, amount) in rows {
            text +=
                "    \(name)\(String(repeating: " ", count: width - name.count - amount.count))\(amount)\n"
        }
        return text
    }
}

extension String {
    fileprivate func replacingNewlines() -> String {
        String(map { $0.isNewline ? " " : $0 })
    }

    fileprivate func beancountEscaped() -> String {
        var out = ""
        for character in self {
            if character == "\"" || character == "\\" { out.append("\\") }
            out.append(character)
        }
        return out
    }
}
