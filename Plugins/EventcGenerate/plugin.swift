import Foundation
import PackagePlugin

/// Generates Swift from the `Contracts/` folder of the target it is applied to, at build time.
/// Output files are one per contract file (named after it) plus EventCatalog.swift, declared up
/// front so SwiftPM rebuilds exactly when a contract changes. Generated types are `internal`
/// to the target.
@main
struct EventcGenerate: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let contracts = target.directoryURL.appending(path: "Contracts")
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: contracts.path)) ?? [])
            .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
        guard !names.isEmpty else { return [] }
        let output = context.pluginWorkDirectoryURL.appending(path: "GeneratedSources")
        let inputs = names.map { contracts.appending(path: $0) }
        let outputs = names.map { name in
            output.appending(path: String(name[..<(name.lastIndex(of: ".") ?? name.endIndex)]) + ".swift")
        } + [output.appending(path: "EventCatalog.swift")]
        return [
            .buildCommand(
                displayName: "eventc generate \(target.name)/Contracts",
                executable: try context.tool(named: "eventc").url,
                arguments: ["generate", contracts.path, "--output", output.path, "--access-level", "internal"],
                inputFiles: inputs,
                outputFiles: outputs)
        ]
    }
}
