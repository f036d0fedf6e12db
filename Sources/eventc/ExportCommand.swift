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
        subcommands: [ExportAvroCommand.self]
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
        let checked: [CheckedContract]
        let warnings: String
        switch CheckedContracts.load(paths) {
        case .ready(let report, let contracts):
            checked = contracts
            warnings = report.warningsText
        case .refused(let outcome): return outcome
        }
        var written: [String] = []
        do {
            for contract in checked {
                let folder = URL(fileURLWithPath: output).appendingPathComponent(contract.namespace)
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                for version in contract.versions {
                    let url = folder.appendingPathComponent("\(contract.event).v\(version.number).avsc")
                    let text = AvroSchemaExporter.schema(of: contract, version: version).rendered() + "\n"
                    try Data(text.utf8).write(to: url, options: .atomic)
                    written.append(url.path)
                }
            }
        } catch {
            return .usageOrIOError("cannot write to \(output): \(error.localizedDescription)")
        }
        return CommandOutcome(output: written.sorted().map { "wrote \($0)\n" }.joined(), errorOutput: warnings,
                              exitCode: EventcExit.clean)
    }
}
