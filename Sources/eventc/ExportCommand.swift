import ArgumentParser
import ContractChecker
import ContractCodegen
import ContractModel
import ContractParser
import EventCore
import EventcCommandLine
import Foundation

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export contracts to other schema languages.",
        subcommands: [ExportAvroCommand.self, ExportJSONSchemaCommand.self, ExportAsyncAPICommand.self, ExportSchemaTableCommand.self]
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
    /// An `eventc-config.yaml` whose `encoding` is the default.
    var configFile: String? = nil

    func execute() -> CommandOutcome {
        CheckedContracts.produce(from: paths, configFile: configFile) { report, contracts in
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

    @Option(help: "An eventc-config.yaml: its encoding is the default of contracts that declare none.")
    var config: String?

    func run() throws {
        try ExportSchemasRun(language: .jsonSchema, paths: paths, output: output, configFile: config).execute().emit()
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

    @Option(help: "An eventc-config.yaml: its encoding is the default of contracts that declare none.")
    var config: String?

    func run() throws {
        try ExportAsyncAPIRun(paths: paths, output: output, format: format, title: title, apiVersion: apiVersion, configFile: config)
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
    /// An `eventc-config.yaml` whose `encoding` is the default.
    var configFile: String? = nil

    func execute() -> CommandOutcome {
        CheckedContracts.produce(from: paths, configFile: configFile) { report, contracts in
            let document = AsyncAPIExporter.document(of: contracts, info: .init(title: title, version: apiVersion))
            let text = format == .yaml ? document.renderedYAML() : document.rendered() + "\n"
            let url = URL(fileURLWithPath: output)
            return OutputFolder(url.deletingLastPathComponent().path)
                .write([(url.lastPathComponent, text)], warnings: report.warningsText)
        }
    }
}

extension CheckedContracts {
    /// `produce`'s outcome from the checked contracts under `paths`, their encodings defaulted as
    /// the config file at `configFile` says; or the refusal.
    static func produce(
        from paths: [String], configFile: String?, _ body: (CheckReport, [CheckedContract]) -> CommandOutcome
    ) -> CommandOutcome {
        switch GeneratorConfigFile.defaultEncoding(configFile) {
        case .failure(let refusal): refusal.outcome
        case .success(let encoding):
            produce(from: paths) { report, contracts in body(report, contracts.map { $0.defaultingEncoding(to: encoding) }) }
        }
    }
}

struct ExportSchemaTableCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema-table",
        abstract: "Write the schema table of the Avro-encoded contracts: every version's schema with its id.",
        discussion: """
            The ids are the ones publishers and consumers derive from the schemas themselves (the top \
            31 bits of the schema's CRC-64-AVRO fingerprint), so a service given this file (SchemaTable) \
            resolves the ids of versions its code does not know yet. Subjects follow Confluent's \
            TopicNameStrategy (<topic>-value).
            """
    )

    @Argument(help: "Contract files or directories.")
    var paths: [String] = ["Contracts"]

    @Option(help: "The file to write.")
    var output: String

    @Option(help: "An eventc-config.yaml: its encoding is the default of contracts that declare none.")
    var config: String?

    func run() throws {
        try ExportSchemaTableRun(paths: paths, output: output, configFile: config).execute().emit()
    }
}

/// `eventc export schema-table` without the process around it.
struct ExportSchemaTableRun {
    var paths: [String]
    var output: String
    var configFile: String? = nil

    func execute() -> CommandOutcome {
        CheckedContracts.produce(from: paths, configFile: configFile) { report, contracts in
            var entries: [JSONValue] = []
            for contract in contracts.sorted(by: { $0.event < $1.event }) where contract.encoding == .avro {
                for version in contract.versions {
                    let schema = AvroSchemaExporter.schema(of: contract, version: version)
                    guard let parsed = try? AvroSchema(json: schema) else {
                        return .usageOrIOError("\(contract.file): version \(version.number)'s Avro schema does not read back; please report this")
                    }
                    entries.append(.object([
                        ("id", .number(String(WriterSchema(parsed).derivedId))), ("subject", .string(contract.topic + "-value")),
                        ("event", .string(contract.event)), ("version", .number(String(version.number))),
                        ("schema", .string(schema.compact())),
                    ]))
                }
            }
            let url = URL(fileURLWithPath: output)
            return OutputFolder(url.deletingLastPathComponent().path)
                .write([(url.lastPathComponent, JSONValue.object([("schemas", .array(entries))]).rendered() + "\n")], warnings: report.warningsText)
        }
    }
}
