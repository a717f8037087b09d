/// The stored form of a quote, written by hand: a batch writes 100,000 of them and Foundation's
/// `JSONEncoder` took a tenth of `batch quote`. The document is what `JSONDecoder` reads back
/// into the same `PayoutQuote` (the synthesized `Decodable`; a test compares the two ways).
extension PayoutQuote {
    public func json() throws -> String {
        var out = JSONObjectWriter()
        out.strings("path", path)
        out.strings("linkCurrencies", linkCurrencies)
        out.bool("estimated", estimated)
        out.string("bearer", bearer)
        out.string("fixed", fixed)
        out.string("route", route)
        out.string("asked", asked)
        out.string("instructed", instructed)
        out.string("sendCurrency", sendCurrency)
        out.string("debited", debited)
        out.string("delivered", delivered)
        out.string("targetCurrency", targetCurrency)
        out.string("cost", cost)
        out.string("costPercent", costPercent)
        out.objects("fees", fees) { fee, item in
            item.string("agent", fee.agent)
            item.string("amount", fee.amount)
            item.string("currency", fee.currency)
            item.bool("billed", fee.billed)
        }
        out.objects("fx", fx) { conversion, item in
            item.string("agent", conversion.agent)
            item.string("from", conversion.from)
            item.string("to", conversion.to)
            item.string("rate", conversion.rate)
            item.string("midRate", conversion.midRate)
            item.number("marginBps", conversion.marginBps)
            item.string("marginCost", conversion.marginCost)
            item.string("marginCostCurrency", conversion.marginCostCurrency)
        }
        out.string("releaseAt", releaseAt)
        out.string("eta", eta)
        out.string("rateDay", rateDay)
        out.strings("flags", flags)
        if let funding {
            out.objects("funding", [funding], single: true) { proposal, item in
                item.string("from", proposal.from)
                item.string("adds", proposal.adds)
                item.string("rate", proposal.rate)
                item.string("rateDay", proposal.rateDay)
            }
        }
        return out.finished()
    }
}

/// Writes one JSON object field by field (RFC 8259 string escaping).
struct JSONObjectWriter {
    private var text = "{"
    private var empty = true

    private mutating func key(_ name: String) {
        if !empty { text += "," }
        empty = false
        Self.quote(name, into: &text)
        text += ":"
    }

    mutating func string(_ name: String, _ value: String) {
        key(name)
        Self.quote(value, into: &text)
    }

    mutating func bool(_ name: String, _ value: Bool) {
        key(name)
        text += value ? "true" : "false"
    }

    mutating func number(_ name: String, _ value: Int64) {
        key(name)
        text += String(value)
    }

    mutating func strings(_ name: String, _ values: [String]) {
        key(name)
        text += "["
        for (index, value) in values.enumerated() {
            if index > 0 { text += "," }
            Self.quote(value, into: &text)
        }
        text += "]"
    }

    /// An array of objects, or with `single` the one object itself.
    mutating func objects<T>(
        _ name: String, _ values: [T], single: Bool = false,
        _ write: (T, inout JSONObjectWriter) -> Void
    ) {
        key(name)
        if !single { text += "[" }
        for (index, value) in values.enumerated() {
            if index > 0 { text += "," }
            var item = JSONObjectWriter()
            write(value, &item)
            text += item.finished()
        }
        if !single { text += "]" }
    }

    func finished() -> String { text + "}" }

    static func quote(_ value: String, into text: inout String) {
        text += "\""
        // Almost every value needs no escape: appended whole.
        if !value.utf8.contains(where: { $0 == 0x22 || $0 == 0x5C || $0 < 0x20 }) {
            text += value
            text += "\""
            return
        }
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: text.unicodeScalars.append(scalar)
            }
        }
        text += "\""
    }
}
