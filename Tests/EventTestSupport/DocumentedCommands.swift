import Foundation
import ToolTestSupport

/// The commands the documentation (the README, CONTRIBUTING.md and the DocC articles) gives for a
/// tool, as argument lists a parser can be given: the synopsis lines of the CLI reference
/// (`eventc check [PATHS…] [--format text|json|github]`), each expanded with every option and a
/// sample value per placeholder, and every concrete `swift run TOOL …` line in its code blocks.
public enum DocumentedCommands {
    /// Every documented command of `tool` (`eventc`, `eventc-ops`), without the tool's name.
    public static func documented(for tool: String) throws -> [[String]] {
        var commands: [[String]] = []
        // Shell-like blocks only: ``` alone, ```sh, ```yaml (CI steps); not ```text pictures.
        let blocks = try Documentation.files().flatMap { Documentation.codeBlocks($0.text, languages: ["", "sh", "yaml", "bash"]) }
        for line in blocks.flatMap(\.lines) {
            let trimmed = line.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "$ ", with: "")
            let words = trimmed.split(separator: "#", maxSplits: 1).first.map { $0.split(separator: " ").map(String.init) } ?? []
            if words.first == tool {
                commands.append(expand(Array(words.dropFirst())))
            } else if words.count > 2, words[0] == "swift", words[1] == "run", words[2] == tool {
                commands.append(Array(words.dropFirst(3)))
            } else if words.count > 3, words[0] == "-", words[1] == "run:", words[2] == "swift", words[3] == "run", words.count > 4, words[4] == tool {
                commands.append(Array(words.dropFirst(5)))  // a CI step: `- run: swift run eventc …`
            }
        }
        return commands
    }

    /// A synopsis as arguments: optional groups included, the first of `a|b|c`, placeholders
    /// (upper case) given sample values.
    static func expand(_ synopsis: [String]) -> [String] {
        synopsis.map { word in
            let bare = word.filter { !"[]…".contains($0) }
            let choice = bare.split(separator: "|").first.map(String.init) ?? bare
            return samples[choice] ?? choice
        }
    }

    static let samples = [
        "PATHS": "Contracts", "DIR": "out", "REF": "main", "LEVEL": "package", "MODE": "types", "MODULE": "Foundation", "TOPIC": "orders.dlq",
        "TYPE": "OrderApproved", "CAUSE": "exhausted", "TIME": "2026-12-04T09:00:00Z", "BOOTSTRAP": "localhost:9092", "RULE_ID": "UNKNOWN_KEY", "EVENT": "OrderPlaced", "TEAM": "order-team", "FILE": "eventc-config.yaml",
    ]
}
