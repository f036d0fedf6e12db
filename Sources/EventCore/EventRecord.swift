import Foundation

/// What generated code says a record is — an event, or a record under `types:` — without saying
/// how it is written: its fields in order, read and written through the runtime's formats (JSON,
/// Avro binary). A format is an `EventEncoder` and an `EventDecoder`; adding one touches the
/// runtime only, as in swift-protobuf, whose generated `traverse(visitor:)` and
/// `decodeMessage(decoder:)` this follows.
///
/// The members are for generated code: applications use the event's properties and its
/// `EventContract` API.
public protocol EventRecord: Sendable, Hashable {
    /// The field names of the newest shape, in order: the field numbers `traverse` and
    /// `init(from:)` use are positions in it.
    static var _fields: EventNames { get }

    /// Reads the fields the decoder hands over, by their number in `_fields`; a field the data
    /// lacks takes its default, or is a `missingField` error when it has none.
    init<Decoder: EventDecoder & ~Copyable>(from decoder: inout Decoder) throws(EventDecodingError)

    /// Hands every field, in order, to the encoder.
    func traverse<Encoder: EventEncoder & ~Copyable>(_ encoder: inout Encoder) throws(EventEncodingError)
}

/// What generated code says an enum is: its symbols in order, and the one a reader takes for a
/// symbol it does not know.
///
/// For generated code and the runtime's formats: applications do not use it directly.
public protocol EventEnum: Sendable, Hashable, CaseIterable, RawRepresentable where RawValue == String {
    /// The symbols, in declaration order (Avro writes a symbol as its position here).
    static var _symbols: EventNames { get }
    /// The position of the enum's default symbol, nil when it has none.
    static var _defaultSymbol: Int? { get }
    /// The case at `index` in `_symbols`; the decoders pass only positions they found there.
    init(_symbolIndex index: Int)
    /// The case's position in `_symbols`.
    var _symbolIndex: Int { get }
}

/// A format's writer, as generated `traverse` drives it: `field(n)` before each field's value,
/// then the value. Structured values take a closure for their parts, so generated code states a
/// type like `array<map<string?>>` once, whatever the format.
///
/// For generated code and the runtime's formats: applications do not use it directly.
public protocol EventEncoder: ~Copyable {
    /// The next value is field `index` of the record being written (JSON writes its key here).
    mutating func field(_ index: Int)
    /// Writes a `bool`.
    mutating func bool(_ value: Bool)
    /// Writes an `int` (32 bits).
    mutating func int(_ value: Int32)
    /// Writes a `long` (64 bits).
    mutating func long(_ value: Int64)
    /// Non-finite values have no JSON representation: JSON refuses them.
    mutating func float(_ value: Float) throws(EventEncodingError)
    /// Writes a `double`; non-finite values have no JSON representation: JSON refuses them.
    mutating func double(_ value: Double) throws(EventEncodingError)
    /// Writes a `string`.
    mutating func string(_ value: String)
    /// Writes `bytes` (base64 in JSON).
    mutating func byteString(_ value: [UInt8])
    /// Avro's `decimal(38, 18)` refuses a value it cannot carry exactly.
    mutating func decimal(_ value: ExactDecimal) throws(EventEncodingError)
    /// Writes a `uuid` (its 36 characters).
    mutating func uuid(_ value: UUID)
    /// Avro's `timestamp-nanos` refuses an instant outside its 64-bit range (1677…2262).
    mutating func timestamp(_ value: Timestamp) throws(EventEncodingError)
    /// Writes a `date` (`YYYY-MM-DD` in JSON, days since 1970 in Avro).
    mutating func date(_ value: LocalDate)
    /// The symbol at `index` of `symbols` (schema-driven code; generated enums use `enumeration`).
    mutating func symbol(_ index: Int, of symbols: EventNames)
    /// Writes a generated enum's symbol.
    mutating func enumeration<Value: EventEnum>(_ value: Value)
    /// A nested record whose field names are `fields`, its fields written by `body`
    /// (schema-driven code; generated records use `record(_:)`).
    mutating func record(
        _ fields: EventNames, _ body: (inout Self) throws(EventEncodingError) -> Void
    ) throws(EventEncodingError)
    /// A generated record, through its `traverse`. A requirement, not an extension over
    /// `record(_:_:)`: formats implement it concretely, so specialised generated code calls them
    /// directly (through an extension, the call went through the witness table and the record's
    /// `traverse` ran unspecialised: encoding took twice as long).
    mutating func record<Value: EventRecord>(_ value: Value) throws(EventEncodingError)
    /// Writes `values` as an array, each element by `element`.
    mutating func array<Element>(
        _ values: [Element], _ element: (inout Self, Element) throws(EventEncodingError) -> Void
    ) throws(EventEncodingError)
    /// Keys are written in sorted order: the same event always encodes to the same bytes.
    mutating func map<Value>(
        _ values: [String: Value], _ value: (inout Self, Value) throws(EventEncodingError) -> Void
    ) throws(EventEncodingError)
    /// `nullFirst`: whether the schema's union puts null first (Avro writes the branch's
    /// position); false only for an optional field whose default is a value.
    mutating func optional<Wrapped>(
        _ value: Wrapped?, nullFirst: Bool, _ wrapped: (inout Self, Wrapped) throws(EventEncodingError) -> Void
    ) throws(EventEncodingError)
}

/// A format's reader, as generated `init(from:)` drives it: `fields` hands over each field the
/// data carries by its number in the reader's `_fields`; the typed reads convert what the writer
/// wrote (Avro's promotions: int → long → float → double, string ↔ bytes) or say why they cannot.
/// Errors name the field: each level adds its part of the path as the error passes through.
///
/// For generated code and the runtime's formats: applications do not use it directly.
public protocol EventDecoder: ~Copyable {
    /// Calls `body` with each field of the current record that the reader knows; skips the rest.
    mutating func fields(_ body: (inout Self, _ field: Int) throws(EventDecodingError) -> Void) throws(EventDecodingError)
    /// Reads a `bool`.
    mutating func bool() throws(EventDecodingError) -> Bool
    /// Reads an `int`; a value outside 32 bits is an error.
    mutating func int() throws(EventDecodingError) -> Int32
    /// Reads a `long` (or an `int` a writer wrote: a promotion).
    mutating func long() throws(EventDecodingError) -> Int64
    /// Reads a `float` (or an `int` or `long`: a promotion).
    mutating func float() throws(EventDecodingError) -> Float
    /// Reads a `double` (or an `int`, `long` or `float`: a promotion).
    mutating func double() throws(EventDecodingError) -> Double
    /// Reads a `string` (or `bytes` that are UTF-8, in Avro).
    mutating func string() throws(EventDecodingError) -> String
    /// Reads `bytes` (or a `string`, in Avro).
    mutating func byteString() throws(EventDecodingError) -> [UInt8]
    /// Reads a `decimal`, exactly: its text in JSON, any scale's bytes in Avro.
    mutating func decimal() throws(EventDecodingError) -> ExactDecimal
    /// Reads a `uuid`.
    mutating func uuid() throws(EventDecodingError) -> UUID
    /// Reads a `timestamp` (RFC 3339 in JSON; nanoseconds, microseconds or milliseconds in Avro).
    mutating func timestamp() throws(EventDecodingError) -> Timestamp
    /// Reads a `date`.
    mutating func date() throws(EventDecodingError) -> LocalDate
    /// The position in `symbols` of the symbol read; a symbol the reader does not know is
    /// `defaultSymbol`, or an `unknownSymbol` error without one.
    mutating func symbol(
        _ symbols: EventNames, defaultSymbol: Int?, type: @autoclosure () -> String
    ) throws(EventDecodingError) -> Int
    /// A generated enum, by its symbols.
    mutating func enumeration<Value: EventEnum>(_ type: Value.Type) throws(EventDecodingError) -> Value
    /// Reads a nested record with `body` (which calls `fields`): schema-driven code.
    mutating func record<Value>(_ body: (inout Self) throws(EventDecodingError) -> Value) throws(EventDecodingError) -> Value
    /// A generated record, by its own `init(from:)`. A requirement formats implement concretely,
    /// for the same reason as `EventEncoder.record(_:)`.
    mutating func record<Value: EventRecord>(_ type: Value.Type) throws(EventDecodingError) -> Value
    /// Reads an array, each element by `element`.
    mutating func array<Element>(_ element: (inout Self) throws(EventDecodingError) -> Element) throws(EventDecodingError) -> [Element]
    /// Reads a map with string keys, each value by `value`.
    mutating func map<Value>(_ value: (inout Self) throws(EventDecodingError) -> Value) throws(EventDecodingError) -> [String: Value]
    /// Reads null as nil, and anything else by `wrapped`.
    mutating func optional<Wrapped>(_ wrapped: (inout Self) throws(EventDecodingError) -> Wrapped) throws(EventDecodingError) -> Wrapped?
    /// Where the decoder is in its input, for errors.
    var offset: Int { get }
}

extension EventDecoder where Self: ~Copyable {
    /// `value`, or a `missingField` error naming the field: for fields without a default.
    @inlinable @inline(__always)
    public func required<Value>(_ value: consuming Value?, _ name: StaticString) throws(EventDecodingError) -> Value {
        guard let value else { throw EventDecodingError.missingField(name, offset: offset) }
        return value
    }
}

extension EventEncoder where Self: ~Copyable {
    /// An optional whose schema puts null first: every one but a field defaulting to a value.
    @inlinable @inline(__always)
    public mutating func optional<Wrapped>(
        _ value: Wrapped?, _ wrapped: (inout Self, Wrapped) throws(EventEncodingError) -> Void
    ) throws(EventEncodingError) {
        try optional(value, nullFirst: true, wrapped)
    }
}

extension EventDecodingError {
    @usableFromInline
    static func missingField(_ name: StaticString, offset: Int) -> EventDecodingError {
        EventDecodingError(.missingField, path: "\(name)", offset: offset, "required field is missing")
    }

    /// The same error, at an offset `count` bytes further into the input (past a frame's header).
    @usableFromInline
    func shifted(by count: Int) -> EventDecodingError {
        var copy = self
        copy.offset += count
        return copy
    }

    /// The same error, seen from the record that holds `member`: `member.path`.
    @usableFromInline
    func inside(member: String) -> EventDecodingError {
        var copy = self
        copy.path = path.isEmpty ? member : path.utf8.first == UInt8(ascii: "[") ? member + path : member + "." + path
        return copy
    }

    /// The same error, seen from the array that holds it at `index`: `[index].path`.
    @usableFromInline
    func inside(index: Int) -> EventDecodingError {
        var copy = self
        copy.path = "[\(index)]" + (path.isEmpty || path.utf8.first == UInt8(ascii: "[") ? path : "." + path)
        return copy
    }
}

extension EventEncodingError {
    /// The same error, seen from the record that holds `member`.
    @usableFromInline
    func inside(member: String) -> EventEncodingError {
        var copy = self
        copy.path = path.isEmpty ? member : path.utf8.first == UInt8(ascii: "[") ? member + path : member + "." + path
        return copy
    }

    /// The same error, seen from the array that holds it at `index`.
    @usableFromInline
    func inside(index: Int) -> EventEncodingError {
        var copy = self
        copy.path = "[\(index)]" + (path.isEmpty || path.utf8.first == UInt8(ascii: "[") ? path : "." + path)
        return copy
    }
}
