import EventCore
import Foundation

/// A default value resolved against its field's type: what generated code initialises a field
/// with when an older version did not carry it. Scalars that JSON carries as text are parsed,
/// once, by the runtime's own parsers, so every later stage has typed values and never reads the
/// text again.
public indirect enum Literal: Hashable, Sendable {
    /// `null`, for an optional type.
    case null
    /// A `bool`.
    case bool(Bool)
    /// An `int` or `long`.
    case int(Int64)
    /// A `float` or `double`.
    case float(Double)
    /// A `string`.
    case string(String)
    /// `bytes`, decoded from the default's base64.
    case bytes([UInt8])
    /// The decimal's text as written, so no digit is lost to binary floating point.
    case decimal(ExactDecimal)
    /// A `uuid`.
    case uuid(UUID)
    /// A `timestamp`.
    case timestamp(Timestamp)
    /// A `date`.
    case date(LocalDate)
    /// An enum's symbol.
    case symbol(String)
    /// An `array`'s elements.
    case array([Literal])
    /// A `map`'s entries, in the order written.
    case map([LiteralEntry])
    /// Every field of the record, in declaration order, the record's own defaults filled in.
    case record([LiteralEntry])
}

/// A key and its value, in a map or record literal.
public struct LiteralEntry: Hashable, Sendable {
    /// The map's key, or the record's field name.
    public var key: String
    /// The value.
    public var value: Literal

    /// An entry.
    public init(key: String, value: Literal) {
        self.key = key
        self.value = value
    }
}
