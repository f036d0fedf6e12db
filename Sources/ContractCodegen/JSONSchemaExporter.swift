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
        for (keyword, value) in Self.ruleKeywords(field) {
            // An `int`'s own range gives way to its rule's tighter bound.
            if let index = members.firstIndex(where: { $0.0 == keyword }) { members[index].1 = value } else { members.append((keyword, value)) }
        }
        if !field.tags.isEmpty { members.append(("x-eventcontracts-tags", .array(field.tags.map { .string($0) }))) }
        return .object(members)
    }

    /// The field's data rules as JSON Schema keywords. A validation keyword applies only to
    /// instances of its type (`minLength` to strings…), so on an optional field's `anyOf` it
    /// constrains the value and lets null through, as the generated validator does. Bounds of
    /// decimals, timestamps and dates, which JSON carries as strings, have no keyword: they are
    /// kept as the annotation `x-eventcontracts-rules` (validators ignore it).
    static func ruleKeywords(_ field: CheckedField) -> [(String, JSONValue)] {
        let rules = field.rules
        var keywords: [(String, JSONValue)] = []
        var annotations: [(String, JSONValue)] = []
        for (bound, lower) in [(rules.lower, true), (rules.upper, false)] {
            guard let bound else { continue }
            let keyword = (bound.exclusive ? "exclusive" : "") + (lower ? (bound.exclusive ? "Minimum" : "minimum") : (bound.exclusive ? "Maximum" : "maximum"))
            switch bound.value {
            case .int(let value): keywords.append((keyword, .number(String(value))))
            case .float: keywords.append((keyword, .number(bound.value.ruleText)))
            default:
                let rule = lower ? (bound.exclusive ? DataRule.exclusiveMin : .min) : (bound.exclusive ? .exclusiveMax : .max)
                annotations.append((rule.rawValue, .string(bound.value.ruleText)))
            }
        }
        if let minLength = rules.minLength { keywords.append(("minLength", .number(String(minLength)))) }
        if let maxLength = rules.maxLength { keywords.append(("maxLength", .number(String(maxLength)))) }
        if let pattern = rules.pattern { keywords.append(("pattern", .string(pattern))) }
        if let format = rules.format { keywords.append(("format", .string(format.rawValue))) }
        if let minItems = rules.minItems { keywords.append(("minItems", .number(String(minItems)))) }
        if let maxItems = rules.maxItems { keywords.append(("maxItems", .number(String(maxItems)))) }
        if rules.uniqueItems { keywords.append(("uniqueItems", .bool(true))) }
        if let minProperties = rules.minProperties { keywords.append(("minProperties", .number(String(minProperties)))) }
        if let maxProperties = rules.maxProperties { keywords.append(("maxProperties", .number(String(maxProperties)))) }
        if !annotations.isEmpty { keywords.append(("x-eventcontracts-rules", .object(annotations))) }
        return keywords
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
