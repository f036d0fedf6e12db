import EventCore
import Testing

@Suite("Patterns (the ECMA-262 subset)")
struct EventPatternTests {
    /// Pattern, text, whether it matches: what ECMA-262 (JSON Schema's dialect) says.
    static let cases: [(String, String, Bool)] = [
        ("^[A-Z]{3}$", "KRW", true), ("^[A-Z]{3}$", "KR", false), ("^[A-Z]{3}$", "KRWX", false), ("^[A-Z]{3}$", "krw", false),
        // Unanchored, a match anywhere satisfies the pattern, as in JSON Schema.
        ("[0-9]", "abc7", true), ("[0-9]", "abc", false), ("", "", true), ("", "anything", true),
        ("^a|b$", "xb", true), ("^a|b$", "ax", true), ("^(a|b)$", "ax", false),
        ("^a*$", "", true), ("^a+$", "", false), ("^ab?c$", "ac", true), ("^ab?c$", "abbc", false),
        ("^a{2,3}$", "aaa", true), ("^a{2,3}$", "aaaa", false), ("^a{2,}$", "aaaaa", true), ("^(?:ab){2}$", "abab", true),
        ("^[^a-c]+$", "xyz", true), ("^[^a-c]+$", "xaz", false), ("^[-a]$", "-", true), ("^[a-]$", "-", true),
        // `.` is any scalar but the line terminators; a string is scalars, not grapheme clusters.
        ("^.$", "é", true), ("^.$", "\n", false), ("^.$", "\r", false), ("^..$", "e\u{301}", true), ("^.$", "😀", true),
        // ASCII-only classes, as ECMA-262 defines them (no Unicode digits or letters).
        ("^\\d+$", "0123456789", true), ("^\\d$", "٣", false), ("^\\w+$", "a_Z9", true), ("^\\w$", "é", false),
        ("^\\s$", "\u{00A0}", true), ("^\\S$", " ", false), ("^\\D$", "a", true), ("^[\\d.]+$", "1.5", true),
        ("^\\.$", ".", true), ("^\\.$", "a", false), ("^\\u00e9$", "é", true), ("^\\x41$", "A", true), ("^a\\$$", "a$", true),
        // `$` is the end of the string only: no match before a final newline (Python's `$` differs).
        ("^a$", "a\n", false),
        // Lazy quantifiers match the same strings.
        ("^a+?$", "aaa", true),
        // Nested empty loops terminate.
        ("^(a*)*$", "aaab", false), ("^(a|)*b$", "aaab", true),
    ]

    @Test("matches as ECMA-262 says", arguments: cases.indices)
    func matches(_ index: Int) throws {
        let (source, text, expected) = Self.cases[index]
        #expect(try EventPattern(source).matches(text) == expected, "\(source) on \(text.debugDescription)")
    }

    /// Refused constructs, each with the offset (in scalars) where it starts.
    static let refused: [(String, Int)] = [
        ("(?<cc>[A-Z])", 0), ("a(?=b)", 1), ("a(?!b)", 1), ("(?i)abc", 0), ("\\bword", 0), ("(a)\\1", 3), ("\\p{L}", 0),
        ("[a-z", 0), ("(ab", 0), ("ab)", 2), ("*a", 0), ("a**", 2), ("a{3,1}", 1), ("a{", 1), ("a}", 1), ("]", 0),
        ("[]a]", 1), ("[\\d-z]", 1), ("[z-a]", 3), ("^*", 0), ("a{2000}", 1), ("\\", 0), ("\\ud800", 0), ("[[a]]", 1),
    ]

    @Test("refuses what lies outside the subset, where it starts", arguments: refused.indices)
    func refusesOutsideTheSubset(_ index: Int) {
        let (source, offset) = Self.refused[index]
        #expect(throws: EventPatternError.self, "\(source)") { try EventPattern(source) }
        do {
            _ = try EventPattern(source)
        } catch {
            #expect(error.offset == offset, "\(source): \(error)")
        }
    }

    @Test("a pattern that would compile to a huge program is refused, not built")
    func sizeLimit() {
        #expect(throws: EventPatternError.self) { try EventPattern("(a{1000}){1000}") }
    }

    @Test("no pattern makes matching slow: linear in the text (no backtracking)")
    func noCatastrophicBacktracking() throws {
        // (a+)+$ takes exponential time in a backtracking engine on "aaaa…b".
        let pattern = try EventPattern("^(a+)+$")
        let text = String(repeating: "a", count: 5_000) + "b"
        #expect(!pattern.matches(text))
    }

    @Test("the example of a pattern matches it", arguments: ["^[A-Z]{3}$", "^(?:[a-z0-9]+-)*[a-z0-9]+$", "^\\d{4}-\\d{2}$", "x|y", "^[^a-z]{2}$", "^\\S+@\\S+$"])
    func exampleMatches(_ source: String) throws {
        let pattern = try EventPattern(source)
        #expect(pattern.matches(pattern.example), "\(source): \(pattern.example)")
    }
}
