import ArgumentParser
import ContractChecker
import EventcCommandLine
import Foundation

/// `eventc scaffold contract`: a new contract file that checks, with the editor's schema line.
struct ScaffoldContractCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "contract",
        abstract: "Write a new contract (<Event>.yaml) that passes eventc check, never overwriting one that exists.",
        discussion: """
            Its first line points editors at the contract language's JSON Schema, which is written \
            to --schema too when that file does not exist yet.
            """
    )

    @Argument(help: "The event's name, UpperCamelCase: OrderPlaced.")
    var event: String

    @Option(help: "The folder to write it in; its name is the contract's namespace (Contracts/orders).")
    var output: String

    @Option(help: "The team that owns the event.")
    var owner: String

    @Option(help: "Where the JSON Schema is (or is to be written), relative to the current folder.")
    var schema = "Schemas/contract-v1.schema.json"

    func run() throws {
        try ScaffoldContractRun(event: event, output: output, owner: owner, schema: schema).execute().emit()
    }
}

/// `eventc scaffold contract` without the process around it.
struct ScaffoldContractRun {
    var event: String
    var output: String
    var owner: String
    var schema: String

    func execute() -> CommandOutcome {
        guard NamingRule.isEventName(event) else {
            return .usageOrIOError("'\(event)' is not an event name: write it UpperCamelCase, as OrderPlaced")
        }
        let namespace = URL(fileURLWithPath: output).standardizedFileURL.lastPathComponent.lowercased()
        let folder = OutputFolder(output)
        return folder.writing {
            var lines: [String] = []
            let schemaURL = URL(fileURLWithPath: schema)
            if !FileManager.default.fileExists(atPath: schemaURL.path) {
                try OutputFolder(schemaURL.deletingLastPathComponent().path).write(SchemaRun.text, to: schemaURL.lastPathComponent)
                lines.append("wrote \(schema)")
            }
            let text = Self.contract(event: event, namespace: namespace, owner: owner, schemaPath: Self.relativePath(from: output, to: schema))
            let name = "\(event).yaml"
            let wrote = try folder.write(text, to: name, existing: .keep)
            lines.append(wrote ? "wrote \(output)/\(name)" : "kept \(output)/\(name) (exists; yours to edit)")
            return .success(lines.joined(separator: "\n") + "\n")
        }
    }

    /// The smallest contract that passes `eventc check --strict`, for its author to grow.
    static func contract(event: String, namespace: String, owner: String, schemaPath: String) -> String {
        let kebab = event.reduce(into: "") { text, character in
            if character.isUppercase, !text.isEmpty { text += "-" }
            text += character.lowercased()
        }
        return """
            # yaml-language-server: $schema=\(schemaPath)
            event: \(event)
            owner: \(owner)
            summary: Say in one sentence what fact \(event) records; it documents the generated type.
            topic: \(namespace).\(kebab)
            key: id                       # the field whose value keeps its events in order
            versions:
              - version: 1
                fields:
                  id: string

            """
    }

    /// `target` relative to the folder `base` (both relative to the current folder, or absolute).
    static func relativePath(from base: String, to target: String) -> String {
        let from = URL(fileURLWithPath: base).standardizedFileURL.pathComponents
        let to = URL(fileURLWithPath: target).standardizedFileURL.pathComponents
        let common = zip(from, to).prefix { $0 == $1 }.count
        return (Array(repeating: "..", count: from.count - common) + to[common...]).joined(separator: "/")
    }
}
