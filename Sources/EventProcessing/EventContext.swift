import EventTransport

/// What a handler knows about the event it is handling, besides the event itself.
///
/// The processor makes one per event and most handlers read little of it, so what costs to
/// make — the id and the key as Strings, the parsed time — stays the record's bytes until read:
/// each read of `eventId`, `key` or `occurredAt` decodes them (a String of a UUID is an
/// allocation, and making it for every event was a good part of the processor's time).
public struct EventContext: Sendable {
    /// The event's id (`ce_id`), what the inbox records.
    public var eventId: String {
        get {
            switch id {
            case .value(let id): id
            case .header(let position): String(decoding: headers[position].value, as: UTF8.self)
            }
        }
        set { id = .value(newValue) }
    }
    /// The event's type (`ce_type`), such as `payments.PaymentCompleted`.
    public var eventType: String
    /// The version the event was written with (it has been upcast to the current one).
    public var version: Int
    /// When the event happened (`ce_time`), as the producer said; nil when the record has no time.
    public var occurredAt: Timestamp? {
        get {
            switch time {
            case .value(let time): time
            case .header(let position): Timestamp(rfc3339: headers[position].value)
            }
        }
        set { time = .value(newValue) }
    }
    /// The record's key as text: the contract's key field's value; nil for a keyless record.
    public var key: String? {
        get {
            switch keySource {
            case .text(let key): key
            case .utf8(let bytes): String(decoding: bytes, as: UTF8.self)
            }
        }
        set { keySource = .text(newValue) }
    }
    /// The topic the record was read from.
    public var topic: String
    /// The partition it was read from.
    public var partition: Int
    /// Its offset there.
    public var offset: Int64
    /// 1 for the first delivery; more on retries.
    public var attempt: Int
    /// The record's headers, the CloudEvents attributes among them.
    public var headers: [RecordHeader] {
        // The id and time may be positions in these headers: read them before they change.
        willSet {
            if case .header = id { id = .value(eventId) }
            if case .header = time { time = .value(occurredAt) }
        }
    }

    private var id: Attribute<String>
    private var time: Attribute<Timestamp?>
    private var keySource: Key

    /// An attribute as a value, or where its UTF-8 text is in `headers`, still to decode.
    private enum Attribute<Value: Sendable>: Sendable {
        case value(Value)
        case header(Int)
    }

    /// The key as a String, or as the record's bytes, still to decode.
    private enum Key: Sendable {
        case text(String?)
        case utf8([UInt8])
    }

    /// A context with every attribute given: for handlers' tests.
    public init(
        eventId: String, eventType: String, version: Int, occurredAt: Timestamp?, key: String?, topic: String,
        partition: Int, offset: Int64, attempt: Int, headers: [RecordHeader]
    ) {
        self.init(
            id: .value(eventId), time: .value(occurredAt), key: .text(key), eventType: eventType, version: version, topic: topic,
            partition: partition, offset: offset, attempt: attempt, headers: headers)
    }

    /// A context that reads its id (when the record has one, else `fallbackId`) and time from
    /// `headers` at these positions, and decodes its key from `keyBytes`, when asked.
    init(
        eventIdHeader: Int?, fallbackId: @autoclosure () -> String, eventType: String, version: Int, occurredAtHeader: Int?,
        keyBytes: [UInt8]?, topic: String, partition: Int, offset: Int64, attempt: Int, headers: [RecordHeader]
    ) {
        self.init(
            id: eventIdHeader.map { .header($0) } ?? .value(fallbackId()), time: occurredAtHeader.map { .header($0) } ?? .value(nil),
            key: keyBytes.map { .utf8($0) } ?? .text(nil), eventType: eventType, version: version, topic: topic, partition: partition,
            offset: offset, attempt: attempt, headers: headers)
    }

    private init(
        id: Attribute<String>, time: Attribute<Timestamp?>, key: Key, eventType: String, version: Int, topic: String, partition: Int,
        offset: Int64, attempt: Int, headers: [RecordHeader]
    ) {
        self.id = id
        self.time = time
        keySource = key
        self.eventType = eventType
        self.version = version
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.attempt = attempt
        self.headers = headers
    }
}
