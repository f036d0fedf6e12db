/// A default value resolved against its field's type: what generated code initialises a field
/// with when an older version did not carry it.
public indirect enum Literal: Hashable, Sendable {
    case null
    case bool(Bool)
    case int(Int64)
    case float(Double)
    case string(String)
    case bytes([UInt8])
    /// The decimal's text as written, so no digit is lost to binary floating point.
    case decimal(String)
    case uuid(String)
    /// RFC 3339 text.
    case timestamp(String)
    /// `YYYY-MM-DD`.
    case date(String)
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
