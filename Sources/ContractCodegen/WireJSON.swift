import ContractModel
import EventCore

/// A typed value as the generated encoder writes it on the wire, through the runtime's own
/// `JSONWriter`, so JSON Schema defaults, AsyncAPI examples and the catalog's example payloads
/// cannot drift from what services actually send.
public enum WireJSON {
    /// `literal` of `type` as the JSON encoding writes it, named types looked up in `version`.
    public static func value(of literal: Literal, type: TypeExpression, in version: CheckedVersion) -> JSONValue {
        switch (literal, type.nonOptional) {
        case (.null, _): return .null
        case (.bool(let value), _): return .bool(value)
        case (.int(let value), _): return .number(String(value))
        case (.float(let value), .primitive(.float)): return written { (writer: inout JSONWriter) throws(EventEncodingError) in try writer.float(Float(value), path: "") }
        case (.float(let value), _): return written { (writer: inout JSONWriter) throws(EventEncodingError) in try writer.double(value, path: "") }
        case (.string(let text), _), (.symbol(let text), _): return .string(text)
        case (.bytes(let bytes), _): return quoted { $0.base64(bytes) }
        case (.decimal(let decimal), _): return .string(decimal.text)
        case (.uuid(let uuid), _): return quoted { $0.uuid(uuid) }
        case (.timestamp(let time), _): return quoted { $0.timestamp(time) }
        case (.date(let date), _): return quoted { $0.date(date) }
        case (.array(let items), .array(let element)):
            return .array(items.map { value(of: $0, type: element, in: version) })
        case (.map(let entries), .map(let valueType)):
            // Sorted keys, as the encoder writes maps.
            return .object(entries.sorted { $0.key < $1.key }.map { ($0.key, value(of: $0.value, type: valueType, in: version)) })
        case (.record(let entries), .named(let name)):
            let fields = version.type(named: name)?.fields ?? []
            return .object(fields.compactMap { field in
                (entries.first { $0.key == field.name }?.value ?? field.fallback).map { (field.name, value(of: $0, type: field.type, in: version)) }
            })
        case (.array, _), (.map, _), (.record, _):
            // The checker typed each literal by its field: a collection literal has a collection type.
            preconditionFailure("a checked \(literal) literal for type \(type)")
        }
    }

    /// A number as the writer prints it (integral doubles without a fraction, Float's shortest text).
    private static func written(_ write: (inout JSONWriter) throws(EventEncodingError) -> Void) -> JSONValue {
        var writer = JSONWriter(capacity: 32)
        do {
            try write(&writer)
        } catch {
            return .null  // not finite: the checker refuses such defaults, and examples never make one
        }
        return .number(String(decoding: writer.bytes, as: UTF8.self))
    }

    /// A string value whose writer output needs no escaping (base64, UUID, RFC 3339, ISO date).
    private static func quoted(_ write: (inout JSONWriter) -> Void) -> JSONValue {
        var writer = JSONWriter(capacity: 64)
        write(&writer)
        return .string(String(decoding: writer.bytes.dropFirst().dropLast(), as: UTF8.self))
    }
}
