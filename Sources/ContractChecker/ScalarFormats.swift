import ContractParser
import EventCore

/// Text formats of the scalar types that JSON carries as strings: uuid, timestamp, date, decimal,
/// bytes (base64). Defaults are checked with the runtime's own parsers, so a default the checker
/// accepts is exactly what generated decoders accept.
public enum ScalarFormats {
    /// `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`, hex digits of either case.
    public static func isUUID(_ text: String) -> Bool { UUIDText.parse(Array(text.utf8)) != nil }

    /// `YYYY-MM-DD`, a real calendar day.
    public static func isDate(_ text: String) -> Bool { LocalDate(iso: text) != nil }

    /// RFC 3339 `date-time`: `2024-05-01T12:30:00Z`, `2024-05-01T12:30:00.123+09:00`.
    public static func isTimestamp(_ text: String) -> Bool { Timestamp(rfc3339: Array(text.utf8)) != nil }

    /// A JSON number: the lossless decimal type keeps its text.
    public static func isDecimal(_ text: String) -> Bool { ScalarSyntax.isJSONNumber(text) }

    /// Standard base64 with padding (RFC 4648 §4), the way bytes travel in JSON.
    public static func base64Decode(_ text: String) -> [UInt8]? { Base64.decode(text) }
}
