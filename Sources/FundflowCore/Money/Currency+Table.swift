extension Currency {
    /// Every ISO 4217 currency with a minor unit (list one, 2025 edition, including funds codes such as
    /// CLF and UYW), followed by the historic codes the ECB reference-rate history quotes.
    /// Sorted by code so that listings are deterministic.
    public static let table: [Currency] = (current + historic).sorted()

    private static let current: [Currency] = [
        .init("AED", 2), .init("AFN", 2), .init("ALL", 2), .init("AMD", 2), .init("ANG", 2),
        .init("AOA", 2), .init("ARS", 2), .init("AUD", 2), .init("AWG", 2), .init("AZN", 2),
        .init("BAM", 2), .init("BBD", 2), .init("BDT", 2), .init("BHD", 3), .init("BIF", 0),
        .init("BMD", 2), .init("BND", 2), .init("BOB", 2), .init("BOV", 2), .init("BRL", 2),
        .init("BSD", 2), .init("BTN", 2), .init("BWP", 2), .init("BYN", 2), .init("BZD", 2),
        .init("CAD", 2), .init("CDF", 2), .init("CHE", 2), .init("CHF", 2), .init("CHW", 2),
        .init("CLF", 4), .init("CLP", 0), .init("CNY", 2), .init("COP", 2), .init("COU", 2),
        .init("CRC", 2), .init("CUP", 2), .init("CVE", 2), .init("CZK", 2), .init("DJF", 0),
        .init("DKK", 2), .init("DOP", 2), .init("DZD", 2), .init("EGP", 2), .init("ERN", 2),
        .init("ETB", 2), eur, .init("FJD", 2), .init("FKP", 2), .init("GBP", 2),
        .init("GEL", 2), .init("GHS", 2), .init("GIP", 2), .init("GMD", 2), .init("GNF", 0),
        .init("GTQ", 2), .init("GYD", 2), .init("HKD", 2), .init("HNL", 2), .init("HTG", 2),
        .init("HUF", 2), .init("IDR", 2), .init("ILS", 2), .init("INR", 2), .init("IQD", 3),
        .init("IRR", 2), .init("ISK", 0), .init("JMD", 2), .init("JOD", 3), .init("JPY", 0),
        .init("KES", 2), .init("KGS", 2), .init("KHR", 2), .init("KMF", 0), .init("KPW", 2),
        .init("KRW", 0), .init("KWD", 3), .init("KYD", 2), .init("KZT", 2), .init("LAK", 2),
        .init("LBP", 2), .init("LKR", 2), .init("LRD", 2), .init("LSL", 2), .init("LYD", 3),
        .init("MAD", 2), .init("MDL", 2), .init("MGA", 2), .init("MKD", 2), .init("MMK", 2),
        .init("MNT", 2), .init("MOP", 2), .init("MRU", 2), .init("MUR", 2), .init("MVR", 2),
        .init("MWK", 2), .init("MXN", 2), .init("MXV", 2), .init("MYR", 2), .init("MZN", 2),
        .init("NAD", 2), .init("NGN", 2), .init("NIO", 2), .init("NOK", 2), .init("NPR", 2),
        .init("NZD", 2), .init("OMR", 3), .init("PAB", 2), .init("PEN", 2), .init("PGK", 2),
        .init("PHP", 2), .init("PKR", 2), .init("PLN", 2), .init("PYG", 0), .init("QAR", 2),
        .init("RON", 2), .init("RSD", 2), .init("RUB", 2), .init("RWF", 0), .init("SAR", 2),
        .init("SBD", 2), .init("SCR", 2), .init("SDG", 2), .init("SEK", 2), .init("SGD", 2),
        .init("SHP", 2), .init("SLE", 2), .init("SOS", 2), .init("SRD", 2), .init("SSP", 2),
        .init("STN", 2), .init("SVC", 2), .init("SYP", 2), .init("SZL", 2), .init("THB", 2),
        .init("TJS", 2), .init("TMT", 2), .init("TND", 3), .init("TOP", 2), .init("TRY", 2),
        .init("TTD", 2), .init("TWD", 2), .init("TZS", 2), .init("UAH", 2), .init("UGX", 0),
        usd, .init("USN", 2), .init("UYI", 0), .init("UYU", 2), .init("UYW", 4),
        .init("UZS", 2), .init("VED", 2), .init("VES", 2), .init("VND", 0), .init("VUV", 0),
        .init("WST", 2), .init("XAF", 0), .init("XCD", 2), .init("XCG", 2), .init("XOF", 0),
        .init("XPF", 0), .init("YER", 2), .init("ZAR", 2), .init("ZMW", 2), .init("ZWG", 2),
    ]

    /// Codes replaced by the euro (or redenominated) that the ECB history still quotes. BGN joined
    /// them when Bulgaria adopted the euro on 2026-01-01; TRL was replaced by TRY in 2005.
    private static let historic: [Currency] = [
        .init("BGN", 2, historic: true), .init("CYP", 2, historic: true),
        .init("EEK", 2, historic: true), .init("HRK", 2, historic: true),
        .init("LTL", 2, historic: true), .init("LVL", 2, historic: true),
        .init("MTL", 2, historic: true), .init("ROL", 2, historic: true),
        .init("SIT", 2, historic: true), .init("SKK", 2, historic: true),
        .init("TRL", 0, historic: true),
    ]
}
