import ContractModel
import Testing

@Suite("Type expressions")
struct TypeExpressionTests {
    @Test("reads every construct and prints it back canonically", arguments: [
        ("string", "string"),
        ("Money", "Money"),
        ("string?", "string?"),
        ("array<Money>?", "array<Money>?"),
        ("map<array<int>>", "map<array<int>>"),
        ("array< map< Money? > >", "array<map<Money?>>"),
        ("array<string?>", "array<string?>"),
    ])
    func parsesAndPrints(text: String, canonical: String) throws {
        let type = try TypeExpression.parse(text).get()
        #expect(type.description == canonical)
    }

    @Test("nesting builds the right tree")
    func nestingStructure() throws {
        let type = try TypeExpression.parse("array<Money>?").get()
        #expect(type == .optional(.array(.named("Money"))))
        #expect(type.isOptional)
        #expect(type.nonOptional == .array(.named("Money")))
        #expect(type.referencedNames == ["Money"])
        #expect(try TypeExpression.parse("map<long>").get() == .map(.primitive(.long)))
    }

    @Test("rejects malformed expressions with the offset of the problem", arguments: [
        ("array<string", 12),
        ("string??", 7),
        ("array", 5),
        ("map<>", 4),
        ("", 0),
        ("Money extra", 6),
        ("array<int>>", 10),
        ("strïng", 3),
    ])
    func rejectsMalformed(text: String, offset: Int) {
        guard case .failure(let error) = TypeExpression.parse(text) else {
            Issue.record("'\(text)' should not parse")
            return
        }
        #expect(error.offset == offset, "\(error.message)")
    }

    @Test("deep nesting is an error, not a stack overflow")
    func deepNestingIsBounded() {
        let text = String(repeating: "array<", count: 10_000) + "int" + String(repeating: ">", count: 10_000)
        guard case .failure(let error) = TypeExpression.parse(text) else {
            Issue.record("should fail")
            return
        }
        #expect(error.message.contains("nested"))
    }
}

@Suite("Durations")
struct TimeSpanTests {
    @Test("reads every unit", arguments: [
        ("100ms", 100), ("30s", 30_000), ("5m", 300_000), ("2h", 7_200_000), ("7d", 604_800_000), ("0s", 0),
    ])
    func parsesUnits(text: String, milliseconds: Int64) {
        #expect(TimeSpan.parse(text)?.milliseconds == milliseconds)
    }

    @Test("rejects what is not <digits><unit>", arguments: ["7 days", "1.5s", "s", "10", "-1s", "10w", "", "99999999999999999999d"])
    func rejectsMalformed(text: String) {
        #expect(TimeSpan.parse(text) == nil)
    }

    @Test("prints the shortest exact unit")
    func printsShortest() {
        #expect(TimeSpan(milliseconds: 604_800_000).description == "7d")
        #expect(TimeSpan(milliseconds: 90_000).description == "90s")
        #expect(TimeSpan(milliseconds: 1_500).description == "1500ms")
    }
}

@Suite("Suggestions")
struct SuggestionTests {
    @Test("suggests the nearest candidate for a typo and nothing for a stranger")
    func nearestCandidate() {
        #expect(Suggestion.closest(to: "partiton", among: ["partitions", "topic"]) == "partitions")
        #expect(Suggestion.closest(to: "Mony", among: ["Money", "Method"]) == "Money")
        #expect(Suggestion.closest(to: "zzzzzz", among: ["partitions", "topic"]) == nil)
    }
}

@Suite("Diagnostics")
struct DiagnosticTests {
    @Test("report order is by file, line, column, then severity and rule, without repeats")
    func reportOrderIsDeterministic() {
        let a = Diagnostic.error("B_RULE", "x", at: SourceLocation(file: "a.yaml", line: 2, column: 1))
        let b = Diagnostic.warning("A_RULE", "y", at: SourceLocation(file: "a.yaml", line: 1, column: 5))
        let c = Diagnostic.error("A_RULE", "z", at: SourceLocation(file: "0.yaml", line: 9, column: 9))
        #expect([a, b, c, a].inReportOrder() == [c, b, a])
        #expect(a.description == "a.yaml:2:1: error: x [B_RULE]")
    }
}
