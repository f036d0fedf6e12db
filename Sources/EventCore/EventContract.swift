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
    ///
    /// One allocation, the array returned: the JSON is written into a stack buffer first (a heap
    /// buffer only for events past 512 bytes), then copied into an array of its exact size.
    @inlinable
    public func jsonBytes() throws(EventEncodingError) -> [UInt8] {
        try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 512) { (scratch) throws(EventEncodingError) -> [UInt8] in
            var writer = JSONWriter(scratch: scratch)
            try encode(to: &writer)
            return writer.bytes
        }
    }

    /// Writes the event's JSON into `writer` in place of what it held. The writer keeps its buffer,
    /// so one kept for the next event encodes without allocating; read the JSON with
    /// `writer.withUnsafeBytes`.
    @inlinable
    public func encode(reusing writer: inout JSONWriter) throws(EventEncodingError) {
        writer.removeAll()
        try encode(to: &writer)
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
