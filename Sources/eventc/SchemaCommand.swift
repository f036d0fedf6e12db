import ArgumentParser
import ContractParser
import EventcCommandLine
import Foundation

/// `eventc schema`: contract language v1 as a JSON Schema, for editors (the YAML language server
/// completes and checks keys from it).
struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print the contract language as a JSON Schema, for editors' YAML support.",
        discussion: """
            Point a contract at it with a first line '# yaml-language-server: $schema=PATH' (eventc \
            scaffold contract writes one), and editors with a YAML language server complete keys and \
            values. eventc check still checks what a schema cannot.
            """
    )

    @Option(help: "Write the schema to this file instead of printing it.")
    var output: String?

    func run() throws {
        try SchemaRun(output: output).execute().emit()
    }
}

/// `eventc schema` without the process around it.
struct SchemaRun {
    var output: String?

    /// The schema's text, as printed and as `Schemas/contract-v1.schema.json` holds it.
    static var text: String { ContractLanguageSchema.document.rendered() + "\n" }

    func execute() -> CommandOutcome {
        guard let output else { return .success(Self.text) }
        let url = URL(fileURLWithPath: output)
        let folder = OutputFolder(url.deletingLastPathComponent().path)
        return folder.writing {
            try folder.write(Self.text, to: url.lastPathComponent)
            return .success("wrote \(output)\n")
        }
    }
}
