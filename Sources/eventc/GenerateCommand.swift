import ArgumentParser
import ContractChecker
import ContractCodegen
import ContractModel
import ContractParser
import EventcCommandLine
import Foundation

extension GeneratorOptions.AccessLevel: ExpressibleByArgument {}
extension GeneratorOptions.Mode: ExpressibleByArgument {}

struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Generate Swift event types, codecs and handler protocols from contracts.",
        discussion: """
            Writes one file per contract plus EventCatalog.swift into OUTPUT, rewriting only files whose \
            bytes changed and deleting files it generated before whose contract is gone. With --check it \
            writes nothing and exits 1 listing what is stale (the CI drift check). Contracts with errors \
            are not generated: the errors are printed and the exit status is 1.
            """
    )

    @Argument(help: "Contract files or directories.")
    var paths: [String] = ["Contracts"]

    @Option(help: "The directory of generated Swift files.")
    var output: String

    @Flag(help: "Write nothing; exit 1 if any generated file is missing, different or stale.")
    var check = false

    @Option(name: .customLong("access-level"), help: "public, package or internal.")
    var accessLevel: GeneratorOptions.AccessLevel = .public

    @Option(name: .customLong("import"), help: "A module for generated files to import (repeatable).")
    var imports: [String] = []

    @Option(name: .customLong("mode"), help: ArgumentHelp(
        "types (event types, codecs, EventCatalog: EventCore only) or handlers (handler protocols: EventProcessing); repeatable. Default: both.",
        valueName: "mode"))
    var modes: [GeneratorOptions.Mode] = []

    @Option(help: ArgumentHelp(
        "An eventc-config.yaml (accessModifier, additionalImports, encoding, generate); its settings win over the options above.",
        valueName: "file"))
    var config: String?

    func run() throws {
        let options = GeneratorOptions(accessLevel: accessLevel, imports: imports, modes: modes.isEmpty ? Set(GeneratorOptions.Mode.allCases) : Set(modes))
        try GenerateRun(paths: paths, output: output, check: check, options: options, configFile: config).execute().emit()
    }
}

/// `eventc generate` without the process around it.
struct GenerateRun {
    var paths: [String]
    var output: String
    var check: Bool
    var options: GeneratorOptions
    /// An `eventc-config.yaml` whose settings win over `options`.
    var configFile: String? = nil

    func execute() -> CommandOutcome {
        var options = options
        if let configFile {
            switch GeneratorConfigFile.load(configFile, over: options) {
            case .success(let configured): options = configured
            case .failure(let refusal): return refusal.outcome
            }
        }
        for module in options.imports where !Self.isModuleName(module) {
            return .usageOrIOError("'\(module)' is not a module name")
        }
        let checked: [CheckedContract]
        let warnings: String
        switch CheckedContracts.load(paths) {
        case .ready(let report, let contracts):
            checked = contracts
            warnings = report.warningsText
        case .refused(let outcome): return outcome
        }
        let generated: [GeneratedFile]
        do {
            generated = try ContractGenerator(options: options).generate(checked)
        } catch {
            return CommandOutcome(output: "", errorOutput: "eventc: error: \(error)\n", exitCode: EventcExit.findings)
        }
        let directory = URL(fileURLWithPath: output)
        let manager = FileManager.default
        let expected = Set(generated.map(\.name))
        // Files this tool wrote before (they start with its header) whose contract is gone.
        let existing = (try? manager.contentsOfDirectory(atPath: directory.path)) ?? []
        let orphans = existing.filter { name in
            name.hasSuffix(".swift") && !expected.contains(name)
                && ((try? String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8))?
                    .hasPrefix(ContractGenerator.headerPrefix) ?? false)
        }.sorted()
        let changed = generated.filter { file in
            (try? Data(contentsOf: directory.appendingPathComponent(file.name))) != Data(file.contents.utf8)
        }
        if check {
            let stale = changed.map { "stale: \(output)/\($0.name)" } + orphans.map { "orphaned: \(output)/\($0)" }
            if stale.isEmpty { return CommandOutcome(output: "generated code is up to date\n", errorOutput: warnings, exitCode: EventcExit.clean) }
            return CommandOutcome(
                output: stale.joined(separator: "\n") + "\nrun: eventc generate \(paths.joined(separator: " ")) --output \(output)\n",
                errorOutput: warnings, exitCode: EventcExit.findings)
        }
        let folder = OutputFolder(output)
        return folder.writing {
            var lines: [String] = []
            for file in changed {
                try folder.write(file.contents, to: file.name)
                lines.append("wrote \(output)/\(file.name)")
            }
            for name in orphans {
                try folder.remove(name)
                lines.append("removed \(output)/\(name)")
            }
            lines.append("\(generated.count) files, \(changed.count) written, \(orphans.count) removed")
            return CommandOutcome(output: lines.joined(separator: "\n") + "\n", errorOutput: warnings, exitCode: EventcExit.clean)
        }
    }

    /// A module name as an import names it: dot-separated ASCII identifiers.
    static func isModuleName(_ name: String) -> Bool {
        !name.isEmpty && name.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { part in
            guard let first = part.first, first.isLetter || first == "_" else { return false }
            return part.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
        }
    }
}
