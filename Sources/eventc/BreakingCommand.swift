import ArgumentParser
import ContractChecker
import ContractModel
import ContractParser
import EventcCommandLine

struct BreakingCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "breaking",
        abstract: "Check the contracts for breaking changes against a baseline (a git ref or a directory).",
        discussion: """
            Published versions are immutable, removed versions and contracts are errors, new versions \
            are checked per each contract's compatibility mode, and key, topic, partition, mode and \
            retention changes are reported. Exit status: 0 no errors, 1 errors (or warnings, with \
            --strict), 2 usage errors, unreadable paths or an unknown REF.
            """
    )

    @Argument(help: "Contract files or directories to check.")
    var paths: [String] = ["Contracts"]

    @Option(help: "The baseline: a git ref (main, HEAD~1, a tag) or a directory of contracts.")
    var against: String

    @Option(help: "Output format: text, json or github.")
    var format: DiagnosticFormat = .text

    @Flag(help: "Fail on warnings too.")
    var strict = false

    func run() throws {
        let outcome = BreakingRun(paths: paths, against: against, format: format, strict: strict).execute()
        try outcome.emit()
    }
}

/// `eventc breaking` without the process around it.
struct BreakingRun {
    var paths: [String]
    var against: String
    var format: DiagnosticFormat
    var strict: Bool

    func execute() -> CommandOutcome {
        let working: [SourceFile]
        let baseline: [SourceFile]
        do {
            working = try ContractSources.files(in: paths).map { SourceFile(path: $0, bytes: try ContractSources.read($0)) }
            baseline = try BaselineSource.load(reference: against, paths: paths)
        } catch {
            return .usageOrIOError("\(error)")
        }
        let report = BreakingPipeline(baselineName: against).run(baseline: baseline, working: working)
        return CommandOutcome(diagnostics: report.diagnostics, format: format, sources: report.sources,
                              fileCount: report.files.count, strict: strict)
    }
}
