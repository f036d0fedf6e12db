/// What every generated event type is: a plain `Sendable` value with its contract's metadata and
/// a reflection-free JSON codec that reads every published version.
public protocol EventContract: Sendable, Hashable {
    /// The event's name, also the CloudEvents `type`: "PaymentCompleted".
    static var eventType: String { get }
    static var namespace: String { get }
    static var topic: String { get }
    static var partitions: Int { get }
    /// The field whose value is the partition key; nil for `key: none`.
    static var keyField: String? { get }
    /// The newest version: what `encode` writes.
    static var currentVersion: Int { get }
    static var compatibility: CompatibilityLevel { get }
    static var delivery: DeliveryPolicy { get }

    /// The partition key of this event (nil for `key: none`: the sticky partitioner places it).
    var partitionKey: String? { get }

    /// Writes the fields of the current version as a JSON object.
    func encode(to writer: inout JSONWriter) throws(EventEncodingError)

    /// Reads a JSON object written by `version` and upcasts it to the current shape: defaults for
    /// added fields, aliases for renames, promotions. A version newer than this code knows is read
    /// with the current shape, unknown fields skipped (forward compatibility).
    static func decode(from reader: inout JSONReader, version: Int) throws(EventDecodingError) -> Self
}

extension EventContract {
    /// The record value: the JSON of the fields. Inlinable, so callers get it specialised for
    /// their event type instead of a generic body copying the event through value witnesses.
    @inlinable
    public func jsonBytes() throws(EventEncodingError) -> [UInt8] {
        var writer = JSONWriter()
        try encode(to: &writer)
        return writer.bytes
    }

    /// Decodes a whole record value, refusing trailing bytes (inlinable, as `jsonBytes`).
    @inlinable
    public static func decode(json: [UInt8], version: Int) throws(EventDecodingError) -> Self {
        guard version >= 1 else {
            throw EventDecodingError(.unknownVersion, path: "", offset: 0, "version \(version) is not a contract version")
        }
        return try JSONReader.withReader(json) { (reader) throws(EventDecodingError) -> Self in
            let event = try decode(from: &reader, version: version)
            try reader.end()
            return event
        }
    }
}

/// The contract's compatibility mode, as generated code states it.
public enum CompatibilityLevel: String, Sendable, Hashable, CaseIterable {
    case none = "NONE"
    case backward = "BACKWARD"
    case backwardTransitive = "BACKWARD_TRANSITIVE"
    case forward = "FORWARD"
    case forwardTransitive = "FORWARD_TRANSITIVE"
    case full = "FULL"
    case fullTransitive = "FULL_TRANSITIVE"
}

/// The contract's `delivery:` block, for the producer and the processor.
public struct DeliveryPolicy: Sendable, Hashable {
    public enum Acks: String, Sendable, Hashable { case none, leader, all }
    public enum Idempotency: String, Sendable, Hashable {
        case none, inbox
        case naturalKey = "natural-key"
        case stateMachine = "state-machine"
    }
    public enum Backoff: String, Sendable, Hashable { case fixed, exponential }
    public enum DeadLetterReason: String, Sendable, Hashable {
        case deserialization
        case contractViolation = "contract-violation"
        case exhausted
    }

    public var acks: Acks
    public var idempotency: Idempotency
    public var retryAttempts: Int
    public var backoff: Backoff
    public var initialBackoffMilliseconds: Int64
    public var backoffMultiplier: Double
    public var maxBackoffMilliseconds: Int64
    public var deadLetterTopic: String
    public var deadLetterOn: Set<DeadLetterReason>

    public init(
        acks: Acks, idempotency: Idempotency, retryAttempts: Int, backoff: Backoff, initialBackoffMilliseconds: Int64,
        backoffMultiplier: Double, maxBackoffMilliseconds: Int64, deadLetterTopic: String, deadLetterOn: Set<DeadLetterReason>
    ) {
        self.acks = acks
        self.idempotency = idempotency
        self.retryAttempts = retryAttempts
        self.backoff = backoff
        self.initialBackoffMilliseconds = initialBackoffMilliseconds
        self.backoffMultiplier = backoffMultiplier
        self.maxBackoffMilliseconds = maxBackoffMilliseconds
        self.deadLetterTopic = deadLetterTopic
        self.deadLetterOn = deadLetterOn
    }
}

/// One entry of the generated catalog: what the runtime needs to create topics and DLQs and to
/// check subscriptions, without knowing the event types statically.
public struct ContractDescriptor: Sendable, Hashable {
    public var eventType: String
    public var namespace: String
    public var topic: String
    public var partitions: Int
    public var keyField: String?
    public var currentVersion: Int
    public var deadLetterTopic: String

    public init(_ contract: (some EventContract).Type) {
        eventType = contract.eventType
        namespace = contract.namespace
        topic = contract.topic
        partitions = contract.partitions
        keyField = contract.keyField
        currentVersion = contract.currentVersion
        deadLetterTopic = contract.delivery.deadLetterTopic
    }
}

/// Generated code names the runtime API version it was written for; a runtime without that
/// protocol fails to compile it, rather than misbehaving at run time (swift-protobuf's approach).
public protocol EventRuntimeAPIVersion_1 {}
/// Version 2 adds `TimeOrderedUUID` (the generated `publish` gives events time-ordered ids). It
/// refines version 1, so code generated for version 1 still compiles against this runtime.
public protocol EventRuntimeAPIVersion_2: EventRuntimeAPIVersion_1 {}

public protocol EventRuntimeAPIVersionCheck {
    associatedtype Version: EventRuntimeAPIVersion_1
}

/// What a state-machine guard (contracts with `idempotency: state-machine`) says about an event
/// given the entity's current state.
public enum StateTransition: Sendable, Hashable {
    /// The event moves the state forward: handle it.
    case apply
    /// The state already reflects it (a redelivery): skip it, and count it as a duplicate.
    case alreadyApplied
    /// It arrived before the state it needs (out of order): set it aside to retry later.
    case park
}
