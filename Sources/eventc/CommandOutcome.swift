import ArgumentParser
import ContractChecker
import ContractModel

/// What a command prints and how it exits, kept apart from the process so tests can read it.
struct CommandOutcome {
    var output: String
    var errorOutput: String
    var exitCode: Int32

    init(output: String, errorOutput: String, exitCode: Int32) {
        self.output = output
        self.errorOutput = errorOutput
        self.exitCode = exitCode
    }

    /// A report: exit 1 when it has errors, or warnings under `strict`.
    init(diagnostics: [Diagnostic], format: DiagnosticFormat, sources: [String: String], fileCount: Int, strict: Bool) {
        output = DiagnosticFormatter.format(diagnostics, as: format, sources: sources, fileCount: fileCount)
        errorOutput = ""
        let failed = diagnostics.errorCount > 0 || (strict && diagnostics.warningCount > 0)
        exitCode = failed ? EventcExit.findings : EventcExit.clean
    }

    static func usageOrIOError(_ message: String) -> CommandOutcome {
        CommandOutcome(output: "", errorOutput: "eventc: error: \(message)\n", exitCode: EventcExit.usageOrIO)
    }

    func emit() throws {
        print(output, terminator: "")
        if !errorOutput.isEmpty {
            var standardError = StandardError()
            print(errorOutput, terminator: "", to: &standardError)
        }
        if exitCode != EventcExit.clean { throw ExitCode(exitCode) }
    }
}
