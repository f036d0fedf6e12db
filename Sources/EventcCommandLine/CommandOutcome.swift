import ArgumentParser

/// The exit statuses every eventc tool promises: 0 clean, 1 findings, 2 usage or I/O.
public enum EventcExit {
    public static let clean: Int32 = 0
    public static let findings: Int32 = 1
    public static let usageOrIO: Int32 = 2
}

/// What a command prints and how it exits, kept apart from the process so tests can read it.
public struct CommandOutcome: Sendable {
    public var output: String
    public var errorOutput: String
    public var exitCode: Int32

    public init(output: String, errorOutput: String, exitCode: Int32) {
        self.output = output
        self.errorOutput = errorOutput
        self.exitCode = exitCode
    }

    /// Printed output and exit 0.
    public static func success(_ output: String) -> CommandOutcome {
        CommandOutcome(output: output, errorOutput: "", exitCode: EventcExit.clean)
    }

    public static func usageOrIOError(_ message: String, tool: String = "eventc") -> CommandOutcome {
        CommandOutcome(output: "", errorOutput: "\(tool): error: \(message)\n", exitCode: EventcExit.usageOrIO)
    }

    public func emit() throws {
        print(output, terminator: "")
        if !errorOutput.isEmpty {
            var standardError = StandardError()
            print(errorOutput, terminator: "", to: &standardError)
        }
        if exitCode != EventcExit.clean { throw ExitCode(exitCode) }
    }
}

/// A root command that exits 2 on a usage error, as every eventc tool promises (ArgumentParser's
/// own is 64).
public protocol EventcRootCommand: AsyncParsableCommand {}

extension EventcRootCommand {
    public static func main() async {
        do {
            var command = try parseAsRoot()
            if var asynchronous = command as? AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()
            }
        } catch let exit as ExitCode {
            Self.exit(withError: exit)
        } catch {
            if exitCode(for: error) == .success { Self.exit(withError: error) }
            var standardError = StandardError()
            print(fullMessage(for: error), to: &standardError)
            Self.exit(withError: ExitCode(EventcExit.usageOrIO))
        }
    }
}
