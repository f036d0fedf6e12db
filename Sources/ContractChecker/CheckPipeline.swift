import ContractModel
import ContractParser

/// A contract file's bytes, as read from disk or from a git ref.
public struct SourceFile: Sendable {
    /// Its path, as diagnostics print it.
    public var path: String
    /// Its bytes, not yet decoded (the reader checks the UTF-8).
    public var bytes: [UInt8]

    /// A file's bytes under the path diagnostics name.
    public init(path: String, bytes: [UInt8]) {
        self.path = path
        self.bytes = bytes
    }
}

/// Everything `eventc check` found.
public struct CheckReport: Sendable {
    /// The paths of the files checked, in the order given.
    public var files: [String]
    /// The contracts that parsed, errors or not.
    public var contracts: [Contract]
    /// With `run(_:resolving: true)`: the contracts whose files have no errors, in checked form,
    /// what code generation and the exporters read.
    public var checked: [CheckedContract] = []
    /// With `run(_:resolving: true)`: clean contracts that could not be put in checked form
    /// (checker bugs, to be reported).
    public var checkFailures: [CheckedContractError] = []
    /// In report order, without repeats.
    public var diagnostics: [Diagnostic]
    /// The text of each readable file, for quoting lines under diagnostics.
    public var sources: [String: String]

    /// How many diagnostics are errors.
    public var errorCount: Int { diagnostics.errorCount }

    /// How many diagnostics are warnings.
    public var warningCount: Int { diagnostics.warningCount }
}

/// parse → decode → lint, over every file, collecting every diagnostic.
public struct CheckPipeline: Sendable {
    /// The lint rules to run.
    public var linter: Linter
    /// The YAML reader's limits against hostile input.
    public var limits: YAMLLimits

    /// A pipeline with every rule and the default limits.
    public init(linter: Linter = Linter(), limits: YAMLLimits = .default) {
        self.linter = linter
        self.limits = limits
    }

    /// Checks `files`; with `resolving`, also puts every clean contract in checked form for the
    /// stages after the checker (from the lint contexts, whose defaults are already resolved).
    /// `eventc check` does not resolve: keeping a thousand contexts alive until the end cost its
    /// benchmark ~7%.
    public func run(_ files: [SourceFile], resolving: Bool = false) -> CheckReport {
        var diagnostics: [Diagnostic] = []
        var contracts: [Contract] = []
        var sources: [String: String] = [:]
        for (file, parsed) in zip(files, ParallelParsing.parse(files, limits: limits)) {
            diagnostics += parsed.diagnostics
            if let source = parsed.source { sources[file.path] = source }
            if let contract = parsed.contract { contracts.append(contract) }
        }
        let (lintDiagnostics, contexts) = linter.lint(contracts, keepingContexts: resolving)
        diagnostics += lintDiagnostics
        var report = CheckReport(
            files: files.map(\.path), contracts: contracts, diagnostics: diagnostics.inReportOrder(), sources: sources)
        let filesWithErrors = Set(report.diagnostics.filter { $0.severity == .error }.map(\.location.file))
        for context in contexts where !filesWithErrors.contains(context.contract.file) {
            do {
                report.checked.append(try CheckedContract(context))
            } catch {
                report.checkFailures.append(error)
            }
        }
        return report
    }
}

/// `eventc breaking`: parse the working files and the baseline's, then compare. Working files
/// that do not parse are errors; baseline files that do not are warnings (a broken baseline
/// must not block the fix), and those contracts are not compared.
public struct BreakingPipeline: Sendable {
    /// The baseline's name as the user gave it (`main`, a folder), for messages.
    public var baselineName: String

    /// A comparison against the baseline named `baselineName`.
    public init(baselineName: String) { self.baselineName = baselineName }

    /// Checks `working`, then compares each of its contracts with the baseline's of the same event name.
    public func run(baseline: [SourceFile], working: [SourceFile]) -> CheckReport {
        let parsedWorking = ParallelParsing.parse(working)
        var diagnostics = parsedWorking.flatMap(\.diagnostics)
        var baselineContracts: [Contract] = []
        for (file, parsed) in zip(baseline, ParallelParsing.parse(baseline)) {
            if let contract = parsed.contract, parsed.diagnostics.allSatisfy({ $0.severity != .error }) {
                baselineContracts.append(contract)
            } else {
                diagnostics.append(.warning(
                    .baselineUnreadable, "the baseline's \(file.path) in \(baselineName) cannot be read, so it is not compared",
                    at: SourceLocation(file: file.path, line: 1, column: 1),
                    hint: parsed.diagnostics.first.map { "first problem: \($0.message)" }))
            }
        }
        let workingContracts = parsedWorking.compactMap(\.contract)
        diagnostics += BaselineComparison(baselineName: baselineName).compare(baseline: baselineContracts, working: workingContracts)
        diagnostics = ConsumerImpactAnnotation.annotate(diagnostics, contracts: workingContracts + baselineContracts)
        var sources: [String: String] = [:]
        for (file, parsed) in zip(working, parsedWorking) { sources[file.path] = parsed.source }
        return CheckReport(files: working.map(\.path), contracts: workingContracts,
                           diagnostics: diagnostics.inReportOrder(), sources: sources)
    }
}
