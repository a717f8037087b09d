/// ISO 3166-1 alpha-2 country codes (the table is generated from pycountry, which schwifty uses).
public enum CountryCode {
    public static func isKnown(_ code: String) -> Bool { all.contains(code) }
}
