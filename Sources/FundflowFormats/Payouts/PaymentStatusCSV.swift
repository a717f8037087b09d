import FundflowCore

/// A `Pain002Report` as CSV for spreadsheets: one line per item, in report order, with this
/// header:
///
/// `payment_information_id,instruction_id,end_to_end_id,uetr,status,reason,reason_text,amount,currency`
///
/// Missing values are empty fields; `amount` has the currency's minor digits
/// (`Money.amountString`). Fields holding a comma, a quote, a carriage return or a line feed are
/// quoted as RFC 4180 says (inner quotes doubled); lines end with `\n`, the last one too.
public enum PaymentStatusCSV {
    /// The header line's fields, in order.
    public static let header = [
        "payment_information_id", "instruction_id", "end_to_end_id", "uetr", "status", "reason",
        "reason_text", "amount", "currency",
    ]

    public static func csv(_ report: Pain002Report) -> String {
        var text = header.joined(separator: ",") + "\n"
        for block in report.blocks {
            for item in block.items {
                let fields = [
                    block.id, item.instructionID ?? "", item.endToEndID, item.uetr ?? "",
                    item.status.rawValue, item.reason ?? "", item.reasonText ?? "",
                    item.amount.amountString, item.amount.currency.code,
                ]
                text += fields.map(quoted).joined(separator: ",") + "\n"
            }
        }
        return text
    }

    /// The field as it is, or in quotes with inner quotes doubled when it needs them.
    static func quoted(_ field: String) -> String {
        let special = field.unicodeScalars.contains { ",\"\r\n".unicodeScalars.contains($0) }
        guard special else { return field }
        return "\"" + field.replacing("\"", with: "\"\"") + "\""
    }
}
