import ContractModel

/// Runs every lint rule over a set of contracts.
public struct Linter: Sendable {
    public var rules: [any LintRule]
    public var crossContractRules: [any CrossContractRule]

    public init(rules: [any LintRule] = Linter.standardRules,
                crossContractRules: [any CrossContractRule] = Linter.standardCrossContractRules)
    {
        self.rules = rules
        self.crossContractRules = crossContractRules
    }

    public static let standardRules: [any LintRule] = [
        NamingRule(), DuplicateNameRule(), TypeReferenceRule(), DefaultValueRule(), VersionSequenceRule(),
        TopicRule(), RetryRule(), PartitionKeyRule(), DesignRule(), ServiceRule(), AvroMappingRule(), HistoryCompatibilityRule(),
    ]
    public static let standardCrossContractRules: [any CrossContractRule] = [DuplicateEventRule(), TopicConflictRule()]

    /// Every id any rule here can report.
    public var ids: [RuleID] { rules.flatMap(\.ids) + crossContractRules.flatMap(\.ids) }

    public func lint(_ contracts: [Contract]) -> [Diagnostic] {
        lint(contracts, keepingContexts: false).diagnostics
    }

    /// Lints, and when asked returns each contract's context too: it holds the resolved defaults
    /// that the checked form of a clean contract is made from.
    func lint(_ contracts: [Contract], keepingContexts: Bool) -> (diagnostics: [Diagnostic], contexts: [LintContext]) {
        var diagnostics: [Diagnostic] = []
        var contexts: [LintContext] = []
        for contract in contracts {
            let context = LintContext(contract)
            for rule in rules { diagnostics += rule.check(contract, context: context) }
            if keepingContexts { contexts.append(context) }
        }
        for rule in crossContractRules { diagnostics += rule.check(contracts) }
        return (diagnostics, contexts)
    }
}
