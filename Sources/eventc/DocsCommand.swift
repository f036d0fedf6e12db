import ArgumentParser
import ContractCatalog
import ContractChecker
import EventcCommandLine
import Foundation

struct DocsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "docs",
        abstract: "Write the event catalog: a static HTML site (opens from file://, no server or network needed).",
        discussion: """
            OUTPUT gets index.html (search, the producers → topics → consumers picture, every event by \
            namespace), a page per event, each version's JSON Schema and Avro schema, and the AsyncAPI \
            document. Files eventc did not write are left alone. Contracts with errors are not documented; \
            the errors are printed and the exit status is 1.
            """
    )

    @Argument(help: "Contract files or directories.")
    var paths: [String] = ["Contracts"]

    @Option(help: "The directory to write the site into.")
    var output: String

    @Option(help: "The catalog's title.")
    var title: String = "Event catalog"

    @Option(help: "An eventc-config.yaml: its encoding is the default of contracts that declare none.")
    var config: String?

    func run() throws {
        try DocsRun(paths: paths, output: output, title: title, configFile: config).execute().emit()
    }
}

/// `eventc docs` without the process around it.
struct DocsRun {
    var paths: [String]
    var output: String
    var title: String
    /// An `eventc-config.yaml` whose `encoding` is the default.
    var configFile: String? = nil

    func execute() -> CommandOutcome {
        CheckedContracts.produce(from: paths, configFile: configFile) { report, contracts in
            let files = CatalogSite.files(for: contracts, title: title).map { ($0.path, $0.contents) }
            return OutputFolder(output).write(files, warnings: report.warningsText,
                                               summary: "wrote the catalog of \(contracts.count) events to \(output)/index.html\n")
        }
    }
}
