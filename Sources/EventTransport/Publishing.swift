import EventCore
import Foundation

/// The CloudEvents Kafka binding's headers, plus the contract version.
public enum CloudEventHeader {
    /// The event id, unique per event (`ce_id`).
    public static let id = "ce_id"
    /// The event name (`ce_type`): which contract the record is.
    public static let type = "ce_type"
    /// Who published it (`ce_source`).
    public static let source = "ce_source"
    /// When it happened, RFC 3339 (`ce_time`).
    public static let time = "ce_time"
    /// The CloudEvents version (`ce_specversion`).
    public static let specVersion = "ce_specversion"
    /// The contract version that wrote the value (`ce_contractversion`).
    public static let contractVersion = "ce_contractversion"
    /// The value's media type (the binding's binary mode): `application/json` or `application/avro`.
    public static let contentType = "content-type"
    /// The CloudEvents version written: 1.0.
    public static let specVersionValue = "1.0"
    /// JSON's media type.
    public static let jsonContentType = EventEncoding.json.contentType
}

/// One Kafka record header: a name and raw bytes.
public struct RecordHeader: Sendable, Hashable {
    /// The header's name.
    public var name: String
    /// The header's value, as bytes.
    public var value: [UInt8]

    /// A header whose value is `value`'s UTF-8.
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = Array(value.utf8)
    }

    /// A header with raw bytes.
    public init(_ name: String, bytes: [UInt8]) {
        self.name = name
        self.value = bytes
    }
}

/// Reading headers by name.
extension [RecordHeader] {
    /// The first header with this name, as UTF-8 text.
    public func value(of name: String) -> String? {
        first { $0.name == name }.map { String(decoding: $0.value, as: UTF8.self) }
    }
}

/// A record on its way to a topic: what a transport (the in-process broker, Kafka) sends.
public struct OutgoingRecord: Sendable, Hashable {
    /// One of the record's headers.
    public typealias Header = RecordHeader

    /// The topic it goes to.
    public var topic: String
    /// The partition key's UTF-8 bytes; nil for `key: none`.
    public var key: [UInt8]?
    /// The value: the event in its contract's encoding.
    public var value: [UInt8]
    /// The CloudEvents headers and any others.
    public var headers: [Header]
    /// A partition chosen by the caller; nil lets the partitioner choose (murmur2 of the key, or sticky).
    public var partition: Int?
    /// Milliseconds since 1970 (Kafka's create time); nil stamps the time of sending.
    public var timestamp: Int64?

    /// A record for `topic`.
    public init(
        topic: String, key: [UInt8]?, value: [UInt8], headers: [Header] = [], partition: Int? = nil,
        timestamp: Int64? = nil
    ) {
        self.topic = topic
        self.key = key
        self.value = value
        self.headers = headers
        self.partition = partition
        self.timestamp = timestamp
    }

    /// The first header named `name`, as UTF-8 text.
    public func header(_ name: String) -> String? {
        headers.value(of: name)
    }
}

/// Where published records go. The broker and the Kafka transport implement it.
public protocol EventSink: Sendable {
    /// Sends `record`; returns once the sink's acknowledgement policy is met.
    func send(_ record: OutgoingRecord) async throws
}

/// Publishes typed events: picks the key from the contract, encodes the value in the contract's
/// encoding (JSON, or Avro in Confluent's frame), sets the CloudEvents headers (binary mode: the
/// `content-type` says the encoding). Inlinable, so a call is specialised for its event type where
/// it is made.
public struct EventPublisher: Sendable {
    /// Where records go: the in-process broker, a Kafka producer.
    public var sink: any EventSink
    /// The CloudEvents `source`: which service publishes, e.g. "/shop/payments".
    public var source: String

    /// Traces each publish (a producer span, its context in the record's headers); by default
    /// the bootstrapped tracer's, disabled when none is.
    public var tracing: EventTracing

    /// The ids Avro records are framed with: derived from the schemas unless a table or a
    /// registry gives them (consumers must resolve the same ids).
    public var schemaIds: any SchemaIdResolver

    /// A publisher to `sink` as `source`.
    public init(sink: any EventSink, source: String, tracing: EventTracing = .system, schemaIds: any SchemaIdResolver = .derived) {
        self.sink = sink
        self.source = source
        self.tracing = tracing
        self.schemaIds = schemaIds
    }

    /// The record an event is published as.
    @inlinable
    public func record<Event: EventContract>(
        for event: Event, id: UUID = TimeOrderedUUID.next(), time: Timestamp = .now
    ) throws(EventEncodingError) -> OutgoingRecord {
        try Self.record(for: event, source: source, schemaIds: schemaIds, id: id, time: time)
    }

    /// The record an event is published as from `source` (what the outbox stores).
    @inlinable
    public static func record<Event: EventContract>(
        for event: Event, source: String, schemaIds: any SchemaIdResolver = .derived, id: UUID = TimeOrderedUUID.next(),
        time: Timestamp = .now
    ) throws(EventEncodingError) -> OutgoingRecord {
        OutgoingRecord(
            topic: Event.topic,
            key: event.partitionKey.map { Array($0.utf8) },
            value: try event.recordValue(schemaIds: schemaIds),
            headers: [
                .init(CloudEventHeader.id, String(decoding: UUIDText.bytes(id), as: UTF8.self)),
                .init(CloudEventHeader.type, Event.eventType),
                .init(CloudEventHeader.source, source),
                .init(CloudEventHeader.time, time.description),
                .init(CloudEventHeader.specVersion, CloudEventHeader.specVersionValue),
                .init(CloudEventHeader.contractVersion, String(Event.currentVersion)),
                .init(CloudEventHeader.contentType, Event.encoding.contentType),
            ])
    }

    /// Publishes `event`: its record (`record(for:id:time:)`) sent through the sink, inside a
    /// producer span when a tracer is bootstrapped.
    @inlinable
    public func publish<Event: EventContract>(_ event: Event, id: UUID = TimeOrderedUUID.next(), time: Timestamp = .now) async throws {
        let record = try record(for: event, id: id, time: time)
        guard tracing.tracer != nil else { return try await sink.send(record) }
        try await tracing.send(record) { try await sink.send($0) }
    }
}
