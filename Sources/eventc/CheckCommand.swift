import ArgumentParser
import ContractChecker
import ContractModel
import ContractParser
import EventcCommandLine

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
        try CheckRun(paths: paths, format: format, strict: strict).execute().emit()
    }
}

/// `eventc check` without the process around it, so tests can run it and read its output.
struct CheckRun {
    var paths: [String]
    var format: DiagnosticFormat
    var strict: Bool

    func execute() -> CommandOutcome {
        let sources: [SourceFile]
        do {
            let files = try ContractSources.files(in: paths)
            guard !files.isEmpty else {
                return .usageOrIOError("no *.yaml or *.yml files under \(paths.joined(separator: ", "))")
            }
            sources = try files.map { SourceFile(path: $0, bytes: try ContractSources.read($0)) }
        } catch {
            return .usageOrIOError("\(error)")
        }
        let report = CheckPipeline().run(sources)
        return CommandOutcome(diagnostics: report.diagnostics, format: format, sources: report.sources,
                              fileCount: report.files.count, strict: strict)
    }
}
