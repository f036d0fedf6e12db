import ArgumentParser
import ContractChecker
import ContractModel
import ContractParser

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Parse and lint contracts; report every problem compiler-style.",
        discussion: """
            Walks each PATH for *.yaml and *.yml files (default: Contracts). Exit status: 0 when there \
            are no errors (warnings allowed), 1 when there are errors (or warnings, with --strict), 2 for \
            usage errors and unreadable paths.
            """
    )

    @Argument(help: "Contract files or directories to check.")
    var paths: [String] = ["Contracts"]

    @Option(help: "Output format: text, json or github.")
    var format: DiagnosticFormat = .text

    @Flag(help: "Fail on warnings too.")
    var strict = false

    func run() throws {
        let outcome = CheckRun(paths: paths, format: format, strict: strict).execute()
        print(outcome.output, terminator: "")
        if !outcome.errorOutput.isEmpty {
            var standardError = StandardError()
            print(outcome.errorOutput, terminator: "", to: &standardError)
        }
        if outcome.exitCode != EventcExit.clean { throw ExitCode(outcome.exitCode) }
    }
}

/// `eventc check` without the process around it, so tests can run it and read its output.
struct CheckRun {
    var paths: [String]
    var format: DiagnosticFormat
    var strict: Bool

    struct Outcome {
        var output: String
        var errorOutput: String
        var exitCode: Int32
    }

    func execute() -> Outcome {
        let sources: [SourceFile]
        do {
            let files = try ContractSources.files(in: paths)
            guard !files.isEmpty else {
                return Outcome(
                    output: "",
                    errorOutput: "eventc: error: no *.yaml or *.yml files under \(paths.joined(separator: ", "))\n",
                    exitCode: EventcExit.usageOrIO)
            }
            sources = try files.map { SourceFile(path: $0, bytes: try ContractSources.read($0)) }
        } catch {
            return Outcome(output: "", errorOutput: "eventc: error: \(error)\n", exitCode: EventcExit.usageOrIO)
        }
        let report = CheckPipeline().run(sources)
        let output = DiagnosticFormatter.format(
            report.diagnostics, as: format, sources: report.sources, fileCount: report.files.count)
        let failed = report.errorCount > 0 || (strict && report.warningCount > 0)
        return Outcome(output: output, errorOutput: "", exitCode: failed ? EventcExit.findings : EventcExit.clean)
    }
}
