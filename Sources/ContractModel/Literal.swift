import EventCore
import Foundation

/// A default value resolved against its field's type: what generated code initialises a field
/// with when an older version did not carry it. Scalars that JSON carries as text are parsed,
/// once, by the runtime's own parsers, so every later stage has typed values and never reads the
/// text again.
public indirect enum Literal: Hashable, Sendable {
    case null
    case bool(Bool)
    case int(Int64)
    case float(Double)
    case string(String)
    case bytes([UInt8])
    /// The decimal's text as written, so no digit is lost to binary floating point.
    case decimal(ExactDecimal)
    case uuid(UUID)
    case timestamp(Timestamp)
    case date(LocalDate)
    case symbol(String)
    case array([Literal])
    case map([LiteralEntry])
    /// Every field of the record, in declaration order, the record's own defaults filled in.
    case record([LiteralEntry])
}

public struct LiteralEntry: Hashable, Sendable {
    public var key: String
    public var value: Literal

    public init(key: String, value: Literal) {
        self.key = key
        self.value = value
    }
}
