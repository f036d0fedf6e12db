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
public struct FieldSite: Sendable {
    public var field: Field
    public var scope: TypeScope
    /// Whether the field belongs to an event version (the envelope rules apply) or to a record type.
    public var isEventField: Bool
}

/// What several rules derive from a contract, computed once per contract.
public struct LintContext: Sendable {
    public let contract: Contract
    /// Each version's scope, in version order.
    public let versionScopes: [(version: ContractVersion, scope: TypeScope)]

    public init(_ contract: Contract) {
        self.contract = contract
        versionScopes = contract.versions.map { ($0, contract.typeScope(for: $0)) }
    }

    /// The scopes named types are checked in: every version's, or the shared types alone when the
    /// contract has no version yet. A problem seen in several scopes is reported once (reports
    /// drop exact repeats).
    public var scopes: [TypeScope] {
        versionScopes.isEmpty ? [contract.typeScope(for: ContractVersion(number: Located(0, at: contract.location),
                                                                         location: contract.location))]
            : versionScopes.map(\.scope)
    }

    /// Every declared type, shared ones first, then each version's own, in file order.
    public var allTypes: [NamedType] {
        contract.types + contract.versions.flatMap(\.types)
    }

    /// Every field declaration: event fields of each version, then record fields of the types
    /// each scope can see.
    public var fieldSites: [FieldSite] {
        var sites: [FieldSite] = []
        for (version, scope) in versionScopes {
            sites += version.fields.map { FieldSite(field: $0, scope: scope, isEventField: true) }
        }
        for scope in scopes {
            for type in scope.values.sorted(by: { $0.name.location < $1.name.location }) {
                sites += type.fields.map { FieldSite(field: $0, scope: scope, isEventField: false) }
            }
        }
        return sites
    }
}
