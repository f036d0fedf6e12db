import ContractModel
import EventCore

/// Each version of a contract as a JSON Schema (2020-12) describing exactly what the generated
/// encoder writes: every field present (an optional one as null), uuid, timestamp and date as
/// strings with their formats (and patterns, since formats only annotate by default), decimal as
/// the string of a JSON number, bytes as base64, int and long with their ranges, enums by their
/// symbols, maps as objects. `additionalProperties` is true because readers skip fields they do
/// not know: that is how a newer writer's data stays readable. For a contract encoded as Avro, the
/// schema describes its canonical JSON (what `eventc-ops decode` prints) and says so in
/// `x-eventcontracts-encoding`, an annotation validators ignore.
public enum JSONSchemaExporter {
    /// The JSON Schema dialect written: 2020-12.
    public static let dialect = "https://json-schema.org/draft/2020-12/schema"

    /// The schema of `version`'s canonical JSON.
    public static func schema(of contract: CheckedContract, version: CheckedVersion) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("$schema", .string(dialect)),
            ("$id", .string(identifier(of: contract, version: version.number))),
            ("title", .string("\(contract.event) v\(version.number)")),
        ]
        if let summary = contract.summary { members.append(("description", .string(summary))) }
        members.append(("x-eventcontracts-encoding", .string(contract.encoding.rawValue)))
        let builder = PayloadSchemaBuilder(version: version, referencePrefix: "#/$defs/")
        members += builder.objectMembers(version.fields)
        let defined = builder.definitions()
        if !defined.isEmpty { members.append(("$defs", .object(defined))) }
        return .object(members)
    }

    /// `urn:eventcontracts:payments:PaymentCompleted:v3`: stable, and a URI as `$id` requires.
    public static func identifier(of contract: CheckedContract, version: Int) -> String {
        "urn:eventcontracts:\(contract.namespace):\(contract.event):v\(version)"
    }

    /// Where `export jsonschema` and the catalog put a version's schema, relative to their folder.
    public static func relativePath(of contract: CheckedContract, version: Int) -> String {
        "\(contract.namespace)/\(contract.event).v\(version).schema.json"
    }

    static let patterns = (
        decimal: "^-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?$",
        uuid: "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$",
        timestamp: "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?(Z|[+-][0-9]{2}:[0-9]{2})$",
        date: "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
        base64: "^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$"
    )
}

/// The schemas of one version's fields and named types. Named types are referenced as
/// `referencePrefix + name`: `#/$defs/Money` in a schema file, a component in AsyncAPI.
struct PayloadSchemaBuilder {
    let version: CheckedVersion
    let referencePrefix: String

    func objectMembers(_ fields: [CheckedField]) -> [(String, JSONValue)] {
        [
            ("type", .string("object")),
            ("properties", .object(fields.map { ($0.name, fieldSchema($0)) })),
            ("required", .array(fields.map { .string($0.name) })),
            ("additionalProperties", .bool(true)),
        ]
    }

    /// Each named type the version sees, by name.
    func definitions() -> [(String, JSONValue)] {
        version.types.map { type -> (String, JSONValue) in
            var members: [(String, JSONValue)] = type.doc.map { [("description", .string($0))] } ?? []
            switch type.kind {
            case .record(let fields): members += objectMembers(fields)
            case .enumeration(let symbols, _): members += [("type", .string("string")), ("enum", .array(symbols.map { .string($0) }))]
            }
            return (type.name, .object(members))
        }
    }

    private func fieldSchema(_ field: CheckedField) -> JSONValue {
        guard case .object(var members) = schema(of: field.type) else { return schema(of: field.type) }
        if let doc = field.doc { members.append(("description", .string(doc))) }
        if let value = field.fallback { members.append(("default", WireJSON.value(of: value, type: field.type, in: version))) }
        if field.deprecated { members.append(("deprecated", .bool(true))) }
        return .object(members)
    }

    func schema(of type: TypeExpression) -> JSONValue {
        switch type {
        case .optional(let wrapped): return .object([("anyOf", .array([schema(of: wrapped), .object([("type", .string("null"))])]))])
        case .array(let element): return .object([("type", .string("array")), ("items", schema(of: element))])
        case .map(let value): return .object([("type", .string("object")), ("additionalProperties", schema(of: value))])
        case .named(let name): return .object([("$ref", .string(referencePrefix + name))])
        case .primitive(let primitive): return .object(Self.primitiveMembers(primitive))
        }
    }

    private static func primitiveMembers(_ primitive: PrimitiveType) -> [(String, JSONValue)] {
        let patterns = JSONSchemaExporter.patterns
        func string(_ extra: (String, JSONValue)...) -> [(String, JSONValue)] { [("type", .string("string"))] + extra }
        switch primitive {
        case .bool: return [("type", .string("boolean"))]
        case .int: return [("type", .string("integer")), ("minimum", .number(String(Int32.min))), ("maximum", .number(String(Int32.max)))]
        case .long: return [("type", .string("integer")), ("minimum", .number(String(Int64.min))), ("maximum", .number(String(Int64.max)))]
        case .float, .double: return [("type", .string("number"))]
        case .string: return string()
        case .bytes: return string(("contentEncoding", .string("base64")), ("pattern", .string(patterns.base64)))
        case .decimal: return string(("pattern", .string(patterns.decimal)))
        case .uuid: return string(("format", .string("uuid")), ("pattern", .string(patterns.uuid)))
        case .timestamp: return string(("format", .string("date-time")), ("pattern", .string(patterns.timestamp)))
        case .date: return string(("format", .string("date")), ("pattern", .string(patterns.date)))
        }
    }
}
