import ContractChecker
import ContractModel
import Foundation

/// The compiler's test fixtures: contracts from the repository, or from text, checked as the
/// later stages (codegen, exporters, the catalog) receive them.
public enum CheckedFixtures {
    public struct Refused: Error, CustomStringConvertible {
        public var diagnostics: [Diagnostic]
        public var description: String { "the fixture contracts have errors: \(diagnostics)" }
    }

    /// Every `*.yaml` under `path` (relative to the repository), checked; throws when any has errors.
    public static func contracts(under path: String) throws -> [CheckedContract] {
        let root = repositoryRoot.appendingPathComponent(path)
        let files = try FileManager.default.subpathsOfDirectory(atPath: root.path).filter { $0.hasSuffix(".yaml") }.sorted()
        return try contracts(try files.map { ("\(path)/\($0)", try Data(contentsOf: root.appendingPathComponent($0))) })
    }

    /// `sources` (path, bytes), checked; throws when any has errors.
    public static func contracts(_ sources: [(path: String, bytes: Data)]) throws -> [CheckedContract] {
        let report = CheckPipeline().run(sources.map { SourceFile(path: $0.path, bytes: Array($0.bytes)) }, resolving: true)
        guard report.errorCount == 0 else { throw Refused(diagnostics: report.diagnostics.filter { $0.severity == .error }) }
        return report.checked
    }
}
