import Testing

@testable import FundflowCore

/// UTC timestamps formatted and parsed by civil-calendar arithmetic, independent of locale and zone.
/// Expected epoch values were computed with Python's `datetime`.
@Suite("Timestamps")
struct TimestampTests {
    /// (ISO 8601 text as printed, milliseconds since 1970-01-01T00:00:00Z)
    static let knownInstants: [(String, Int64)] = [
        ("1970-01-01T00:00:00Z", 0),
        ("1970-01-01T00:00:00.001Z", 1),
        ("1969-12-31T23:59:59.999Z", -1),
        ("2024-02-29T12:00:00Z", 1_709_208_000_000),
        ("2000-02-29T00:00:00Z", 951_782_400_000),
        ("1960-02-29T06:30:00.050Z", -310_498_199_950),
        ("1600-02-29T23:59:59.001Z", -11_670_912_000_999),
        ("1900-01-01T00:00:00Z", -2_208_988_800_000),
        ("0001-01-01T00:00:00Z", -62_135_596_800_000),
        ("2026-02-28T23:59:59Z", 1_772_323_199_000),
        ("2026-11-29T10:13:37.250Z", 1_795_947_217_250),
        ("9999-12-31T23:59:59.999Z", 253_402_300_799_999),
    ]

    @Test("Known instants format and parse exactly", arguments: TimestampTests.knownInstants)
    func knownInstantRoundTrips(text: String, milliseconds: Int64) throws {
        let timestamp = Timestamp(millisecondsSinceEpoch: milliseconds)
        #expect(timestamp.iso8601 == text)
        #expect(timestamp.description == text)
        #expect(timestamp.dateString == String(text.prefix(10)))
        let parsed = try #require(Timestamp(iso8601: text))
        #expect(parsed == timestamp)
    }

    @Test("Every printed instant parses back to itself, before and after 1970")
    func printedInstantsRoundTrip() throws {
        // Steps of about 37 days plus odd seconds and milliseconds, from 1850 to 2150.
        let step: Int64 = 37 * 86_400_000 + 3_723_456
        var milliseconds: Int64 = -3_786_825_600_000
        var checked = 0
        while milliseconds < 5_680_281_600_000 {
            let timestamp = Timestamp(millisecondsSinceEpoch: milliseconds)
            let parsed = try #require(Timestamp(iso8601: timestamp.iso8601), "\(timestamp.iso8601)")
            #expect(parsed == timestamp, "\(timestamp.iso8601)")
            milliseconds += step
            checked += 1
        }
        #expect(checked > 2_900)
    }

    @Test(
        "Other accepted spellings: a space instead of T, no Z, fewer millisecond digits, a bare date",
        arguments: [
            ("2026-11-29 10:13:37", "2026-11-29T10:13:37Z"),
            ("2026-11-29T10:13:37", "2026-11-29T10:13:37Z"),
            ("2026-11-29T10:13:37.25Z", "2026-11-29T10:13:37.250Z"),
            ("2026-11-29T10:13:37.2Z", "2026-11-29T10:13:37.200Z"),
            ("2026-11-29T10:13:37.000Z", "2026-11-29T10:13:37Z"),
            ("2026-11-29", "2026-11-29T00:00:00Z"),
            ("2024-02-29", "2024-02-29T00:00:00Z"),
        ])
    func otherSpellingsAreAccepted(text: String, printed: String) throws {
        let timestamp = try #require(Timestamp(iso8601: text))
        #expect(timestamp.iso8601 == printed)
    }

    @Test(
        "Dates that do not exist and malformed times are refused",
        arguments: [
            "2026-02-29", "2100-02-29", "1900-02-29", "2026-04-31", "2026-13-01", "2026-00-10",
            "2026-01-00", "2026-01-32", "2026-11-29T24:00:00Z", "2026-11-29T10:60:00Z",
            "2026-11-29T10:13:60Z", "2026-11-29T10:13:37.1234Z", "2026-11-29T10:13:37.Z",
            "2026-11-29T10:13:37+01:00", "2026-11-29T10:13:37ZZ", "2026-11-29T10:13", "2026-11-29X",
            "26-11-29", "2026/11/29", "2026-1a-29", "+026-11-29", "", "2026-11-29T10:13:37z",
        ])
    func impossibleDatesAreRefused(text: String) {
        #expect(Timestamp(iso8601: text) == nil)
    }

    @Test("Timestamps order by time and add milliseconds")
    func orderingAndAdding() throws {
        let leapDay = try #require(Timestamp(iso8601: "2024-02-29T23:59:59.999Z"))
        #expect(leapDay.adding(milliseconds: 1).iso8601 == "2024-03-01T00:00:00Z")
        #expect(leapDay < leapDay.adding(milliseconds: 1))
        #expect(Timestamp(millisecondsSinceEpoch: -1) < Timestamp(millisecondsSinceEpoch: 0))
        let newYear = try #require(Timestamp(iso8601: "1970-01-01"))
        #expect(newYear.adding(milliseconds: -86_400_000).iso8601 == "1969-12-31T00:00:00Z")
    }
}
