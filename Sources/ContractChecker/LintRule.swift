import ContractModel

/// A rule that looks at one contract at a time.
public protocol LintRule: Sendable {
    /// The ids this rule reports, for documentation and for the fixture-per-rule test.
    var ids: [RuleID] { get }
    /// Every problem this rule finds in `contract`, using what `context` computed once for all rules.
    func check(_ contract: Contract, context: LintContext) -> [Diagnostic]
}

/// A rule that needs every contract at once (shared topics, unique event names).
public protocol CrossContractRule: Sendable {
    /// The ids this rule reports, for documentation and for the fixture-per-rule test.
    var ids: [RuleID] { get }
    /// Every problem this rule finds among `contracts`.
    func check(_ contracts: [Contract]) -> [Diagnostic]
}

/// The named types visible at one place in a contract.
public typealias TypeScope = [String: NamedType]

/// One place a field is declared, with the types its type expression resolves against, and its
/// default resolved once against them: the default rule reports what went wrong, the checked
/// contract keeps the value. A class so the rules' loops over every site share it instead of
/// copying a `Field` each time (those copies were a fifth of lint time).
public final class FieldSite: Sendable {
    /// The field as declared.
    public let field: Field
    /// The named types its type resolves against.
    public let scope: TypeScope
    /// Whether the field belongs to an event version (the envelope rules apply) or to a record type.
    public let isEventField: Bool
    /// The field's default as a typed value; nil when it has none or it does not fit its type.
    public let resolvedDefault: Literal?
    /// Why the default does not fit (empty when it does, or when there is none).
    public let defaultDiagnostics: [Diagnostic]
    /// The field's data rules, resolved against its type (the refused ones left out).
    public let resolvedRules: CheckedRules
    /// Why some of its rules were refused.
    public let ruleDiagnostics: [Diagnostic]

    init(field: Field, scope: TypeScope, isEventField: Bool) {
        self.field = field
        self.scope = scope
        self.isEventField = isEventField
        // A type naming something undeclared is UNKNOWN_TYPE's to report; its default is not read.
        if let node = field.defaultValue, let type = field.type, type.referencedNames.allSatisfy({ scope[$0] != nil }) {
            var resolver = DefaultResolver(scope: scope)
            resolvedDefault = resolver.resolve(node, as: type, path: field.name)
            defaultDiagnostics = resolver.diagnostics
        } else {
            resolvedDefault = nil
            defaultDiagnostics = []
        }
        var rules = DataRuleResolver()
        resolvedRules = rules.resolve(field)
        ruleDiagnostics = rules.diagnostics
    }
}

/// What several rules derive from a contract, computed once per contract rather than once per rule.
public struct LintContext: Sendable {
    /// The contract.
    public let contract: Contract
    /// Each version's scope, in version order.
    public let versionScopes: [(version: ContractVersion, scope: TypeScope)]
    /// The scopes named types are checked in: every version's, or the shared types alone when the
    /// contract has no version yet. A problem seen in several scopes is reported once (reports
    /// drop exact repeats).
    public let scopes: [TypeScope]
    /// Every declared type, shared ones first, then each version's own, in file order.
    public let allTypes: [NamedType]
    /// Every field declaration: event fields of each version, then record fields of the types
    /// each scope can see.
    public let fieldSites: [FieldSite]
    /// Each version's event fields (the same sites), in version order.
    public let versionSites: [[FieldSite]]
    /// Per scope (in `scopes`' order), each record type's fields (the same sites).
    public let typeSites: [[String: [FieldSite]]]

    /// Computes, once, the scopes, types and field sites of `contract` the rules share.
    public init(_ contract: Contract) {
        self.contract = contract
        let versionScopes = contract.versions.map { ($0, contract.typeScope(for: $0)) }
        self.versionScopes = versionScopes
        let scopes = versionScopes.isEmpty
            ? [Dictionary(contract.types.map { ($0.name.value, $0) }, uniquingKeysWith: { first, _ in first })]
            : versionScopes.map(\.1)
        self.scopes = scopes
        allTypes = contract.types + contract.versions.flatMap(\.types)
        versionSites = versionScopes.map { version, scope in
            version.fields.map { FieldSite(field: $0, scope: scope, isEventField: true) }
        }
        var sites = versionSites.flatMap { $0 }
        // A shared record seen from several versions is checked in each scope, because the names
        // its fields use may resolve differently; repeats collapse in the report.
        typeSites = scopes.map { scope in
            var byType: [String: [FieldSite]] = [:]
            for type in scope.values.sorted(by: { $0.name.location < $1.name.location }) {
                let typeSites = type.fields.map { FieldSite(field: $0, scope: scope, isEventField: false) }
                byType[type.name.value] = typeSites
                sites += typeSites
            }
            return byType
        }
        fieldSites = sites
    }
}
