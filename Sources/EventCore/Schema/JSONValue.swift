/// A small JSON tree with ordered object keys, rendered deterministically: Avro schemas, defaults
/// and the exporters' documents, without Foundation's serializer (whose key order is not ours to
/// choose). Numbers keep their text, so no digit is lost on the way through.
public indirect enum JSONValue: Hashable, Sendable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// The number's JSON text.
    case number(String)
    /// A string.
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object's members, in order (a schema's attribute order is kept).
    case object([(String, JSONValue)])

    /// Equal when their compact texts are (members in order, numbers as written).
    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool { lhs.compact() == rhs.compact() }
    /// Hashes the compact text, as `==` compares it.
    public func hash(into hasher: inout Hasher) { hasher.combine(compact()) }

    /// Two-space indented, one key per line; short scalar arrays stay on one line.
    public func rendered(indent: String = "") -> String {
        switch self {
        case .null, .bool, .number, .string: return compact()
        case .array(let items):
            if items.isEmpty { return "[]" }
            if items.allSatisfy(\.isScalar) { return "[" + items.map { $0.rendered() }.joined(separator: ", ") + "]" }
            let inner = indent + "  "
            return "[\n" + items.map { inner + $0.rendered(indent: inner) }.joined(separator: ",\n") + "\n\(indent)]"
        case .object(let members):
            if members.isEmpty { return "{}" }
            let inner = indent + "  "
            let lines = members.map { inner + Self.quoted($0.0) + ": " + $0.1.rendered(indent: inner) }
            return "{\n" + lines.joined(separator: ",\n") + "\n\(indent)}"
        }
    }

    /// No whitespace at all: how generated code embeds a schema, and what equality compares.
    public func compact() -> String {
        switch self {
        case .null: return "null"
        case .bool(let value): return value ? "true" : "false"
        case .number(let text): return text
        case .string(let text): return Self.quoted(text)
        case .array(let items): return "[" + items.map { $0.compact() }.joined(separator: ",") + "]"
        case .object(let members): return "{" + members.map { Self.quoted($0.0) + ":" + $0.1.compact() }.joined(separator: ",") + "}"
        }
    }

    /// The member `name` of an object; nil for a missing member or a value that is no object.
    public subscript(name: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.0 == name }?.1
    }

    /// The text of a string value.
    public var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    private var isScalar: Bool {
        switch self {
        case .array, .object: false
        default: true
        }
    }

    /// `text` as a JSON string: quotes, backslashes and control characters escaped, the rest as is.
    public static func quoted(_ text: String) -> String {
        var output = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: output.unicodeScalars.append(scalar)
            }
        }
        return output + "\""
    }
}

extension JSONValue {
    /// Parses one JSON document (RFC 8259, as `JSONReader` reads it), refusing trailing bytes.
    public static func parse(_ bytes: [UInt8]) throws(EventDecodingError) -> JSONValue {
        try JSONReader.withReader(bytes) { (reader) throws(EventDecodingError) -> JSONValue in
            let value = try reader.readValue(depth: 0)
            try reader.end()
            return value
        }
    }

    /// Parses `text` as one JSON document.
    public static func parse(_ text: String) throws(EventDecodingError) -> JSONValue { try parse(Array(text.utf8)) }
}

extension JSONReader {
    /// Any JSON value as a tree (nesting bounded as for skipped values).
    mutating func readValue(depth: Int) throws(EventDecodingError) -> JSONValue {
        guard depth < Self.maximumDepth else { throw error(.invalidJSON, "", "nested deeper than \(Self.maximumDepth)") }
        switch try peek("") {
        case UInt8(ascii: "{"):
            position += 1
            var members: [(String, JSONValue)] = []
            var isFirst = true
            while let key = try nextKey(isFirst: &isFirst, path: "") {
                let name = try text(of: key, path: "")
                members.append((name, try readValue(depth: depth + 1)))
            }
            return .object(members)
        case UInt8(ascii: "["):
            position += 1
            var items: [JSONValue] = []
            var isFirst = true
            while try nextElement(isFirst: &isFirst, path: "") { items.append(try readValue(depth: depth + 1)) }
            return .array(items)
        case UInt8(ascii: "\""):
            return .string(try readString(path: ""))
        case UInt8(ascii: "t"), UInt8(ascii: "f"):
            return .bool(try readBool(path: ""))
        case UInt8(ascii: "n"):
            try literal("null", "")
            return .null
        default:
            let (range, _) = try numberToken("")
            return .number(String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self))
        }
    }
}
