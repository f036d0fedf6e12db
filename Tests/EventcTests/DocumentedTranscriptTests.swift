import ContractChecker
import EventcCommandLine
import Foundation
import Testing
import ToolTestSupport

@testable import eventc

/// The documentation's `eventc` transcripts (a bare ``` block starting `$ swift run eventc …`) are
/// what `eventc` prints, in the situation the text around each describes: each is replayed on a
/// copy of `Contracts/` in a git repository, with the edit the text names. Part of the
/// serialized `BreakingCommandTests`, which run commands from inside their repository.
extension BreakingCommandTests {
    /// A documented transcript: where it is, the arguments after `swift run eventc`, what it printed.
    struct Transcript {
        var file: String
        var arguments: String
        var output: String
    }

    static func transcripts() throws -> [Transcript] {
        try Documentation.files().flatMap { file in
            Documentation.codeBlocks(file.text, languages: [""]).compactMap { block -> Transcript? in
                guard let first = block.lines.first, first.hasPrefix("$ swift run eventc ") else { return nil }
                let output = block.lines.dropFirst().joined(separator: "\n") + "\n"
                return Transcript(file: file.path, arguments: String(first.dropFirst("$ swift run eventc ".count)), output: output)
            }
        }
    }

    /// The situations the documentation describes, by the command its transcript shows.
    static let situations: [String: (edit: @Sendable (Repository) throws -> Void, run: @Sendable (Repository) -> CommandOutcome)] = [
        // The Command line article: "After a bad edit to an enum's default (`default: cash` for
        // PaymentCompleted's `Method`…)".
        "check Contracts": (
            edit: { repo in
                try repo.replace("Contracts/payments/PaymentCompleted.yaml",
                                 "symbols: [card, transfer, points], default: card }", with: "symbols: [card, transfer, points], default: cash }")
            },
            run: { repo in repo.inside { CheckRun(paths: ["Contracts"], format: .text, strict: false).execute() } }
        ),
        // Schema evolution: "`OrderCreated` (BACKWARD_TRANSITIVE) gained a version 4 with
        // `salesRegion: string`, no default".
        "breaking Contracts --against main": (
            edit: { repo in
                let path = "Contracts/orders/OrderCreated.yaml"
                let text = try String(contentsOf: repo.root.appendingPathComponent(path), encoding: .utf8)
                let version3 = try #require(text.range(of: "  - version: 3\n"))
                let version4 = text[version3.lowerBound...].replacingOccurrences(of: "version: 3", with: "version: 4")
                try repo.write(path, text + version4 + "      salesRegion: string\n")
            },
            run: { repo in repo.breaking(against: "main") }
        ),
    ]

    @Test("every eventc transcript in the documentation is what eventc prints in the situation described; the README's excerpts are parts of them")
    func transcriptsAreReal() throws {
        let transcripts = try Self.transcripts()
        #expect(transcripts.count >= 2, "the documentation's transcripts were not found")
        var outputs: [String] = []
        for transcript in transcripts {
            guard let situation = Self.situations[transcript.arguments] else {
                Issue.record("\(transcript.file): no situation replays 'eventc \(transcript.arguments)': add one to situations")
                continue
            }
            let repo = try Repository()
            try repo.copyContracts()
            try repo.commit("main")
            try situation.edit(repo)
            let outcome = situation.run(repo)
            let printed = outcome.output + outcome.errorOutput
            #expect(printed == transcript.output, "\(transcript.file): eventc \(transcript.arguments) printed:\n\(printed)")
            outputs.append(printed)
        }
        // Excerpts (```text blocks of diagnostics) are whole lines, in order, of a real output.
        for file in try Documentation.files() {
            for block in Documentation.codeBlocks(file.text, languages: ["text"]) where block.lines.first?.hasPrefix("Contracts/") == true {
                let excerpt = block.lines.joined(separator: "\n") + "\n"
                #expect(outputs.contains { $0.contains(excerpt) }, "\(file.path):\(block.firstLine) is not part of a real transcript:\n\(excerpt)")
            }
        }
    }
}

extension BreakingCommandTests.Repository {
    /// A copy of the repository's `Contracts/`.
    func copyContracts() throws {
        try FileManager.default.copyItem(at: repositoryRoot.appendingPathComponent("Contracts"), to: root.appendingPathComponent("Contracts"))
    }

    /// Replaces `text` (which must be there) in the file at `path`.
    func replace(_ path: String, _ text: String, with replacement: String) throws {
        let contents = try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
        guard contents.contains(text) else { throw EditMissing(path: path, text: text) }
        try write(path, contents.replacingOccurrences(of: text, with: replacement))
    }

    struct EditMissing: Error { var path: String; var text: String }

    /// Runs `body` with the repository as the current directory, as a user's shell would be.
    func inside(_ body: () -> CommandOutcome) -> CommandOutcome {
        let previous = FileManager.default.currentDirectoryPath
        _ = FileManager.default.changeCurrentDirectoryPath(root.path)
        defer { _ = FileManager.default.changeCurrentDirectoryPath(previous) }
        return body()
    }
}
