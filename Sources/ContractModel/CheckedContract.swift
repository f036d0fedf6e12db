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
    /// The contract as written, kept to compare its versions on demand (ContractChecker's
    /// `changes`).
    package let source: Contract

    /// Every value, resolved: what ContractChecker builds from a contract that passed the checks.
    package init(
        file: String, event: String, namespace: String, owner: String, summary: String?, topic: String, partitions: Int,
        keyField: String?, compatibility: CompatibilityLevel, retention: Retention, encoding: EventEncoding, declaresEncoding: Bool,
        delivery: DeliveryPolicy, versions: [CheckedVersion], producers: [String], consumers: [CheckedConsumer], source: Contract
    ) {
        self.file = file
        self.event = event
        self.namespace = namespace
        self.owner = owner
        self.summary = summary
        self.topic = topic
        self.partitions = partitions
        self.keyField = keyField
        self.compatibility = compatibility
        self.retention = retention
        self.encoding = encoding
        self.declaresEncoding = declaresEncoding
        self.delivery = delivery
        self.versions = versions
        self.producers = producers
        self.consumers = consumers
        self.source = source
    }

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

    package init(number: Int, fields: [CheckedField], types: [CheckedType], breakingReason: String?) {
        self.number = number
        self.fields = fields
        self.types = types
        self.breakingReason = breakingReason
    }

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

    package init(service: String, reads: [String]?) {
        self.service = service
        self.reads = reads
    }

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

    package init(
        from: Int, to: Int, addedFields: [String], removedFields: [String], changedFields: [String], changedTypes: [String],
        backwardProblems: [String], forwardProblems: [String]
    ) {
        self.from = from
        self.to = to
        self.addedFields = addedFields
        self.removedFields = removedFields
        self.changedFields = changedFields
        self.changedTypes = changedTypes
        self.backwardProblems = backwardProblems
        self.forwardProblems = forwardProblems
    }

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
    /// Its data rules, resolved against its type.
    public let rules: CheckedRules
    /// Its tags (`pii`, `secret`, a team's own), as written.
    public let tags: [String]

    package init(
        name: String, type: TypeExpression, defaultValue: Literal?, doc: String?, aliases: [String], deprecated: Bool,
        rules: CheckedRules = CheckedRules(), tags: [String] = []
    ) {
        self.rules = rules
        self.tags = tags
        self.name = name
        self.type = type
        self.defaultValue = defaultValue
        self.doc = doc
        self.aliases = aliases
        self.deprecated = deprecated
    }

    /// Whether a value of the field is personal or secret (tagged `pii` or `secret`): tools mask
    /// it unless asked to show it.
    public var isSensitive: Bool { tags.contains { SensitivityTag.masked.contains($0) } }

    /// What a reader uses when the writer did not write the field: the default, null for an
    /// optional field; nil when the field is required.
    public var fallback: Literal? { defaultValue ?? (type.isOptional ? .null : nil) }
}

/// A record or an enum declared under `types:`.
public struct CheckedType: Sendable, Hashable {
    /// A record or an enum.
    public enum Kind: Sendable, Hashable {
        /// A record's fields, in declaration order.
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

    package init(name: String, kind: Kind, doc: String?) {
        self.name = name
        self.kind = kind
        self.doc = doc
    }

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

    package init(file: String, missing: String) {
        self.file = file
        self.missing = missing
    }

    /// What went wrong, and to report it.
    public var description: String {
        "\(file): internal error: '\(missing)' is missing although the contract passed the checks; please report this"
    }
}
