/// How an event's record value is encoded: the contract's `encoding`, and the `content-type` a
/// record says it with (the CloudEvents Kafka binding's binary mode).
public enum EventEncoding: String, Sendable, Hashable, CaseIterable {
    /// The contract's canonical JSON: `application/json`.
    case json
    /// Avro binary in Confluent's frame (magic byte 0, the schema id, the body): `application/avro`.
    case avro

    /// The record's `content-type`.
    public var contentType: String {
        switch self {
        case .json: "application/json"
        case .avro: "application/avro"
        }
    }

    /// The encoding a `content-type` names (parameters such as `; charset=utf-8` are ignored);
    /// nil for one no codec reads.
    public init?(contentType: String) {
        let mediaType = contentType.split(separator: ";", maxSplits: 1).first.map { $0.trimmingSpaces.lowercased() } ?? ""
        switch mediaType {
        case "application/json", "application/cloudevents+json": self = .json
        case "application/avro", "avro/binary", "application/vnd.apache.avro+binary": self = .avro
        default: return nil
        }
    }
}

extension Substring {
    var trimmingSpaces: Substring {
        var text = self
        while text.first == " " { text = text.dropFirst() }
        while text.last == " " { text = text.dropLast() }
        return text
    }
}

/// Confluent's wire format for Avro: magic byte 0, the schema id (big-endian, 4 bytes), then the
/// Avro binary body — what Java's `KafkaAvroSerializer` and confluent-kafka's `AvroSerializer`
/// write and their deserializers read.
public enum ConfluentFrame {
    /// The frame's first byte (no JSON starts with it).
    public static let magicByte: UInt8 = 0
    /// The magic byte and the 4-byte schema id.
    public static let headerSize = 5

    /// The schema id and where the body starts in `value`.
    public static func parse(_ value: UnsafeRawBufferPointer) throws(EventDecodingError) -> (id: Int32, body: UnsafeRawBufferPointer) {
        guard value.count >= headerSize else {
            throw EventDecodingError(.truncated, path: "", offset: value.count, "a Confluent frame needs 5 bytes: the magic byte 0 and a schema id")
        }
        guard value[0] == magicByte else {
            throw EventDecodingError(.invalidFormat, path: "", offset: 0, "the magic byte is \(value[0]), not 0: not Confluent's Avro wire format")
        }
        let id = Int32(bitPattern: UInt32(value[1]) << 24 | UInt32(value[2]) << 16 | UInt32(value[3]) << 8 | UInt32(value[4]))
        return (id, UnsafeRawBufferPointer(rebasing: value[headerSize...]))
    }

    /// Writes the header for `id` into `writer`, which should be empty.
    @inlinable
    static func writeHeader(_ id: Int32, into output: inout ByteOutput) {
        output.append(magicByte)
        let bits = UInt32(bitPattern: id)
        for shift in [24, 16, 8, 0] as [UInt32] { output.append(UInt8(truncatingIfNeeded: bits >> shift)) }
    }
}

extension EventContract {
    /// The record value this event is published as, in the contract's encoding: its JSON, or its
    /// Avro in Confluent's frame with the current version's id from `schemaIds`. One allocation.
    /// An event that breaks its contract's data rules (`validate()`) is refused first, with the
    /// violation in the error: no bytes of it exist to be sent.
    @inlinable
    public func recordValue(schemaIds: some SchemaIdResolver = .derived) throws(EventEncodingError) -> [UInt8] {
        do {
            try validate()
        } catch {
            throw EventEncodingError(violation: error)
        }
        switch Self.encoding {
        case .json:
            return try jsonBytes()
        case .avro:
            guard let schemas = Self.schemas else { throw EventEncodingError(path: "", Self.regenerate) }
            let id = try schemaIds.schemaId(ofVersion: Self.currentVersion, in: schemas)
            return try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 512) { (scratch) throws(EventEncodingError) -> [UInt8] in
                var writer = AvroWriter(scratch: scratch)
                ConfluentFrame.writeHeader(id, into: &writer.output)
                try Conformance.encode(self, to: &writer)
                return writer.bytes
            }
        }
    }

    /// Decodes a record value in the encoding its `content-type` names (nil: JSON, or Confluent's
    /// Avro when the value starts with its magic byte, which no JSON does). JSON is read as
    /// `version` says; Avro as the schema its frame's id names.
    public static func decode(
        recordValue value: [UInt8], contentType: String?, version: Int?, schemaIds: some SchemaIdResolver = .derived
    ) throws(EventDecodingError) -> Self {
        var encoding: EventEncoding? = nil
        if let contentType {
            guard let named = EventEncoding(contentType: contentType) else {
                throw EventDecodingError(.unknownContentType, path: "", offset: 0, "no codec reads content-type '\(contentType)'")
            }
            encoding = named
        }
        return try decode(recordValue: value, encoding: encoding, version: version, schemaIds: schemaIds)
    }

    /// Decodes a record value in `encoding` (nil: JSON, or Confluent's Avro when the value starts
    /// with its magic byte, which no JSON does). Inlinable, so the processor's call is specialised
    /// for the event type.
    @inlinable
    public static func decode(
        recordValue value: [UInt8], encoding: EventEncoding?, version: Int?, schemaIds: some SchemaIdResolver
    ) throws(EventDecodingError) -> Self {
        let encoding = encoding ?? (value.first == ConfluentFrame.magicByte ? .avro : .json)
        switch encoding {
        case .json:
            guard let version else {
                throw EventDecodingError(.unknownVersion, path: "", offset: 0, "the JSON record has no contract version header")
            }
            return try decode(json: value, version: version)
        case .avro:
            return try decode(confluentAvro: value, schemaIds: schemaIds)
        }
    }

    /// Decodes Avro in Confluent's frame, with the writer's schema its id names.
    @inlinable
    public static func decode(confluentAvro value: [UInt8], schemaIds: some SchemaIdResolver) throws(EventDecodingError) -> Self {
        guard let schemas else { throw EventDecodingError(.unknownSchema, path: "", offset: 0, regenerate) }
        return try value.withUnsafeBufferPointer { (buffer) throws(EventDecodingError) -> Self in
            let (id, body) = try ConfluentFrame.parse(UnsafeRawBufferPointer(buffer))
            let plan = try schemas.plan(for: try schemaIds.writerSchema(forId: id, reading: schemas))
            do throws(EventDecodingError) {
                return try decode(avro: body, plan: plan)
            } catch {
                throw error.shifted(by: ConfluentFrame.headerSize)
            }
        }
    }
}
