import ContractModel
import EventCore

/// A made-up but valid payload of one version, as the generated encoder would write it: the
/// catalog shows it, AsyncAPI carries it as the message's example. Deterministic: a field's
/// default when it has one, otherwise a fixed value of its type (strings from the field's name).
public enum ExamplePayload {
    /// An example payload of `version`, as its JSON encoding writes it.
    public static func value(of version: CheckedVersion) -> JSONValue {
        .object(version.fields.map { ($0.name, WireJSON.value(of: literal(for: $0, in: version, depth: 0), type: $0.type, in: version)) })
    }

    /// Records may nest themselves through optionals and collections: past this depth they end.
    static let maximumDepth = 3

    static func literal(for field: CheckedField, in version: CheckedVersion, depth: Int) -> Literal {
        if let value = field.defaultValue, value != .null { return value }
        return literal(of: field.type, named: field.name, in: version, depth: depth)
    }

    static func literal(of type: TypeExpression, named name: String, in version: CheckedVersion, depth: Int) -> Literal {
        switch type {
        case .optional(let wrapped):
            return depth >= maximumDepth ? .null : literal(of: wrapped, named: name, in: version, depth: depth)
        case .array(let element):
            return .array(depth >= maximumDepth ? [] : [literal(of: element, named: name, in: version, depth: depth + 1)])
        case .map(let value):
            return .map(depth >= maximumDepth ? [] : [LiteralEntry(key: "key", value: literal(of: value, named: name, in: version, depth: depth + 1))])
        case .primitive(let primitive):
            return literal(of: primitive, named: name)
        case .named(let typeName):
            guard let named = version.type(named: typeName) else { return .null }
            switch named.kind {
            case .enumeration(let symbols, let defaultSymbol):
                return .symbol(defaultSymbol ?? symbols.first ?? "")
            case .record(let fields):
                return .record(fields.map { LiteralEntry(key: $0.name, value: literal(for: $0, in: version, depth: depth + 1)) })
            }
        }
    }

    static let exampleDecimal = "12.50"
    static let exampleUUID = "0195e2a1-7c4b-7d3e-9f1a-2b3c4d5e6f70"

    private static func literal(of primitive: PrimitiveType, named name: String) -> Literal {
        switch primitive {
        case .bool: .bool(true)
        case .int: .int(1)
        case .long: .int(1_773_480_413)
        case .float: .float(1.5)
        case .double: .float(12.5)
        case .string: .string("\(name)-1")
        case .bytes: .bytes(Array("example".utf8))
        // Both texts are valid; were they not, the string itself is written as it would be.
        case .decimal: ExactDecimal(exampleDecimal).map(Literal.decimal) ?? .string(exampleDecimal)
        case .uuid: UUIDText.parse(Array(exampleUUID.utf8)).map(Literal.uuid) ?? .string(exampleUUID)
        case .timestamp: .timestamp(Timestamp(secondsSince1970: 1_773_480_413, nanoseconds: 0))
        case .date: .date(LocalDate(daysSince1970: 20_526))
        }
    }
}
