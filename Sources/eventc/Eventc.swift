import ArgumentParser
import ContractChecker

@main
struct Eventc: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eventc",
        abstract: "The event-contract compiler: checks YAML event contracts for mistakes and breaking changes, and generates Swift from them.",
        subcommands: [
            CheckCommand.self, BreakingCommand.self, GenerateCommand.self, ScaffoldCommand.self, ExportCommand.self,
            DeadLetterCommand.self,
        ]
    )

    /// ArgumentParser exits 64 on a usage error; eventc promises 2 (0 clean, 1 findings, 2 usage or I/O).
    static func main() async {
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

extension DiagnosticFormat: ExpressibleByArgument {}

enum EventcExit {
    static let clean: Int32 = 0
    static let findings: Int32 = 1
    static let usageOrIO: Int32 = 2
}

struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        FileHandleOutput.writeToStandardError(string)
    }
}
