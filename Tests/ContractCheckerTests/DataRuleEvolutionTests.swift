import ContractChecker
import ContractModel
import ContractParser
import EventCore
import Testing

/// How data rules may change between versions: a reader validates what it decodes with its own
/// rules, so a rule tighter than the writer's refuses events the writer was allowed to write.
@Suite("Data rule evolution")
struct DataRuleEvolutionTests {
    static func contract(_ versions: [String], mode: String = "NONE") -> Contract {
        SchemaCompatibilityTests.contract(versions, mode: mode)
    }

    static func found(_ versions: [String], reader: Int, writer: Int) -> [Incompatibility] {
        SchemaCompatibilityTests.canRead(contract(versions), reader: reader, writer: writer)
    }

    /// Old rules, new rules, and whether new readers refuse old data (tightened), old readers new data (loosened).
    static let changes: [(String, String, tightened: Bool, loosened: Bool)] = [
        ("{ type: long, min: 0 }", "{ type: long, min: 1 }", true, false),
        ("{ type: long, min: 1 }", "{ type: long, min: 0 }", false, true),
        ("{ type: long, min: 0 }", "{ type: long, exclusiveMin: 0 }", true, false),
        ("{ type: long, exclusiveMin: 0 }", "{ type: long, min: 0 }", false, true),
        ("long", "{ type: long, max: 9 }", true, false),
        ("{ type: long, max: 9 }", "long", false, true),
        ("{ type: long, min: 0, max: 9 }", "{ type: long, min: 0, max: 9 }", false, false),
        ("{ type: int, min: 1 }", "{ type: double, min: 1.0 }", false, false),
        ("{ type: decimal, min: \"0.10\" }", "{ type: decimal, min: \"0.1\" }", false, false),
        ("{ type: decimal, min: \"0.1\" }", "{ type: decimal, min: \"0.2\" }", true, false),
        ("{ type: date, max: 2030-01-01 }", "{ type: date, max: 2029-12-31 }", true, false),
        ("string", "{ type: string, minLength: 1 }", true, false),
        ("{ type: string, maxLength: 3 }", "{ type: string, maxLength: 8 }", false, true),
        ("{ type: string, pattern: \"^[A-Z]+$\" }", "{ type: string, pattern: \"^[A-Z]*$\" }", true, true),
        ("{ type: string, format: email }", "string", false, true),
        ("array<string>", "{ type: array<string>, uniqueItems: true }", true, false),
        ("{ type: array<string>, minItems: 2 }", "{ type: array<string>, minItems: 1 }", false, true),
        ("{ type: map<string>, maxProperties: 5 }", "{ type: map<string>, maxProperties: 4 }", true, false),
    ]

    @Test("tightening breaks new readers of old data, loosening old readers of new data", arguments: changes.indices)
    func direction(_ index: Int) {
        let (old, new, tightened, loosened) = Self.changes[index]
        let versions = ["{ id: string, f: \(old) }", "{ id: string, f: \(new) }"]
        // Only the rules' findings: a promotion's reverse (double → int) is a type mismatch besides.
        let ruleFindings: Set<RuleID> = [.compatRuleTightened, .compatRuleLoosened]
        let backward = Self.found(versions, reader: 2, writer: 1).filter { ruleFindings.contains($0.rule) }
        let forward = Self.found(versions, reader: 1, writer: 2).filter { ruleFindings.contains($0.rule) }
        #expect(backward.map(\.rule) == (tightened ? [.compatRuleTightened] : []), "\(old) → \(new): \(backward.map(\.message))")
        #expect(forward.map(\.rule) == (loosened ? [.compatRuleLoosened] : []), "\(old) → \(new): \(forward.map(\.message))")
    }

    @Test("a finding names the field and both rules")
    func findingNamesBothRules() throws {
        let found = Self.found(["{ id: string, amount: { type: long, min: 0 } }", "{ id: string, amount: { type: long, min: 5, max: 10 } }"], reader: 2, writer: 1)
        let message = try #require(found.first?.message)
        #expect(found.first?.path == "amount")
        #expect(message.contains("min 0 → min 5") && message.contains("no upper bound → max 10"), "\(message)")
    }

    @Test("a field added with rules breaks nothing: older events take its default, older readers skip it")
    func addedFieldWithRules() {
        let versions = ["{ id: string }", "{ id: string, code: { type: string, default: KR, pattern: \"^[A-Z]{2}$\" } }"]
        #expect(Self.found(versions, reader: 2, writer: 1).isEmpty)
        #expect(Self.found(versions, reader: 1, writer: 2).isEmpty)
    }

    @Test("the mode decides: FULL reports both directions, NONE neither")
    func modes() {
        let full = Self.contract(["{ id: string, f: { type: string, pattern: \"^a\" } }", "{ id: string, f: { type: string, pattern: \"^b\" } }"], mode: "FULL")
        #expect(Set(HistoryCompatibility.check(full).map(\.rule)) == [.compatRuleTightened, .compatRuleLoosened])
        let none = Self.contract(["{ id: string, f: { type: string, pattern: \"^a\" } }", "{ id: string, f: { type: string, pattern: \"^b\" } }"], mode: "NONE")
        #expect(HistoryCompatibility.check(none).isEmpty)
    }

    @Test("against a baseline, a rule edited into a published version is an edit; a tag is not")
    func baselineEdits() {
        func contract(_ field: String) -> Contract {
            let text = "event: Sample\nowner: o\nsummary: s.\ntopic: t\nkey: id\nversions:\n  - version: 1\n    fields: { id: string, email: \(field) }\n"
            return ContractFileParser.parse(text, file: "s/Sample.yaml").contract!
        }
        let comparison = BaselineComparison(baselineName: "main")
        let ruled = comparison.compare(baseline: [contract("string")], working: [contract("{ type: string, format: email }")])
        #expect(ruled.map(\.rule) == [.versionEdited], "\(ruled)")
        let tagged = comparison.compare(baseline: [contract("string")], working: [contract("{ type: string, tags: [pii] }")])
        #expect(tagged.isEmpty, "\(tagged)")
    }
}
