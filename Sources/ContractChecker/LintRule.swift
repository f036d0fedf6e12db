import ContractModel

/// A rule that looks at one contract at a time.
public protocol LintRule: Sendable {
    /// The ids this rule reports, for documentation and for the fixture-per-rule test.
    var ids: [RuleID] { get }
    func check(_ contract: Contract, context: LintContext) -> [Diagnostic]
}

/// A rule that needs every contract at once (shared topics, unique event names).
public protocol CrossContractRule: Sendable {
    var ids: [RuleID] { get }
    func check(_ contracts: [Contract]) -> [Diagnostic]
}

/// The named types visible at one place in a contract.
public typealias TypeScope = [String: NamedType]

/// One place a field is declared, with the types its type expression resolves against.
/// A class so the rules' loops over every site share it instead of copying a `Field` each time
/// (those copies were a fifth of lint time).
public final class FieldSite: Sendable {
    public let field: Field
    public let scope: TypeScope
    /// Whether the field belongs to an event version (the envelope rules apply) or to a record type.
    public let isEventField: Bool

    init(field: Field, scope: TypeScope, isEventField: Bool) {
        self.field = field
        self.scope = scope
        self.isEventField = isEventField
    }
}

/// What several rules derive from a contract, computed once per contract rather than once per rule.
public struct LintContext: Sendable {
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

    public init(_ contract: Contract) {
        self.contract = contract
        let versionScopes = contract.versions.map { ($0, contract.typeScope(for: $0)) }
        self.versionScopes = versionScopes
        let scopes = versionScopes.isEmpty
            ? [Dictionary(contract.types.map { ($0.name.value, $0) }, uniquingKeysWith: { first, _ in first })]
            : versionScopes.map(\.1)
        self.scopes = scopes
        allTypes = contract.types + contract.versions.flatMap(\.types)
        var sites: [FieldSite] = []
        for (version, scope) in versionScopes {
            sites += version.fields.map { FieldSite(field: $0, scope: scope, isEventField: true) }
        }
        // A shared record seen from several versions is checked in each scope, because the names
        // its fields use may resolve differently; repeats collapse in the report.
        for scope in scopes {
            for type in scope.values.sorted(by: { $0.name.location < $1.name.location }) {
                sites += type.fields.map { FieldSite(field: $0, scope: scope, isEventField: false) }
            }
        }
        fieldSites = sites
    }
}
