import ArgumentParser
import ContractModel
import EventcCommandLine

/// `eventc rules`: every rule's id, severity and text, from the catalog the checker, the Rules
/// article and `explain` share.
struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "List every rule eventc reports, with its severity and what it means."
    )

    func run() throws {
        try RuleText.list(RuleCatalog.all).emit()
    }
}

/// `eventc explain RULE_ID`: one rule's text and example, as the Rules article shows them.
struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Explain a rule: what it means, what to do, and an example with its fix."
    )

    @Argument(help: "A rule id, as diagnostics end with it (UNKNOWN_KEY; case does not matter).")
    var ruleID: String

    func run() throws {
        try RuleText.explain(ruleID).emit()
    }
}

/// The rules as terminal text.
enum RuleText {
    static func list(_ rules: [RuleDescription]) -> CommandOutcome {
        let width = rules.map(\.id.rawValue.count).max() ?? 0
        let lines = rules.map { rule in
            let id = rule.id.rawValue.padding(toLength: width, withPad: " ", startingAt: 0)
            let severity = rule.severity.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0)
            return "\(id)  \(severity)  \(rule.summary)"
        }
        return .success(lines.joined(separator: "\n") + "\n\(rules.count) rules; eventc explain RULE_ID shows one with an example\n")
    }

    static func explain(_ id: String) -> CommandOutcome {
        let wanted = id.uppercased().replacingOccurrences(of: "-", with: "_")
        guard let rule = RuleCatalog.description(of: RuleID(wanted)) else {
            let hint = Suggestion.closest(to: wanted, among: RuleCatalog.all.map(\.id.rawValue)).map { " (did you mean \($0)?)" } ?? ""
            return .usageOrIOError("no rule is called '\(id)'\(hint); eventc rules lists them all")
        }
        var text = "\(rule.id) (\(rule.severity.rawValue))\n\n\(rule.summary)\n"
        if let example = rule.example {
            text += "\nReported:\n\(indented(example.bad))\nFixed:\n\(indented(example.fixed))"
        }
        return .success(text)
    }

    private static func indented(_ lines: String) -> String {
        lines.split(separator: "\n", omittingEmptySubsequences: false).map { "    \($0)\n" }.joined()
    }
}
