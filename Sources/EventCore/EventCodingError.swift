/// Why bytes could not be decoded into an event. Always typed, always with the field path, never
/// a crash: the processor sends these records to the DLQ as `deserialization` failures.
public struct EventDecodingError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Kind: String, Hashable, Sendable {
        case truncated
        case invalidJSON
        case invalidUTF8
        case wrongType
        case missingField
        case numberOutOfRange
        case invalidFormat
        case unknownSymbol
        case unknownVersion
        /// An Avro record's schema id no resolver knows, or a type with no schemas.
        case unknownSchema
        /// A record whose `content-type` no codec reads.
        case unknownContentType
    }

    public var kind: Kind
    /// Where in the event: `total.currency`, `items[2].sku`; empty for the document itself.
    public var path: String
    /// The byte offset in the input where the problem was found.
    public var offset: Int
    public var message: String

    public init(_ kind: Kind, path: String, offset: Int, _ message: String) {
        self.kind = kind
        self.path = path
        self.offset = offset
        self.message = message
    }

    public var description: String {
        "\(kind.rawValue) at '\(path.isEmpty ? "$" : path)' (byte \(offset)): \(message)"
    }
}

/// Why an event could not be encoded. JSON has no NaN or infinity, so a non-finite float or
/// double is refused rather than silently written as null or as a string.
public struct EventEncodingError: Error, Hashable, Sendable, CustomStringConvertible {
    public var path: String
    public var message: String

    public init(path: String, _ message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "cannot encode '\(path)': \(message)" }
}
