import Testing

@testable import FundflowShell

@Suite struct WordsTests {
    @Test(arguments: [
        ("ledger balances", [["ledger", "balances"]]),
        ("  ledger   balances  ", [["ledger", "balances"]]),
        ("a 'b c' d", [["a", "b c", "d"]]),
        (#"a "b \"c\" \\ \$x" d"#, [["a", #"b "c" \ $x"#, "d"]]),
        (#"a "b\n""#, [["a", #"b\n"#]]),
        (#"a b\ c"#, [["a", "b c"]]),
        ("a; b c;; d", [["a"], ["b", "c"], ["d"]]),
        ("a 'x;y' \"#z\"", [["a", "x;y", "#z"]]),
        ("a # comment; not a command", [["a"]]),
        ("a#b c", [["a#b", "c"]]),
        ("a '' b", [["a", "", "b"]]),
        ("'it'\\''s'", [["it's"]]),
        ("", []),
        ("# only a comment", []),
    ])
    func splitsLikeAPOSIXShell(line: String, expected: [[String]]) throws {
        #expect(try Words.split(line) == expected)
    }

    @Test(arguments: [
        ("a 'b", Words.SplitError.unbalancedQuote("'")),
        ("a \"b", Words.SplitError.unbalancedQuote("\"")),
        ("a \\", Words.SplitError.trailingBackslash),
    ])
    func unbalancedQuotesAreErrors(line: String, error: Words.SplitError) {
        #expect(throws: error) { try Words.split(line) }
    }

    @Test(arguments: [
        ["ledger", "post", "--memo", "it's a \"test\"; really", "100.00 EUR"],
        ["plain", "words", "wallet:acme:EUR"],
        ["", "#hash", "a\\b"],
    ])
    func joinedWordsSplitBackToTheSameWords(words: [String]) throws {
        #expect(try Words.split(Words.join(words)) == [words])
    }
}
