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

/// Writes a command's files under one folder, each atomically, creating folders as needed.
struct OutputFolder {
    let path: String

    init(_ path: String) { self.path = path }

    /// `summary` replaces the per-file "wrote" lines when given.
    func write(_ files: [(path: String, contents: String)], warnings: String, summary: String? = nil) -> CommandOutcome {
        var written: [String] = []
        do {
            for file in files {
                let url = URL(fileURLWithPath: path).appendingPathComponent(file.path)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(file.contents.utf8).write(to: url, options: .atomic)
                written.append(url.path)
            }
        } catch {
            return .usageOrIOError("cannot write to \(path): \(error.localizedDescription)")
        }
        let output = summary ?? written.sorted().map { "wrote \($0)\n" }.joined()
        return CommandOutcome(output: output, errorOutput: warnings, exitCode: EventcExit.clean)
    }
}
