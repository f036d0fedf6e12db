/// What every generated event type is: a plain `Sendable` value with its contract's metadata, and
/// codecs that read every published version — JSON, and Avro binary in Confluent's frame.
///
/// Code generated for runtime API version 4 is format-neutral (`EventRecord`): the codec
/// requirements below have default implementations that drive its `traverse` and `init(from:)`,
/// specialised for each event where it conforms. Code generated for versions 1 to 3 implements
/// the JSON requirements itself and has no Avro.
public protocol EventContract: Sendable, Hashable {
    /// The event's name, also the CloudEvents `type`: "PaymentCompleted".
    static var eventType: String { get }
    /// The contract's namespace: its folder, unless it names one.
    static var namespace: String { get }
    /// The topic the event is published to.
    static var topic: String { get }
    /// How many partitions the topic has.
    static var partitions: Int { get }
    /// The field whose value is the partition key; nil for `key: none`.
    static var keyField: String? { get }
    /// The newest version: what `encode` writes.
    static var currentVersion: Int { get }
    /// The contract's compatibility mode.
    static var compatibility: CompatibilityLevel { get }
    /// Acknowledgements, idempotency, retries and dead letters, as the contract says.
    static var delivery: DeliveryPolicy { get }
    /// How the event is published (the contract's `encoding`; JSON for code generated before
    /// runtime API version 4).
    static var encoding: EventEncoding { get }
    /// Every version's Avro schema (`eventc export avro`), and the read plans built from them; nil
    /// for code generated before runtime API version 4.
    static var schemas: EventSchemaSet? { get }

    /// The partition key of this event (nil for `key: none`: the sticky partitioner places it).
    var partitionKey: String? { get }

    /// Writes the fields of the current version as a JSON object.
    func encode(to writer: inout JSONWriter) throws(EventEncodingError)

    /// Reads a JSON object written by `version` and upcasts it to the current shape: defaults for
    /// added fields, aliases for renames, promotions. A version newer than this code knows is read
    /// with the current shape, unknown fields skipped (forward compatibility).
    static func decode(from reader: inout JSONReader, version: Int) throws(EventDecodingError) -> Self

    /// Writes the fields of the current version in Avro's binary encoding (no frame).
    func encode(to writer: inout AvroWriter) throws(EventEncodingError)

    /// Reads Avro binary data as the reader's plan says (`AvroReader.withReader(_:plan:_:)`).
    static func decode(from reader: inout AvroReader) throws(EventDecodingError) -> Self

    /// Checks the contract's data rules (`min`, `pattern`, `minItems`…), nested records'
    /// included: the publisher and the outboxes run it before encoding, the processor after
    /// decoding. Generated code implements it where the contract has rules; elsewhere it
    /// accepts every value.
    func validate() throws(EventRuleViolation)
}

extension EventContract {
    /// No rules: every value passes.
    @inlinable
    public func validate() throws(EventRuleViolation) {}

    /// JSON, unless the contract says otherwise.
    public static var encoding: EventEncoding { .json }
    /// None: code generated before runtime API version 4 carries no schemas.
    public static var schemas: EventSchemaSet? { nil }

    /// Code generated before runtime API version 4 has no Avro codec.
    public func encode(to writer: inout AvroWriter) throws(EventEncodingError) {
        throw EventEncodingError(path: "", Self.regenerate)
    }

    /// Code generated before runtime API version 4 has no Avro codec.
    public static func decode(from reader: inout AvroReader) throws(EventDecodingError) -> Self {
        throw EventDecodingError(.unknownSchema, path: "", offset: 0, regenerate)
    }

    @usableFromInline
    static var regenerate: String {
        "\(eventType) was generated for an older runtime API, which has no Avro codec: regenerate it with this eventc"
    }
}

extension EventContract where Self: EventRecord {
    /// The event's JSON object, through its `traverse`.
    @inlinable
    public func encode(to writer: inout JSONWriter) throws(EventEncodingError) {
        try writer.record(self)
    }

    /// The event written by `version`, read through the plan that upcasts it to the current shape.
    @inlinable
    public static func decode(from reader: inout JSONReader, version: Int) throws(EventDecodingError) -> Self {
        // The plans live as long as the schemas, a generated type's static: their roots are taken
        // out in a statement of their own, so the set is not kept (retained and released) around
        // the decode.
        let roots = Self.schemas?.roots
        if let roots, version >= 1, version <= roots.count {
            reader.node = roots[version &- 1]
        } else {
            reader.node = try planRoot(forVersion: version)
        }
        return try Self(from: &reader)
    }

    /// The root of the plan for `version` when it is not one of the contract's versions (a newer
    /// one), or why there is none.
    @usableFromInline
    static func planRoot(forVersion version: Int) throws(EventDecodingError) -> UnsafePointer<ReadNode> {
        guard let schemas = Self.schemas else { throw EventDecodingError(.unknownSchema, path: "", offset: 0, "\(eventType) has no schemas") }
        return try schemas.root(forVersion: version)
    }

    /// The event's Avro record, through its `traverse`, unspecialised: the Avro codec of an event
    /// whose contract says `encoding: json` is compiled once, here, and drives the generated field
    /// coding through its generic entry points.
    ///
    /// Why: a specialised codec is compiled in the generated module for every event, and most
    /// events never meet Avro. Specialising both formats for every event made a contracts
    /// library of 200 events take 28% longer to build in release (`Benchmarks/build-scale`); the
    /// generated code of an `encoding: avro` contract implements these two requirements itself,
    /// with the specialised bodies, so its Avro stays as fast as its JSON. Never specialised in a
    /// caller's module (`Conformance` says why).
    @_semantics("optimize.no.crossmodule")
    public func encode(to writer: inout AvroWriter) throws(EventEncodingError) {
        try writer.record(self)
    }

    /// The event, read through the plan the reader was given (`AvroReader.withReader(_:plan:_:)`);
    /// unspecialised, as `encode(to:)` above.
    @_semantics("optimize.no.crossmodule")
    public static func decode(from reader: inout AvroReader) throws(EventDecodingError) -> Self {
        try Self(from: &reader)
    }
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
            try Conformance.encode(self, to: &writer)
            return writer.bytes
        }
    }

    /// Writes the event's JSON into `writer` in place of what it held. The writer keeps its buffer,
    /// so one kept for the next event encodes without allocating; read the JSON with
    /// `writer.withUnsafeBytes`.
    @inlinable
    public func encode(reusing writer: inout JSONWriter) throws(EventEncodingError) {
        writer.removeAll()
        try Conformance.encode(self, to: &writer)
    }

    /// Decodes a whole record value, refusing trailing bytes (inlinable, as `jsonBytes`).
    @inlinable
    public static func decode(json: [UInt8], version: Int) throws(EventDecodingError) -> Self {
        guard version >= 1 else {
            throw EventDecodingError(.unknownVersion, path: "", offset: 0, "version \(version) is not a contract version")
        }
        return try JSONReader.withReader(json) { (reader) throws(EventDecodingError) -> Self in
            let event = try Conformance.decode(Self.self, from: &reader, version: version)
            try reader.end()
            return event
        }
    }

    /// The Avro binary encoding of the event (no frame): one allocation, as `jsonBytes`.
    @inlinable
    public func avroBytes() throws(EventEncodingError) -> [UInt8] {
        try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 512) { (scratch) throws(EventEncodingError) -> [UInt8] in
            var writer = AvroWriter(scratch: scratch)
            try Conformance.encode(self, to: &writer)
            return writer.bytes
        }
    }

    /// Writes the event's Avro into `writer` in place of what it held (see `encode(reusing:)`).
    @inlinable
    public func encode(reusing writer: inout AvroWriter) throws(EventEncodingError) {
        writer.removeAll()
        try Conformance.encode(self, to: &writer)
    }

    /// Decodes Avro binary data (no frame) written with `plan`'s writer schema, refusing
    /// trailing bytes.
    @inlinable
    public static func decode(avro bytes: UnsafeRawBufferPointer, plan: ReadPlan) throws(EventDecodingError) -> Self {
        try AvroReader.withReader(bytes, plan: plan) { (reader) throws(EventDecodingError) -> Self in
            let event = try Conformance.decode(Self.self, from: &reader)
            try reader.end()
            return event
        }
    }

    /// Decodes Avro binary data (no frame) written with version `version` of the contract.
    @inlinable
    public static func decode(avro bytes: [UInt8], version: Int) throws(EventDecodingError) -> Self {
        guard let schemas else { throw EventDecodingError(.unknownSchema, path: "", offset: 0, regenerate) }
        let plan = try schemas.plan(forVersion: version)
        return try bytes.withUnsafeBufferPointer { (buffer) throws(EventDecodingError) -> Self in
            try decode(avro: UnsafeRawBufferPointer(buffer), plan: plan)
        }
    }
}

/// Calls an event's codec through its conformance, never through the runtime's default
/// implementation specialised where the call is made.
///
/// Why: generated field coding (`init(from:)`, `traverse`) is specialised for each format in the
/// generated module, behind the conformance's witnesses. The convenience API above is inlinable; a
/// call it makes on a concrete event type from another module (a service's, a benchmark's) would
/// bind to the default implementation statically, specialise it there, and run the generic field
/// coding unspecialised, each field through a witness table: decoding PaymentCompleted took 1.4
/// times as long, encoding 2.5 times. One call through the witness table costs a few instructions.
/// Never specialised (cross-module optimisation would otherwise specialise these in the caller's
/// module, and the call would bind statically again).
@usableFromInline
enum Conformance {
    @usableFromInline @inline(never) @_semantics("optimize.no.crossmodule")
    static func encode<Event: EventContract>(_ event: Event, to writer: inout JSONWriter) throws(EventEncodingError) {
        try event.encode(to: &writer)
    }

    @usableFromInline @inline(never) @_semantics("optimize.no.crossmodule")
    static func decode<Event: EventContract>(_ type: Event.Type, from reader: inout JSONReader, version: Int) throws(EventDecodingError) -> Event {
        try Event.decode(from: &reader, version: version)
    }

    @usableFromInline @inline(never) @_semantics("optimize.no.crossmodule")
    static func encode<Event: EventContract>(_ event: Event, to writer: inout AvroWriter) throws(EventEncodingError) {
        try event.encode(to: &writer)
    }

    @usableFromInline @inline(never) @_semantics("optimize.no.crossmodule")
    static func decode<Event: EventContract>(_ type: Event.Type, from reader: inout AvroReader) throws(EventDecodingError) -> Event {
        try Event.decode(from: &reader)
    }
}

/// One entry of the generated catalog: what the runtime needs to create topics and DLQs and to
/// check subscriptions, without knowing the event types statically.
public struct ContractDescriptor: Sendable, Hashable {
    /// The contract's event name (`ce_type`).
    public var eventType: String
    /// The contract's namespace.
    public var namespace: String
    /// The topic it is published to.
    public var topic: String
    /// How many partitions the topic has.
    public var partitions: Int
    /// The field whose value is the record key, nil when unkeyed.
    public var keyField: String?
    /// The newest version.
    public var currentVersion: Int
    /// Where records that fail are dead-lettered.
    public var deadLetterTopic: String
    /// How the event is published.
    public var encoding: EventEncoding

    /// The descriptor of a generated event type.
    public init(_ contract: (some EventContract).Type) {
        eventType = contract.eventType
        namespace = contract.namespace
        topic = contract.topic
        partitions = contract.partitions
        keyField = contract.keyField
        currentVersion = contract.currentVersion
        deadLetterTopic = contract.delivery.deadLetterTopic
        encoding = contract.encoding
    }
}
