import ContractModel

/// Adds to each finding of `eventc breaking` the declared consumers it affects, so a pull request
/// says whom to talk to (and when a change touches nothing any consumer reads).
enum ConsumerImpactAnnotation {
    /// Findings about the whole event, or about a version: every consumer is affected.
    static let eventWideRules: Set<RuleID> = [
        .keyChanged, .topicChanged, .partitionsDecreased, .partitionsIncreased, .compatibilityWeakened,
        .retentionShortened, .encodingChanged, .versionEdited, .versionRemoved, .contractRemoved,
    ]
    /// Findings about a field, whose path names it.
    static let fieldRules: Set<RuleID> = [
        .compatMissingDefault, .compatTypeMismatch, .compatOptionalToRequired, .compatEnumSymbolMissing,
    ]

    /// `diagnostics`, each finding on a contract with consumers annotated. `contracts` are looked up
    /// by file, the first of a file winning (pass the working contracts before the baseline's).
    static func annotate(_ diagnostics: [Diagnostic], contracts: [Contract]) -> [Diagnostic] {
        var byFile: [String: Contract] = [:]
        for contract in contracts where byFile[contract.file] == nil { byFile[contract.file] = contract }
        return diagnostics.map { diagnostic in
            guard let contract = byFile[diagnostic.location.file], !contract.consumers.isEmpty else { return diagnostic }
            let field: String?
            if fieldRules.contains(diagnostic.rule), let path = diagnostic.compatibility?.path {
                field = topLevelField(of: path)
            } else if eventWideRules.contains(diagnostic.rule) || diagnostic.rule == .breakingDeclared {
                field = nil
            } else {
                return diagnostic
            }
            var annotated = diagnostic
            annotated.consumers = impact(of: field, on: contract.consumers)
            return annotated
        }
    }

    static func impact(of field: String?, on consumers: [ConsumerDeclaration]) -> ConsumerImpact {
        var affected: [String] = []
        var unaffected: [String] = []
        for consumer in consumers {
            let reads = consumer.reads.map { reads in field.map { field in reads.contains { $0.value == field } } ?? true } ?? true
            if reads { affected.append(consumer.service.value) } else { unaffected.append(consumer.service.value) }
        }
        return ConsumerImpact(affected: affected, unaffected: unaffected, field: field)
    }

    /// `total.currency` → `total`, `items[].sku` → `items`, `tags{}.amount` → `tags`.
    static func topLevelField(of path: String) -> String {
        String(path.prefix { $0 != "." && $0 != "[" && $0 != "{" })
    }
}
