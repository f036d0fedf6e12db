import ArgumentParser
import ContractChecker
import ContractCodegen
import ContractParser
import EventcCommandLine
import Foundation

struct ScaffoldCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scaffold",
        abstract: "Write starting points that you then own.",
        subcommands: [ScaffoldHandlersCommand.self, ScaffoldContractCommand.self]
    )
}

struct ScaffoldHandlersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "handlers",
        abstract: "Write a handler stub per event (Handle<Event>.swift), never overwriting a file that exists."
    )

    @Argument(help: "Contract files or directories.")
    var paths: [String] = ["Contracts"]

    @Option(help: "The directory to write stubs into.")
    var output: String

    @Option(name: .customLong("import"), help: "A module for stubs to import, such as your generated code's (repeatable).")
    var imports: [String] = []

    func run() throws {
        try ScaffoldRun(paths: paths, output: output, imports: imports).execute().emit()
    }
}

/// `eventc scaffold handlers` without the process around it.
struct ScaffoldRun {
    var paths: [String]
    var output: String
    var imports: [String]

    func execute() -> CommandOutcome {
        CheckedContracts.produce(from: paths) { report, checked in
            let folder = OutputFolder(output)
            return folder.writing {
                var lines: [String] = []
                for contract in checked.sorted(by: { $0.file < $1.file }) {
                    guard let text = HandlerStub.render(contract, imports: imports) else { continue }
                    let name = HandlerStub.fileName(for: contract)
                    let wrote = try folder.write(text, to: name, existing: .keep)
                    lines.append(wrote ? "wrote \(output)/\(name)" : "kept \(output)/\(name) (exists; yours to edit)")
                }
                return CommandOutcome(output: lines.joined(separator: "\n") + "\n", errorOutput: report.warningsText, exitCode: EventcExit.clean)
            }
        }
    }
}
