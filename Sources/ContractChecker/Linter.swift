import ContractModel

/// Runs every lint rule over a set of contracts.
public struct Linter: Sendable {
    /// The rules run on each contract.
    public var rules: [any LintRule]
    /// The rules run on the contracts together (names and topics they share).
    public var crossContractRules: [any CrossContractRule]

    /// A linter of `rules` (default: every standard rule).
    public init(rules: [any LintRule] = Linter.standardRules,
                crossContractRules: [any CrossContractRule] = Linter.standardCrossContractRules)
    {
        self.rules = rules
        self.crossContractRules = crossContractRules
    }

    /// Every per-contract rule `eventc check` runs.
    public static let standardRules: [any LintRule] = [
        NamingRule(), DuplicateNameRule(), TypeReferenceRule(), DefaultValueRule(), VersionSequenceRule(),
        TopicRule(), RetryRule(), PartitionKeyRule(), DesignRule(), ServiceRule(), AvroMappingRule(), DataRulesRule(),
        HistoryCompatibilityRule(),
    ]
    /// Every cross-contract rule `eventc check` runs.
    public static let standardCrossContractRules: [any CrossContractRule] = [DuplicateEventRule(), TopicConflictRule()]

    /// Every id any rule here can report.
    public var ids: [RuleID] { rules.flatMap(\.ids) + crossContractRules.flatMap(\.ids) }

    /// Every diagnostic of every rule on `contracts`, in file order.
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
