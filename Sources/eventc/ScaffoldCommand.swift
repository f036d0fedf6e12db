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
        subcommands: [ScaffoldHandlersCommand.self]
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
        let checked: [CheckedContract]
        let warnings: String
        switch CheckedContracts.load(paths) {
        case .ready(let report, let contracts):
            checked = contracts
            warnings = report.warningsText
        case .refused(let outcome): return outcome
        }
        var lines: [String] = []
        let directory = URL(fileURLWithPath: output)
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            for contract in checked.sorted(by: { $0.file < $1.file }) {
                guard let text = HandlerStub.render(contract, imports: imports) else { continue }
                let name = HandlerStub.fileName(for: contract)
                let url = directory.appendingPathComponent(name)
                if FileManager.default.fileExists(atPath: url.path) {
                    lines.append("kept \(output)/\(name) (exists; yours to edit)")
                    continue
                }
                // .withoutOverwriting: a file that appeared since the check is still not replaced.
                try Data(text.utf8).write(to: url, options: .withoutOverwriting)
                lines.append("wrote \(output)/\(name)")
            }
        } catch {
            return .usageOrIOError("cannot write to \(output): \(error.localizedDescription)")
        }
        return CommandOutcome(output: lines.joined(separator: "\n") + "\n", errorOutput: warnings, exitCode: EventcExit.clean)
    }
}
