import Foundation
import PackagePlugin

/// Generates Swift at build time from the `Contracts/` folder of the target it is applied to,
/// subfolders included, exactly as `eventc generate` finds contracts: every `*.yaml` and `*.yml`,
/// hidden folders skipped. A contract's namespace defaults to its folder's name, as on the
/// command line, so `Contracts/payments/PaymentCompleted.yaml` is in `payments`.
///
/// Every output is declared up front (one file per contract, named after it, plus
/// EventCatalog.swift, whatever the modes), so SwiftPM rebuilds exactly when a contract changes. An
/// `eventc-config.yaml` beside `Contracts/` sets the access modifier, imports and modes; without one the
/// generated types are `internal` to the target. Warnings and errors appear in the build log,
/// compiler-style, with the contract's path, line and column.
@main
struct EventcGenerate: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let contracts = target.directoryURL.appending(path: "Contracts")
        let files = ContractFiles.find(in: contracts)
        guard !files.isEmpty else { return [] }
        let output = context.pluginWorkDirectoryURL.appending(path: "GeneratedSources")
        var arguments = ["generate", contracts.path, "--output", output.path, "--access-level", "internal"]
        var inputs = files
        let config = target.directoryURL.appending(path: "eventc-config.yaml")
        if FileManager.default.fileExists(atPath: config.path) {
            arguments += ["--config", config.path]
            inputs.append(config)
        }
        let outputs = files.map { output.appending(path: ContractFiles.outputName(for: $0)) } + [output.appending(path: "EventCatalog.swift")]
        return [
            .buildCommand(
                displayName: "eventc generate \(target.name)/Contracts",
                executable: try context.tool(named: "eventc").url,
                arguments: arguments,
                inputFiles: inputs,
                outputFiles: outputs)
        ]
    }
}

/// How `eventc` finds contract files and names their output (ContractSources and
/// ContractGenerator.outputName; a plugin cannot link the compiler's libraries, so the rule is
/// repeated here, and `Examples/` builds with nested contracts in CI).
enum ContractFiles {
    static func find(in folder: URL) -> [URL] {
        guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isDirectoryKey]) else { return [] }
        var found: [URL] = []
        for case let url as URL in walker {
            if url.lastPathComponent.hasPrefix(".") {
                walker.skipDescendants()
                continue
            }
            if ["yaml", "yml"].contains(url.pathExtension) { found.append(url) }
        }
        return found.sorted { $0.path < $1.path }
    }

    /// `PaymentCompleted.yaml` → `PaymentCompleted.swift`.
    static func outputName(for contract: URL) -> String {
        contract.deletingPathExtension().lastPathComponent + ".swift"
    }
}
