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
        try ExportAvroRun(paths: paths, output: output).execute().emit()
    }
}

/// `eventc export avro` without the process around it.
struct ExportAvroRun {
    var paths: [String]
    var output: String

    func execute() -> CommandOutcome {
        switch CheckedContracts.load(paths) {
        case .refused(let outcome):
            return outcome
        case .ready(let report, let contracts):
            let files = contracts.flatMap { contract in
                contract.versions.map { version in
                    (AvroSchemaExporter.relativePath(of: contract, version: version.number),
                     AvroSchemaExporter.schema(of: contract, version: version).rendered() + "\n")
                }
            }
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
        try ExportJSONSchemaRun(paths: paths, output: output).execute().emit()
    }
}

/// `eventc export jsonschema` without the process around it.
struct ExportJSONSchemaRun {
    var paths: [String]
    var output: String

    func execute() -> CommandOutcome {
        switch CheckedContracts.load(paths) {
        case .refused(let outcome):
            return outcome
        case .ready(let report, let contracts):
            let files = contracts.flatMap { contract in
                contract.versions.map { version in
                    (JSONSchemaExporter.relativePath(of: contract, version: version.number),
                     JSONSchemaExporter.schema(of: contract, version: version).rendered() + "\n")
                }
            }
            return OutputFolder(output).write(files, warnings: report.warningsText)
        }
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
        switch CheckedContracts.load(paths) {
        case .refused(let outcome):
            return outcome
        case .ready(let report, let contracts):
            let document = AsyncAPIExporter.document(of: contracts, info: .init(title: title, version: apiVersion))
            let text = format == .yaml ? document.renderedYAML() : document.rendered() + "\n"
            let url = URL(fileURLWithPath: output)
            return OutputFolder(url.deletingLastPathComponent().path)
                .write([(url.lastPathComponent, text)], warnings: report.warningsText)
        }
    }
}
