/// Why bytes could not be decoded into an event. Always typed, always with the field path, never
/// a crash: the processor sends these records to the DLQ as `deserialization` failures.
public struct EventDecodingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong. New kinds may be added (a `switch` over them needs a `default`).
    public enum Kind: String, Hashable, Sendable {
        /// The input ended inside a value.
        case truncated
        /// The bytes are not JSON (or not JSON this codec accepts: nothing after the value).
        case invalidJSON
        /// A string (or key) is not UTF-8, or a `\u` escape is a lone surrogate.
        case invalidUTF8
        /// A value of another type than the field's (a string for a number, …).
        case wrongType
        /// A field without a default is absent.
        case missingField
        /// A number beyond the field's type (an `int` past 32 bits, a date past 9999).
        case numberOutOfRange
        /// A UUID, timestamp, date, decimal or base64 text, or an Avro varint or boolean, that is malformed.
        case invalidFormat
        /// An enum symbol the reader does not know, and the enum has no default.
        case unknownSymbol
        /// A contract version that does not exist (0, or less).
        case unknownVersion
        /// An Avro record's schema id no resolver knows, or a type with no schemas.
        case unknownSchema
        /// A record whose `content-type` no codec reads.
        case unknownContentType
    }

    /// What went wrong.
    public var kind: Kind
    /// Where in the event: `total.currency`, `items[2].sku`; empty for the document itself.
    public var path: String
    /// The byte offset in the input where the problem was found.
    public var offset: Int
    /// What was found and, where it helps, what to do.
    public var message: String

    /// An error of `kind` at `path`, `offset` bytes into the input.
    public init(_ kind: Kind, path: String, offset: Int, _ message: String) {
        self.kind = kind
        self.path = path
        self.offset = offset
        self.message = message
    }

    /// `kind at 'path' (byte offset): message`.
    public var description: String {
        "\(kind.rawValue) at '\(path.isEmpty ? "$" : path)' (byte \(offset)): \(message)"
    }
}

/// Why an event could not be encoded. JSON has no NaN or infinity, so a non-finite float or
/// double is refused rather than silently written as null or as a string.
public struct EventEncodingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Where in the event, as in `EventDecodingError.path`.
    public var path: String
    /// Why it cannot be written.
    public var message: String
    /// The data rule the value breaks, when that is why (the event was refused before any byte
    /// was written); nil when the format cannot carry the value.
    public var violation: EventRuleViolation?

    /// An error at `path`.
    public init(path: String, _ message: String) {
        self.path = path
        self.message = message
    }

    /// The error for an event that breaks a data rule of its contract.
    public init(violation: EventRuleViolation) {
        self.path = violation.field
        self.message = "breaks \(violation.rule.rawValue): \(violation.message)"
        self.violation = violation
    }

    /// `cannot encode 'path': message`.
    public var description: String { "cannot encode '\(path)': \(message)" }
}
