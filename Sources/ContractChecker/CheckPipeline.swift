import ContractModel
import ContractParser

/// A contract file's bytes, as read from disk or from a git ref.
public struct SourceFile: Sendable {
    public var path: String
    public var bytes: [UInt8]

    public init(path: String, bytes: [UInt8]) {
        self.path = path
        self.bytes = bytes
    }
}

/// Everything `eventc check` found.
public struct CheckReport: Sendable {
    public var files: [String]
    public var contracts: [Contract]
    /// In report order, without repeats.
    public var diagnostics: [Diagnostic]
    /// The text of each readable file, for quoting lines under diagnostics.
    public var sources: [String: String]

    public var errorCount: Int { diagnostics.errorCount }
    public var warningCount: Int { diagnostics.warningCount }
}

/// parse → decode → lint, over every file, collecting every diagnostic.
public struct CheckPipeline: Sendable {
    public var linter: Linter
    public var limits: YAMLLimits

    public init(linter: Linter = Linter(), limits: YAMLLimits = .default) {
        self.linter = linter
        self.limits = limits
    }

    public func run(_ files: [SourceFile]) -> CheckReport {
        var diagnostics: [Diagnostic] = []
        var contracts: [Contract] = []
        var sources: [String: String] = [:]
        for file in files {
            let parsed = ContractFileParser.parse(file.bytes, file: file.path, limits: limits)
            diagnostics += parsed.diagnostics
            if let source = parsed.source { sources[file.path] = source }
            if let contract = parsed.contract { contracts.append(contract) }
        }
        diagnostics += linter.lint(contracts)
        return CheckReport(
            files: files.map(\.path), contracts: contracts, diagnostics: diagnostics.inReportOrder(), sources: sources)
    }
}
