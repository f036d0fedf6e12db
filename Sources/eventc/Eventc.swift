import ArgumentParser
import ContractChecker
import EventcCommandLine

@main
struct Eventc: EventcRootCommand {
    static let configuration = CommandConfiguration(
        commandName: "eventc",
        abstract: "The event-contract compiler: checks YAML event contracts for mistakes and breaking changes, and generates Swift from them.",
        version: EventcVersion.description,
        subcommands: [
            CheckCommand.self, BreakingCommand.self, GenerateCommand.self, ScaffoldCommand.self, ExportCommand.self, DocsCommand.self,
            RulesCommand.self, ExplainCommand.self, SchemaCommand.self,
        ]
    )
}

extension DiagnosticFormat: ExpressibleByArgument {}
