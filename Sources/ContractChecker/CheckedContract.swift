import ContractModel
import EventCore

/// A contract that passed the checks, in the form later stages read: every value resolved (the
/// DLQ topic filled in, the policy in the runtime's own `DeliveryPolicy`), every default parsed
/// into a typed `Literal`, each version with the named types it sees. Code generation and the
/// exporters take only this, so none of them re-parses text, resolves a default again or needs a
/// fallback for a case the checker has ruled out (swift-openapi-generator's typed stages).
public struct CheckedContract: Sendable, Hashable {
    /// The file the contract was read from, as given to the tool.
    public let file: String
    /// The event name (`event:`), UpperCamelCase.
    public let event: String
    /// The namespace (`namespace:`), the folder when not written.
    public let namespace: String
    /// The owning team (`owner:`).
    public let owner: String
    /// The one-line summary, when written.
    public let summary: String?
    /// The topic it is published to.
    public let topic: String
    /// The topic's partition count.
    public let partitions: Int
    /// The partition key's field; nil for `key: none`.
    public let keyField: String?
    /// How versions must read each other (`compatibility:`).
    public let compatibility: CompatibilityLevel
    /// The topic's retention.
    public let retention: Retention
    /// How the event is published: the contract's `encoding`, or the default it was checked with.
    public private(set) var encoding: EventEncoding
    /// Whether the contract says its encoding itself (`encoding:`), rather than taking the default.
    public let declaresEncoding: Bool
    /// The delivery, retry and dead-letter policy, resolved (the DLQ topic filled in).
    public let delivery: DeliveryPolicy
    /// In order, 1, 2, 3…; never empty.
    public let versions: [CheckedVersion]
    /// The services that publish the event, as declared (may be empty).
    public let producers: [String]
    /// The services that read it, as declared (may be empty).
    public let consumers: [CheckedConsumer]
    /// The contract as written, kept to compare its versions on demand (`changes`).
    let source: Contract

    /// What changed from each version to the next, with the verdict of each direction. Computed
    /// when asked: only the catalog needs it, so `generate` and the exporters do not pay for it.
    public var changes: [VersionChange] { Self.changes(source, versions: versions) }

    /// The contract with `encoding` as its encoding unless it declares one (`eventc-config.yaml`'s
    /// default).
    public func defaultingEncoding(to encoding: EventEncoding) -> CheckedContract {
        guard !declaresEncoding else { return self }
        var copy = self
        copy.encoding = encoding
        return copy
    }

    /// The newest version: the shape generated types expose.
    public var latest: CheckedVersion { versions[versions.count - 1] }

    /// The version numbered `number`, nil when there is none.
    public func version(_ number: Int) -> CheckedVersion? { versions.first { $0.number == number } }
}

/// One version: its full field set and the named types it sees (the shared ones, shadowed by
/// its own).
public struct CheckedVersion: Sendable, Hashable {
    /// 1, 2, 3…
    public let number: Int
    /// Every field of the version, in order.
    public let fields: [CheckedField]
    /// The named types in scope, in declaration order.
    public let types: [CheckedType]
    /// `breaking: { reason: … }`, when the version breaks compatibility on purpose.
    public let breakingReason: String?

    /// The field named `name`, nil when the version has none.
    public func field(named name: String) -> CheckedField? { fields.first { $0.name == name } }
    /// The named type `name` in scope, nil when there is none.
    public func type(named name: String) -> CheckedType? { types.first { $0.name == name } }
}

/// A service that reads the event.
public struct CheckedConsumer: Sendable, Hashable {
    /// The service's name.
    public let service: String
    /// The top-level fields it reads; nil when it did not say (it may read any).
    public let reads: [String]?

    /// Whether a change to `field` (a top-level field name) can affect this consumer.
    public func reads(_ field: String) -> Bool { reads?.contains(field) ?? true }
}

/// From one version to the next: which fields came, went or changed, and whether each side can
/// read the other's data (Avro's resolution, as the compatibility rules apply it).
public struct VersionChange: Sendable, Hashable {
    /// The older version.
    public let from: Int
    /// The newer version (`from + 1`).
    public let to: Int
    /// Fields the newer version has and the older lacks.
    public let addedFields: [String]
    /// Fields the older version has and the newer lacks.
    public let removedFields: [String]
    /// Fields in both whose type, default, aliases or deprecation changed.
    public let changedFields: [String]
    /// Named types in both versions whose definition changed (an enum that gained a symbol…).
    public let changedTypes: [String]
    /// Why a reader on the new version cannot read data written with the old one (empty: backward compatible).
    public let backwardProblems: [String]
    /// Why a reader on the old version cannot read data written with the new one (empty: forward compatible).
    public let forwardProblems: [String]

    /// Whether the newer version reads the older one's data.
    public var isBackwardCompatible: Bool { backwardProblems.isEmpty }
    /// Whether the older version reads the newer one's data.
    public var isForwardCompatible: Bool { forwardProblems.isEmpty }
}

/// A field of a version or of a record type.
public struct CheckedField: Sendable, Hashable {
    /// The field's name.
    public let name: String
    /// The field's type.
    public let type: TypeExpression
    /// The default as written, typed; nil when none was written.
    public let defaultValue: Literal?
    /// Its doc, when written.
    public let doc: String?
    /// Earlier names a reader matches it by.
    public let aliases: [String]
    /// Whether it is deprecated.
    public let deprecated: Bool

    /// What a reader uses when the writer did not write the field: the default, null for an
    /// optional field; nil when the field is required.
    public var fallback: Literal? { defaultValue ?? (type.isOptional ? .null : nil) }
}

/// A record or an enum declared under `types:`.
public struct CheckedType: Sendable, Hashable {
    /// A record or an enum.
    public enum Kind: Sendable, Hashable {
        case record(fields: [CheckedField])
        /// `defaultSymbol` is what a reader uses for a symbol it does not know.
        case enumeration(symbols: [String], defaultSymbol: String?)
    }

    /// The type's name.
    public let name: String
    /// What it is.
    public let kind: Kind
    /// Its doc, when written.
    public let doc: String?

    /// A record's fields; empty for an enum.
    public var fields: [CheckedField] {
        if case .record(let fields) = kind { return fields }
        return []
    }

    /// Whether the type is an enum.
    public var isEnumeration: Bool {
        if case .enumeration = kind { return true }
        return false
    }
}

/// Why a contract could not be put in checked form: something the checks should have reported
/// is missing. Reaching this means a checker bug, not a user error.
public struct CheckedContractError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The contract file.
    public var file: String
    /// What is missing.
    public var missing: String

    /// What went wrong, and to report it.
    public var description: String {
        "\(file): internal error: '\(missing)' is missing although the contract passed the checks; please report this"
    }
}

extension CheckedContract {
    /// The checked form of `contract`, from the lint context the checks ran with (its defaults are
    /// resolved there, once).
    init(_ context: LintContext) throws(CheckedContractError) {
        let contract = context.contract
        func require<Value>(_ value: Value?, _ what: String) throws(CheckedContractError) -> Value {
            guard let value else { throw CheckedContractError(file: contract.file, missing: what) }
            return value
        }
        file = contract.file
        event = try require(contract.event?.value, "event")
        namespace = contract.namespace.value
        owner = try require(contract.owner?.value, "owner")
        summary = contract.summary?.value
        topic = try require(contract.topic?.value, "topic")
        partitions = contract.partitions.value
        switch try require(contract.key?.value, "key") {
        case .field(let name): keyField = name
        case .none: keyField = nil
        }
        compatibility = contract.compatibility.value
        retention = contract.retention.value
        encoding = contract.encoding?.value ?? .json
        declaresEncoding = contract.encoding != nil
        delivery = Self.policy(contract.delivery, topic: topic)
        guard !contract.versions.isEmpty else { throw CheckedContractError(file: contract.file, missing: "versions") }
        var versions: [CheckedVersion] = []
        for (index, (version, scope)) in context.versionScopes.enumerated() {
            let typeSites = context.typeSites[index]
            var types: [CheckedType] = []
            for type in scope.values.sorted(by: { $0.name.location < $1.name.location }) {
                types.append(try Self.type(type, sites: typeSites[type.name.value] ?? [], file: contract.file))
            }
            versions.append(CheckedVersion(
                number: version.number.value,
                fields: try context.versionSites[index].map { site throws(CheckedContractError) in
                    try Self.field(site, file: contract.file)
                },
                types: types,
                breakingReason: version.breaking?.reason?.value))
        }
        self.versions = versions
        producers = contract.producers.map(\.value)
        consumers = contract.consumers.map { CheckedConsumer(service: $0.service.value, reads: $0.reads?.map(\.value)) }
        source = contract
    }

    private static func changes(_ contract: Contract, versions: [CheckedVersion]) -> [VersionChange] {
        zip(zip(contract.versions, contract.versions.dropFirst()), zip(versions, versions.dropFirst())).map { raw, checked in
            let (old, new) = (SchemaVersion(contract, raw.0), SchemaVersion(contract, raw.1))
            let oldNames = Set(checked.0.fields.map(\.name))
            let newNames = Set(checked.1.fields.map(\.name))
            return VersionChange(
                from: checked.0.number, to: checked.1.number,
                addedFields: checked.1.fields.map(\.name).filter { !oldNames.contains($0) },
                removedFields: checked.0.fields.map(\.name).filter { !newNames.contains($0) },
                changedFields: checked.1.fields.filter { field in
                    checked.0.field(named: field.name).map { $0.type != field.type || $0.defaultValue != field.defaultValue
                        || $0.aliases != field.aliases || $0.deprecated != field.deprecated } ?? false
                }.map(\.name),
                changedTypes: checked.1.types.filter { type in checked.0.type(named: type.name).map { $0 != type } ?? false }
                    .map(\.name),
                backwardProblems: SchemaCompatibility.canRead(reader: new, writer: old).map(\.message),
                forwardProblems: SchemaCompatibility.canRead(reader: old, writer: new).map(\.message))
        }
    }

    /// The `delivery:` block as the runtime's policy.
    static func policy(_ block: DeliveryBlock, topic: String) -> DeliveryPolicy {
        DeliveryPolicy(
            acks: block.acks.value, idempotency: block.idempotency.value, retryAttempts: block.retry.attempts.value,
            backoff: block.retry.backoff.value, initialBackoffMilliseconds: block.retry.initial.value.milliseconds,
            backoffMultiplier: block.retry.multiplier.value, maxBackoffMilliseconds: block.retry.max.value.milliseconds,
            deadLetterTopic: block.dlq.resolvedTopic(for: topic), deadLetterOn: Set(block.dlq.on.value))
    }

    private static func field(_ site: FieldSite, file: String) throws(CheckedContractError) -> CheckedField {
        let field = site.field
        guard let type = field.type else { throw CheckedContractError(file: file, missing: "the type of field '\(field.name)'") }
        if field.defaultValue != nil, site.resolvedDefault == nil {
            throw CheckedContractError(file: file, missing: "the default of field '\(field.name)'")
        }
        return CheckedField(
            name: field.name, type: type, defaultValue: site.resolvedDefault, doc: field.doc, aliases: field.aliases.map(\.value),
            deprecated: field.deprecated)
    }

    private static func type(_ type: NamedType, sites: [FieldSite], file: String) throws(CheckedContractError) -> CheckedType {
        switch type.kind {
        case .enumeration(let symbols, let defaultSymbol):
            return CheckedType(
                name: type.name.value, kind: .enumeration(symbols: symbols.map(\.value), defaultSymbol: defaultSymbol?.value),
                doc: type.doc)
        case .record:
            let fields = try sites.map { site throws(CheckedContractError) in try field(site, file: file) }
            return CheckedType(name: type.name.value, kind: .record(fields: fields), doc: type.doc)
        }
    }
}

extension CheckedContract {
    /// `contract` in checked form without running the checks: for tools and tests that must see
    /// what later stages do with a contract the checks would refuse (the generator still checks
    /// every name it emits). Throws when something the checks require is missing.
    public static func unchecked(_ contract: Contract) throws(CheckedContractError) -> CheckedContract {
        try CheckedContract(LintContext(contract))
    }
}
