import ContractChecker
import ContractModel
import ContractParser

extension CommandOutcome {
    /// A report: exit 1 when it has errors, or warnings under `strict`.
    public init(diagnostics: [Diagnostic], format: DiagnosticFormat, sources: [String: String], fileCount: Int, strict: Bool) {
        let failed = diagnostics.errorCount > 0 || (strict && diagnostics.warningCount > 0)
        self.init(
            output: DiagnosticFormatter.format(diagnostics, as: format, sources: sources, fileCount: fileCount), errorOutput: "",
            exitCode: failed ? EventcExit.findings : EventcExit.clean)
    }
}

extension CheckReport {
    /// The report's warnings, compiler-style (`path:line:col: warning: …`), for standard error:
    /// what `generate`, `scaffold` and `export` print besides their own output, so users of the
    /// build plugin see them in the build log. Empty when there are none.
    public var warningsText: String {
        let warnings = diagnostics.filter { $0.severity == .warning }
        guard !warnings.isEmpty else { return "" }
        return DiagnosticFormatter.text(warnings, sources: sources, fileCount: files.count)
    }
}

/// The contracts under some paths, read and checked: what `eventc generate`, `scaffold` and
/// `export`, and `eventc-ops decode`, start from. Nothing is produced from contracts with errors.
public enum CheckedContracts {
    case ready(CheckReport, [CheckedContract])
    /// The paths could not be read, or the contracts have errors: return this outcome.
    case refused(CommandOutcome)

    /// `tool` names the program in its messages.
    public static func load(_ paths: [String], tool: String = "eventc") -> CheckedContracts {
        let report: CheckReport
        do {
            let files = try ContractSources.files(in: paths)
            report = CheckPipeline().run(try files.map { SourceFile(path: $0, bytes: try ContractSources.read($0)) }, resolving: true)
        } catch {
            return .refused(.usageOrIOError("\(error)", tool: tool))
        }
        guard report.errorCount == 0 else {
            return .refused(CommandOutcome(
                diagnostics: report.diagnostics.filter { $0.severity == .error }, format: .text, sources: report.sources,
                fileCount: report.files.count, strict: false))
        }
        guard report.checkFailures.isEmpty else {
            let lines = report.checkFailures.map { "\(tool): error: \($0)\n" }.joined()
            return .refused(CommandOutcome(output: "", errorOutput: lines, exitCode: EventcExit.findings))
        }
        return .ready(report, report.checked)
    }

    /// `produce`'s outcome from the checked contracts under `paths`, or the refusal.
    public static func produce(from paths: [String], _ produce: (CheckReport, [CheckedContract]) -> CommandOutcome) -> CommandOutcome {
        switch load(paths) {
        case .refused(let outcome): outcome
        case .ready(let report, let contracts): produce(report, contracts)
        }
    }
}
