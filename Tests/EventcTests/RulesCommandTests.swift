import ContractModel
import EventcCommandLine
import Testing

@testable import eventc

@Suite("eventc rules and explain")
struct RulesCommandTests {
    @Test("rules lists every catalogued rule with its severity, one per line")
    func listsEveryRule() {
        let outcome = RuleText.list(RuleCatalog.all)
        #expect(outcome.exitCode == EventcExit.clean)
        let lines = outcome.output.split(separator: "\n")
        #expect(lines.count == RuleCatalog.all.count + 1)
        for (line, rule) in zip(lines, RuleCatalog.all) {
            #expect(line.hasPrefix("\(rule.id) ") && line.contains(" \(rule.severity.rawValue) "), "\(line)")
        }
    }

    @Test("explain prints the rule's text and its example, whatever the id's case or dashes")
    func explainsARule() throws {
        let rule = try #require(RuleCatalog.description(of: .unknownKey))
        let example = try #require(rule.example)
        let outcome = RuleText.explain("unknown-key")
        #expect(outcome.exitCode == EventcExit.clean)
        #expect(outcome.output.hasPrefix("UNKNOWN_KEY (error)\n\n\(rule.summary)\n"))
        #expect(outcome.output.contains("Reported:\n    \(example.bad)\n"))
        #expect(outcome.output.contains("Fixed:\n    \(example.fixed)\n"))
    }

    @Test("a rule without an example is explained without one")
    func explainsARuleWithoutExample() {
        let outcome = RuleText.explain("YAML_FILE_TOO_LARGE")
        #expect(outcome.exitCode == EventcExit.clean)
        #expect(!outcome.output.contains("Reported:"))
    }

    @Test("an unknown id is a usage error that suggests the nearest rule")
    func unknownRule() {
        let outcome = RuleText.explain("UNKOWN_KEY")
        #expect(outcome.exitCode == EventcExit.usageOrIO)
        #expect(outcome.output.isEmpty)
        #expect(outcome.errorOutput.contains("no rule is called 'UNKOWN_KEY' (did you mean UNKNOWN_KEY?)"))
    }
}
