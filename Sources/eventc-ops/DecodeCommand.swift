import ArgumentParser
import ContractChecker
import ContractModel
import EventCore
import EventcCommandLine
import Foundation

struct DecodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode",
        abstract: "Print one payload (standard input or a file) as its contract's canonical JSON, or say exactly why it cannot be read.",
        discussion: """
            The payload is read with the contracts' own schemas, no generated code needed: JSON, Avro \
            binary, or Avro in Confluent's frame (whose schema id names the writer's schema: ids are \
            derived from the schemas, or given by --schema-table). It is printed as the version that \
            wrote it.
            """)

    @Option(help: "The contracts folder.")
    var contracts: String

    @Option(help: "The event's name, e.g. PaymentCompleted.")
    var event: String

    @Option(help: "The contract version that wrote the payload (json and avro; default: the newest).")
    var version: Int?

    @Option(help: "json, avro (unframed) or confluent (default: confluent when the payload starts with byte 0, else json).")
    var format: ContractPayloads.Format?

    @Option(help: "A schema table (JSON: {\"schemas\": [{\"id\": …, \"schema\": \"…\"}]}) for Confluent ids.")
    var schemaTable: String?

    @Flag(help: "Print the values of fields tagged pii or secret (masked by default).")
    var reveal = false

    @Argument(help: "The payload's file; standard input when omitted.")
    var file: String?

    func run() throws {
        try DecodeRun(
            contracts: contracts, event: event, version: version, format: format, schemaTable: schemaTable, file: file, reveal: reveal
        ).execute().emit()
    }
}

extension ContractPayloads.Format: ExpressibleByArgument {}

/// `eventc-ops decode` without the process around it.
struct DecodeRun {
    var contracts: String
    var event: String
    var version: Int?
    var format: ContractPayloads.Format?
    var schemaTable: String?
    var file: String?
    /// Print fields tagged `pii` or `secret` instead of masking them.
    var reveal = false
    /// The payload, when given directly (tests); else read from `file` or standard input.
    var payload: [UInt8]? = nil

    func execute() -> CommandOutcome {
        let payloads: ContractPayloads
        switch ContractPayloads.load(contracts, schemaTable: schemaTable) {
        case .refused(let outcome): return outcome
        case .loaded(let loaded): payloads = loaded
        }
        let bytes: [UInt8]
        do {
            bytes = try payload ?? file.map { Array(try Data(contentsOf: URL(fileURLWithPath: $0))) } ?? Array(FileHandle.standardInput.readDataToEndOfFile())
        } catch {
            return .usageOrIOError("cannot read \(file ?? "standard input"): \(error.localizedDescription)", tool: "eventc-ops")
        }
        do {
            let value = try payloads.decode(bytes, event: event, format: format ?? ContractPayloads.sniff(bytes), version: version)
            let shown = reveal ? value : SensitiveFields.mask(value, by: try payloads.contract(event))
            return .success(shown.compact() + "\n")
        } catch {
            return CommandOutcome(output: "", errorOutput: "eventc-ops: error: \(file ?? "standard input"): \(error)\n", exitCode: EventcExit.findings)
        }
    }
}

extension ContractPayloads {
    enum Loaded {
        case loaded(ContractPayloads)
        /// The contracts or the table could not be read: return this outcome.
        case refused(CommandOutcome)
    }

    /// The checked contracts under `folder`, and the schema table at `schemaTable`; or the
    /// outcome that says why they could not be read.
    static func load(_ folder: String, schemaTable: String?) -> Loaded {
        let contracts: [CheckedContract]
        switch CheckedContracts.load([folder], tool: "eventc-ops") {
        case .refused(let outcome): return .refused(outcome)
        case .ready(_, let checked): contracts = checked
        }
        guard let schemaTable else { return .loaded(ContractPayloads(contracts: contracts, table: nil)) }
        do {
            let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: schemaTable)))
            return .loaded(ContractPayloads(contracts: contracts, table: try SchemaTable(json: bytes, file: schemaTable)))
        } catch let error as SchemaTableError {
            return .refused(.usageOrIOError("\(error); fix the table or leave it out (ids are then derived from the schemas)", tool: "eventc-ops"))
        } catch {
            return .refused(.usageOrIOError("cannot read \(schemaTable): \(error.localizedDescription)", tool: "eventc-ops"))
        }
    }
}
