/// The bank that services a wallet when `wallet open` names none: a well-known bank of the
/// currency's home market (real BICs). The correspondent network of a later issue can refine this.
enum DefaultBanks {
    static let byCurrency: [String: String] = [
        "EUR": "DEUTDEFFXXX", "USD": "CHASUS33XXX", "GBP": "BARCGB22XXX", "CHF": "UBSWCHZH80A",
        "JPY": "MHCBJPJTXXX", "CNY": "BKCHCNBJXXX", "HKD": "HSBCHKHHHKH", "SGD": "DBSSSGSGXXX",
        "INR": "SBININBBXXX", "AUD": "CTBAAU2SXXX", "CAD": "ROYCCAT2XXX", "MXN": "BNMXMXMMXXX",
        "BRL": "BRASBRRJXXX", "ZAR": "SBZAZAJJXXX", "PHP": "BNORPHMMXXX", "SEK": "ESSESESSXXX",
        "NOK": "DNBANOKKXXX", "DKK": "DABADKKKXXX", "PLN": "PKOPPLPWXXX", "CZK": "CEKOCZPPXXX",
        "HUF": "OTPVHUHBXXX", "TRY": "TCZBTR2AXXX", "KRW": "KOEXKRSEXXX", "NZD": "ANZBNZ22XXX",
    ]
}
