import ContractChecker
import ContractModel
import Foundation
import Testing
import ToolTestSupport

/// Each rule's example (`RuleDescription.example`, what the Rules article and `eventc explain`
/// show) is checked against the rule's own fixture: the bad lines are there, and writing the
/// fixed lines in their place makes at least one of the rule's findings go.
@Suite("Rule examples")
struct RuleExampleTests {
    static let withExamples = RuleCatalog.all.filter { $0.example != nil }

    @Test("the bad lines are in the rule's fixture and the fix removes a finding", arguments: withExamples)
    func exampleFixesTheFixture(_ rule: RuleDescription) throws {
        guard let example = rule.example else { return }
        let (baseline, working) = try Self.fixture(of: rule.id)
        let before = Self.findings(of: rule.id, baseline: baseline, working: working)
        guard let fixedIndex = working.firstIndex(where: { Self.replacing(example, in: $0) != nil }),
              let fixed = Self.replacing(example, in: working[fixedIndex]) else {
            Issue.record("\(rule.id)'s bad lines are not in its fixture:\n\(example.bad)")
            return
        }
        var fixedWorking = working
        fixedWorking[fixedIndex] = fixed
        let after = Self.findings(of: rule.id, baseline: baseline, working: fixedWorking)
        #expect(before > 0, "\(rule.id)'s fixture does not report it")
        #expect(after < before, "\(rule.id)'s fix leaves \(after) of \(before) findings")
    }

    @Test("every rule without an example is one no few lines can show")
    func rulesWithoutExamples() {
        let without = Set(RuleCatalog.all.filter { $0.example == nil }.map(\.id))
        #expect(without == [
            .yamlInvalidUTF8, .yamlFileTooLarge, .yamlNestingTooDeep, .yamlAliasLimit, .duplicateEvent,
            .versionRemoved, .contractRemoved, .baselineUnreadable,
        ])
    }

    @Test("a fix that does not match is reported, so the test above can fail")
    func mismatchIsNotApplied() {
        let file = SourceFile(path: "x.yaml", bytes: Array("key: id\n".utf8))
        #expect(Self.replacing(RuleExample(bad: "key: none", fixed: "key: id"), in: file) == nil)
        let indented = SourceFile(path: "x.yaml", bytes: Array("consumers:\n  - billing\n  - billing\n".utf8))
        let fixed = Self.replacing(RuleExample(bad: "- billing\n- billing", fixed: "- billing"), in: indented)
        #expect(fixed.map { String(decoding: $0.bytes, as: UTF8.self) } == "consumers:\n  - billing\n")
    }

    /// The rule's fixture: a file or a folder under `Fixtures/rules` (checked alone), or a
    /// baseline and working folder under `Fixtures/breaking` (compared).
    static func fixture(of rule: RuleID) throws -> (baseline: [SourceFile]?, working: [SourceFile]) {
        if let fixture = try RuleFixture.all().first(where: { $0.name == rule.rawValue }) { return (nil, fixture.files) }
        if let fixture = try BreakingFixture.all().first(where: { $0.name == rule.rawValue }) { return (fixture.baseline, fixture.working) }
        throw FixtureMissing(rule: rule)
    }

    struct FixtureMissing: Error { var rule: RuleID }

    static func findings(of rule: RuleID, baseline: [SourceFile]?, working: [SourceFile]) -> Int {
        let report = baseline.map { BreakingPipeline(baselineName: "main").run(baseline: $0, working: working) }
            ?? CheckPipeline().run(working)
        return report.diagnostics.filter { $0.rule == rule }.count
    }

    /// `file` with the example's bad lines (compared without their indentation) replaced by its
    /// fixed lines, indented as the first bad line was; nil when the bad lines are not there.
    static func replacing(_ example: RuleExample, in file: SourceFile) -> SourceFile? {
        let lines = String(decoding: file.bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let bad = example.bad.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        guard lines.count >= bad.count else { return nil }
        for start in 0...(lines.count - bad.count)
        where (0..<bad.count).allSatisfy({ lines[start + $0].trimmingCharacters(in: .whitespaces) == bad[$0] }) {
            let indent = String(lines[start].prefix { $0 == " " })
            let fixed = example.fixed.split(separator: "\n").map { indent + $0 }
            let text = (lines[..<start] + fixed + lines[(start + bad.count)...]).joined(separator: "\n")
            return SourceFile(path: file.path, bytes: Array(text.utf8))
        }
        return nil
    }
}

extension RuleDescription: CustomTestStringConvertible {
    /// The rule's id, as the test's argument.
    public var testDescription: String { id.rawValue }
}
