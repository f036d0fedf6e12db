import EventCore

/// One event contract: a YAML file under `Contracts/`, decoded. Values a file must carry but did
/// not are nil here (the parser has reported them); everything with a default holds it.
public struct Contract: Hashable, Sendable {
    /// The path the contract was read from, as given to the tool.
    public var file: String
    /// Where the document starts: diagnostics about what is missing point here.
    public var location: SourceLocation

    /// `event:`, the event name.
    public var event: Located<String>?
    /// `namespace:`, or the folder the file is in.
    public var namespace: Located<String>
    /// `owner:`, the owning team.
    public var owner: Located<String>?
    /// `summary:`, one line.
    public var summary: Located<String>?
    /// `topic:`.
    public var topic: Located<String>?
    /// `partitions:`, or the default.
    public var partitions: Located<Int>
    /// `key:`, a field or `none`.
    public var key: Located<PartitionKey>?
    /// `compatibility:`, or the default.
    public var compatibility: Located<CompatibilityLevel>
    /// `retention:`, or the default.
    public var retention: Located<Retention>
    /// `encoding:` as written; nil when the contract leaves it to the default (JSON, unless
    /// `eventc-config.yaml` says otherwise).
    public var encoding: Located<EventEncoding>?
    /// `delivery:`, as written (the checker fills in what it leaves out).
    public var delivery: DeliveryBlock
    /// The services that publish this event (`producers:`); empty when none are declared.
    public var producers: [Located<String>] = []
    /// The services that read it (`consumers:`); empty when none are declared.
    public var consumers: [ConsumerDeclaration] = []
    /// Named types shared by every version.
    public var types: [NamedType]
    /// `versions:`, in the order written.
    public var versions: [ContractVersion]

    /// A contract as the parser read it.
    public init(
        file: String,
        location: SourceLocation,
        event: Located<String>? = nil,
        namespace: Located<String>,
        owner: Located<String>? = nil,
        summary: Located<String>? = nil,
        topic: Located<String>? = nil,
        partitions: Located<Int>,
        key: Located<PartitionKey>? = nil,
        compatibility: Located<CompatibilityLevel>,
        retention: Located<Retention>,
        delivery: DeliveryBlock,
        types: [NamedType] = [],
        versions: [ContractVersion] = []
    ) {
        self.file = file
        self.location = location
        self.event = event
        self.namespace = namespace
        self.owner = owner
        self.summary = summary
        self.topic = topic
        self.partitions = partitions
        self.key = key
        self.compatibility = compatibility
        self.retention = retention
        self.delivery = delivery
        self.types = types
        self.versions = versions
    }

    /// `partitions:` when not written.
    public static let defaultPartitions = 6
    /// `retention:` when not written: seven days.
    public static let defaultRetention = Retention.duration(TimeSpan(milliseconds: 7 * 86_400_000))

    /// The named types visible in `version`: the shared ones, shadowed by the version's own.
    public func typeScope(for version: ContractVersion) -> [String: NamedType] {
        var scope: [String: NamedType] = [:]
        for type in types { scope[type.name.value] = scope[type.name.value] ?? type }
        for type in version.types { scope[type.name.value] = type }
        return scope
    }

    /// The newest version, whose shape generated code exposes.
    public var latestVersion: ContractVersion? { versions.max { $0.number.value < $1.number.value } }
}

/// One entry of `consumers:`: a service that reads the event and, optionally, the fields it reads.
/// Declaring the fields lets `eventc breaking` say when a change touches nothing a consumer uses.
public struct ConsumerDeclaration: Hashable, Sendable {
    /// The service's name.
    public var service: Located<String>
    /// The top-level fields the service reads; nil when it did not say (it may read any).
    public var reads: [Located<String>]?

    /// A consumer, and the fields it reads when it says.
    public init(service: Located<String>, reads: [Located<String>]? = nil) {
        self.service = service
        self.reads = reads
    }
}

/// Which field orders the event stream, or `none` (records spread by the sticky partitioner).
public enum PartitionKey: Hashable, Sendable, CustomStringConvertible {
    /// The named field's value is the key: all events with the same value go to one partition, in order.
    case field(String)
    /// `key: none`: records carry no key and spread over the partitions, unordered.
    case none

    /// The field's name, or `none`.
    public var description: String {
        switch self {
        case .field(let name): name
        case .none: "none"
        }
    }
}

/// How long the log keeps an event.
public enum Retention: Hashable, Sendable, CustomStringConvertible {
    /// Events older than this are deleted.
    case duration(TimeSpan)
    /// Events are never deleted.
    case forever

    /// The duration, or `forever`.
    public var description: String {
        switch self {
        case .duration(let span): span.description
        case .forever: "forever"
        }
    }
}

/// One entry of `versions:`: the full field set of that version and its own named types.
public struct ContractVersion: Hashable, Sendable {
    /// `version:`, the number.
    public var number: Located<Int>
    /// Where the version's entry starts in the `versions:` sequence.
    public var location: SourceLocation
    /// Every field of the version, as written.
    public var fields: [Field]
    /// Types declared by this version alone; they shadow the shared ones.
    public var types: [NamedType]
    /// `breaking: { reason: … }`: the version breaks compatibility on purpose.
    public var breaking: BreakingDeclaration?

    /// A version as the parser read it.
    public init(
        number: Located<Int>, location: SourceLocation, fields: [Field] = [], types: [NamedType] = [],
        breaking: BreakingDeclaration? = nil
    ) {
        self.number = number
        self.location = location
        self.fields = fields
        self.types = types
        self.breaking = breaking
    }

    /// The field named `name`, nil when there is none.
    public func field(named name: String) -> Field? { fields.first { $0.name == name } }
}

/// A version's declaration that it breaks compatibility deliberately. Its compatibility errors
/// become warnings that stay in the report; without a reason the declaration is itself an error.
public struct BreakingDeclaration: Hashable, Sendable {
    /// Where `breaking:` is written.
    public var location: SourceLocation
    /// `reason:`, when written.
    public var reason: Located<String>?

    /// A declaration at `location`.
    public init(location: SourceLocation, reason: Located<String>?) {
        self.location = location
        self.reason = reason
    }

    /// A declaration with a non-blank reason, the only kind that downgrades errors.
    public var isJustified: Bool { reason.map { !$0.value.allSatisfy(\.isWhitespace) } ?? false }
}

/// A field of an event version or of a record type.
public struct Field: Hashable, Sendable {
    /// The field's name.
    public var name: String
    /// Where the field's name is written.
    public var location: SourceLocation
    /// nil when the type expression could not be read (already reported).
    public var type: TypeExpression?
    /// Where the type expression is written.
    public var typeLocation: SourceLocation
    /// The default as written; its meaning depends on `type` (see the checker's default resolver).
    public var defaultValue: ValueNode?
    /// `doc:`, when written.
    public var doc: String?
    /// `aliases:`: earlier names a reader matches the field by.
    public var aliases: [Located<String>]
    /// `deprecated: true`.
    public var deprecated: Bool
    /// The data rules written on the field (`min: 0`, `pattern: …`), in file order, values as
    /// written: their meaning depends on `type` (see the checker's data-rule resolver).
    public var rules: [WrittenRule]
    /// `tags:`: `pii`, `secret`, and a team's own.
    public var tags: [Located<String>]

    /// A field as the parser read it.
    public init(
        name: String,
        location: SourceLocation,
        type: TypeExpression?,
        typeLocation: SourceLocation,
        defaultValue: ValueNode? = nil,
        doc: String? = nil,
        aliases: [Located<String>] = [],
        deprecated: Bool = false,
        rules: [WrittenRule] = [],
        tags: [Located<String>] = []
    ) {
        self.rules = rules
        self.tags = tags
        self.name = name
        self.location = location
        self.type = type
        self.typeLocation = typeLocation
        self.defaultValue = defaultValue
        self.doc = doc
        self.aliases = aliases
        self.deprecated = deprecated
    }

    /// An optional field reads as null when absent, so it always has a default.
    public var hasDefault: Bool { defaultValue != nil || (type?.isOptional ?? false) }
}

/// A record or an enum declared under `types:`.
public struct NamedType: Hashable, Sendable {
    /// A record or an enum.
    public enum Kind: Hashable, Sendable {
        /// `kind: record`: its fields, in declaration order.
        case record(fields: [Field])
        /// `kind: enum`: its symbols and the symbol a reader uses for one it does not know.
        case enumeration(symbols: [Located<String>], defaultSymbol: Located<String>?)
    }

    /// The type's name, where written.
    public var name: Located<String>
    /// What it is.
    public var kind: Kind
    /// `doc:`, when written.
    public var doc: String?

    /// A named type as the parser read it.
    public init(name: Located<String>, kind: Kind, doc: String? = nil) {
        self.name = name
        self.kind = kind
        self.doc = doc
    }

    /// A record's fields; empty for an enum.
    public var fields: [Field] {
        if case .record(let fields) = kind { return fields }
        return []
    }
}
