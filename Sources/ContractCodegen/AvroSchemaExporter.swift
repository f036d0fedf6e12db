import ContractModel
import EventCore

/// Each version of a contract as an Avro schema (`.avsc`): what Avro-encoded events are written
/// with (generated code embeds these schemas), and what a Schema Registry serves. Optional types
/// become a union with null first and default null (value first when the default is a value);
/// enums keep their default; uuid, timestamp, date and decimal use Avro's logical types —
/// `timestamp-nanos` (every digit a timestamp has), decimal as bytes with the runtime's
/// `AvroDecimal` precision (38) and scale (18).
public enum AvroSchemaExporter {
    /// The schema of `version`; without `docs`, no `doc` attributes (they change nothing a
    /// reader or writer does, and generated code embeds the schemas without them).
    public static func schema(of contract: CheckedContract, version: CheckedVersion, docs: Bool = true) -> JSONValue {
        var exporter = Exporter(version: version, namespace: avroNamespace(contract.namespace), docs: docs)
        var members: [(String, JSONValue)] = [
            ("type", .string("record")),
            ("name", .string(contract.event)),
            ("namespace", .string(exporter.namespace)),
        ]
        if docs, let summary = contract.summary { members.append(("doc", .string(summary))) }
        members.append(("fields", .array(version.fields.map { exporter.field($0) })))
        return .object(members)
    }

    /// Where `export avro` and the catalog put a version's schema, relative to their folder.
    public static func relativePath(of contract: CheckedContract, version: Int) -> String {
        "\(contract.namespace)/\(contract.event).v\(version).avsc"
    }

    /// Avro namespaces are dotted identifiers: '-' is not allowed, so it becomes '_'.
    static func avroNamespace(_ namespace: String) -> String {
        String(namespace.map { $0 == "-" ? "_" : $0 })
    }
}

private struct Exporter {
    let version: CheckedVersion
    let namespace: String
    let docs: Bool
    /// Named types already written out: later uses refer to them by name, as Avro requires.
    var defined: Set<String> = []

    init(version: CheckedVersion, namespace: String, docs: Bool) {
        self.version = version
        self.namespace = namespace
        self.docs = docs
    }

    mutating func field(_ field: CheckedField) -> JSONValue {
        var members: [(String, JSONValue)] = [("name", .string(field.name))]
        // A union's default must match its first branch: null first unless the default is a value.
        if case .optional(let wrapped) = field.type, let literal = field.defaultValue, literal != .null {
            members.append(("type", .array([schema(wrapped), .string("null")])))
            members.append(("default", avroDefault(literal, type: wrapped)))
        } else {
            members.append(("type", schema(field.type)))
            if field.type.isOptional {
                members.append(("default", .null))
            } else if let literal = field.defaultValue {
                members.append(("default", avroDefault(literal, type: field.type)))
            }
        }
        if docs, let doc = field.doc { members.append(("doc", .string(doc))) }
        if !field.aliases.isEmpty { members.append(("aliases", .array(field.aliases.map { .string($0) }))) }
        if docs { members += Self.annotations(field) }
        return .object(members)
    }

    /// The field's tags and data rules as properties Avro readers ignore, beside `doc` (and, like
    /// it, not in the schemas generated code embeds): tags under `confluent:tags`, where
    /// Confluent's Data Contracts tooling looks for a field's tags, and the rules as the contract
    /// writes them under `eventcontracts.rules`.
    private static func annotations(_ field: CheckedField) -> [(String, JSONValue)] {
        var members: [(String, JSONValue)] = []
        if !field.tags.isEmpty { members.append(("confluent:tags", .array(field.tags.map { .string($0) }))) }
        let rules = field.rules.written
        if !rules.isEmpty { members.append(("eventcontracts.rules", .object(rules.map { ($0.rule.rawValue, .string($0.value)) }))) }
        return members
    }

    mutating func schema(_ type: TypeExpression) -> JSONValue {
        switch type {
        case .optional(let wrapped): return .array([.string("null"), schema(wrapped)])
        case .array(let element): return .object([("type", .string("array")), ("items", schema(element))])
        case .map(let value): return .object([("type", .string("map")), ("values", schema(value))])
        case .primitive(let primitive): return Self.primitive(primitive)
        case .named(let name):
            guard let named = version.type(named: name), defined.insert(name).inserted else { return .string(name) }
            var members: [(String, JSONValue)] = []
            switch named.kind {
            case .record(let fields):
                members = [("type", .string("record")), ("name", .string(name)), ("namespace", .string(namespace))]
                if docs, let doc = named.doc { members.append(("doc", .string(doc))) }
                members.append(("fields", .array(fields.map { field($0) })))
            case .enumeration(let symbols, let defaultSymbol):
                members = [("type", .string("enum")), ("name", .string(name)), ("namespace", .string(namespace))]
                if docs, let doc = named.doc { members.append(("doc", .string(doc))) }
                members.append(("symbols", .array(symbols.map { .string($0) })))
                if let defaultSymbol { members.append(("default", .string(defaultSymbol))) }
            }
            return .object(members)
        }
    }

    private static func primitive(_ primitive: PrimitiveType) -> JSONValue {
        switch primitive {
        case .bool: .string("boolean")
        case .int, .long, .float, .double, .string, .bytes: .string(primitive.rawValue)
        case .uuid: .object([("type", .string("string")), ("logicalType", .string("uuid"))])
        case .timestamp: .object([("type", .string("long")), ("logicalType", .string("timestamp-nanos"))])
        case .date: .object([("type", .string("int")), ("logicalType", .string("date"))])
        case .decimal:
            .object([("type", .string("bytes")), ("logicalType", .string("decimal")),
                     ("precision", .number(String(AvroDecimal.precision))), ("scale", .number(String(AvroDecimal.scale)))])
        }
    }

    /// A default in Avro's JSON encoding: bytes as a string of U+0000…U+00FF, logical types as
    /// their underlying values. The checker refused defaults the mapping cannot carry
    /// (AVRO_UNREPRESENTABLE_DEFAULT), so none is rounded here.
    private func avroDefault(_ literal: Literal, type: TypeExpression) -> JSONValue {
        switch (literal, type.nonOptional) {
        case (.null, _): return .null
        case (.bool(let value), _): return .bool(value)
        case (.int(let value), _): return .number(String(value))
        case (.float(let value), _): return .number(value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value))
        case (.string(let text), _), (.symbol(let text), _): return .string(text)
        case (.uuid(let uuid), _): return .string(String(decoding: UUIDText.bytes(uuid), as: UTF8.self))
        case (.bytes(let bytes), _): return .string(Self.byteString(bytes))
        case (.decimal(let decimal), _):
            return .string(Self.byteString(AvroDecimal.bytes(of: decimal) ?? [0]))
        case (.timestamp(let time), _): return .number(String(AvroTimestamp.nanoseconds(time) ?? 0))
        case (.date(let date), _): return .number(String(date.daysSince1970))
        case (.array(let items), .array(let element)): return .array(items.map { avroDefault($0, type: element) })
        case (.map(let entries), .map(let value)): return .object(entries.map { ($0.key, avroDefault($0.value, type: value)) })
        case (.record(let entries), .named(let name)):
            let fields = version.type(named: name)?.fields ?? []
            return .object(entries.compactMap { entry in
                fields.first { $0.name == entry.key }.map { (entry.key, avroDefault(entry.value, type: $0.type)) }
            })
        case (.array, _), (.map, _), (.record, _):
            // The checker typed each default by its field: a collection default has a collection type.
            preconditionFailure("a checked \(literal) default for type \(type)")
        }
    }

    private static func byteString(_ bytes: [UInt8]) -> String {
        String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
    }
}

