import ArgumentParser
import ContractChecker
import ContractCodegen
import ContractModel
import ContractParser
import EventcCommandLine
import Foundation

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export contracts to other schema languages.",
        subcommands: [ExportAvroCommand.self, ExportJSONSchemaCommand.self, ExportAsyncAPICommand.self]
    )
}

struct ExportAvroCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "avro",
        abstract: "Write each version of each contract as an Avro schema: OUTPUT/<namespace>/<Event>.v<N>.avsc.",
        discussion: "Contracts with errors are not exported; the errors are printed and the exit status is 1."
    )

    @Argument(help: "Contract files or directories.")
    var paths: [String] = ["Contracts"]

    @Option(help: "The directory to write .avsc files into.")
    var output: String

    func run() throws {
        try ExportSchemasRun(language: .avro, paths: paths, output: output).execute().emit()
    }
}

/// `eventc export avro|jsonschema` without the process around it: a file per version of each
/// contract, `OUTPUT/<namespace>/<Event>.v<N>.<extension>`.
struct ExportSchemasRun {
    enum Language {
        case avro, jsonSchema

        func file(_ contract: CheckedContract, _ version: CheckedVersion) -> (path: String, contents: String) {
            switch self {
            case .avro:
                (AvroSchemaExporter.relativePath(of: contract, version: version.number),
                 AvroSchemaExporter.schema(of: contract, version: version).rendered() + "\n")
            case .jsonSchema:
                (JSONSchemaExporter.relativePath(of: contract, version: version.number),
                 JSONSchemaExporter.schema(of: contract, version: version).rendered() + "\n")
            }
        }
    }

    var language: Language
    var paths: [String]
    var output: String

    func execute() -> CommandOutcome {
        CheckedContracts.produce(from: paths) { report, contracts in
            let files = contracts.flatMap { contract in contract.versions.map { language.file(contract, $0) } }
            return OutputFolder(output).write(files, warnings: report.warningsText)
        }
    }
}

struct ExportJSONSchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jsonschema",
        abstract: "Write each version of each contract as a JSON Schema (2020-12): OUTPUT/<namespace>/<Event>.v<N>.schema.json.",
        discussion: """
            Each schema describes exactly what the generated encoder writes for that version. Contracts \
            with errors are not exported; the errors are printed and the exit status is 1.
            """
    )

    @Argument(help: "Contract files or directories.")
    var paths: [String] = ["Contracts"]

    @Option(help: "The directory to write .schema.json files into.")
    var output: String

    func run() throws {
        try ExportSchemasRun(language: .jsonSchema, paths: paths, output: output).execute().emit()
    }
}

struct ExportAsyncAPICommand: ParsableCommand {
    enum Format: String, ExpressibleByArgument, CaseIterable { case yaml, json }

    static let configuration = CommandConfiguration(
        commandName: "asyncapi",
        abstract: "Write one AsyncAPI 3.0.0 document for all contracts: channels per topic, messages per version, operations per producer and consumer.",
        discussion: "Contracts with errors are not exported; the errors are printed and the exit status is 1."
    )

    @Argument(help: "Contract files or directories.")
    var paths: [String] = ["Contracts"]

    @Option(help: "The file to write (its folder is created).")
    var output: String

    @Option(help: "yaml or json.")
    var format: Format = .yaml

    @Option(help: "The document's info.title.")
    var title: String = "Event catalog"

    @Option(name: .customLong("api-version"), help: "The document's info.version.")
    var apiVersion: String = "1.0.0"

    func run() throws {
        try ExportAsyncAPIRun(paths: paths, output: output, format: format, title: title, apiVersion: apiVersion)
            .execute().emit()
    }
}

/// `eventc export asyncapi` without the process around it.
struct ExportAsyncAPIRun {
    var paths: [String]
    var output: String
    var format: ExportAsyncAPICommand.Format = .yaml
    var title = "Event catalog"
    var apiVersion = "1.0.0"

    func execute() -> CommandOutcome {
        CheckedContracts.produce(from: paths) { report, contracts in
            let document = AsyncAPIExporter.document(of: contracts, info: .init(title: title, version: apiVersion))
            let text = format == .yaml ? document.renderedYAML() : document.rendered() + "\n"
            let url = URL(fileURLWithPath: output)
            return OutputFolder(url.deletingLastPathComponent().path)
                .write([(url.lastPathComponent, text)], warnings: report.warningsText)
        }
    }
}
