import ArgumentParser
import EventcCommandLine
import Foundation

/// `eventc dlq …` before the dead-letter tools moved to `eventc-ops`: they open a broker, and the
/// compiler no longer builds the runtime. Kept (hidden) so scripts that call it go on working:
/// it runs `eventc-ops dlq …` when that tool is built beside this one, and says how otherwise.
struct MovedDeadLetterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dlq", abstract: "Deprecated: moved to `eventc-ops dlq`.", shouldDisplay: false)

    @Argument(parsing: .captureForPassthrough)
    var arguments: [String] = []

    func run() throws {
        var standardError = StandardError()
        print("eventc: warning: 'eventc dlq' is deprecated; use 'eventc-ops dlq' (swift run eventc-ops dlq …)", to: &standardError)
        guard let tool = Self.siblingTool() else {
            try CommandOutcome.usageOrIOError(
                "eventc-ops is not built beside eventc: run 'swift run eventc-ops dlq \(arguments.joined(separator: " "))'"
            ).emit()
            return
        }
        let argv = [tool, "dlq"] + arguments
        var cArguments = argv.map { strdup($0) } + [nil]
        execv(tool, &cArguments)
        // execv returns only on failure.
        try CommandOutcome.usageOrIOError("cannot run \(tool): \(String(cString: strerror(errno)))").emit()
    }

    /// `eventc-ops` in the folder this executable is in (SwiftPM puts products side by side).
    static func siblingTool() -> String? {
        guard let folder = Bundle.main.executableURL?.deletingLastPathComponent() else { return nil }
        let tool = folder.appendingPathComponent("eventc-ops").path
        return FileManager.default.isExecutableFile(atPath: tool) ? tool : nil
    }
}
