/// An Avro schema, as the runtime reads one: the contract versions' own (embedded in generated
/// code), and any a writer used (from a schema table or a registry), to resolve against them.
///
/// Named types are expanded where they are used, so a value is a plain tree; recursive schemas
/// (which no contract can declare) are refused when parsed.
public indirect enum AvroSchema: Sendable, Hashable {
    /// `"null"`: no value.
    case null
    /// `"boolean"`.
    case boolean
    /// `date` is the only logical type the runtime reads on an int.
    case int(AvroLogicalType?)
    /// `timestamp-millis`, `-micros` or `-nanos`.
    case long(AvroLogicalType?)
    /// `"float"`: 32-bit IEEE 754.
    case float
    /// `"double"`: 64-bit IEEE 754.
    case double
    /// `decimal`.
    case bytes(AvroLogicalType?)
    /// `uuid`.
    case string(AvroLogicalType?)
    /// A `fixed` of a set size (a writer's `decimal` or `uuid` may use one).
    case fixed(AvroFixed)
    /// A `record`: named fields in order.
    case record(AvroRecord)
    /// An `enum`: symbols, and the default a reader takes for one it lacks.
    case enumeration(AvroEnum)
    /// An `array` of the element schema.
    case array(AvroSchema)
    /// A `map` from strings to the value schema.
    case map(AvroSchema)
    /// A union: a value is one of the branches, written with the branch's position.
    case union([AvroSchema])

    /// The schema's kind as Avro names it (`"record"`, `"long"`): for messages.
    public var kindName: String {
        switch self {
        case .null: "null"
        case .boolean: "boolean"
        case .int: "int"
        case .long: "long"
        case .float: "float"
        case .double: "double"
        case .bytes: "bytes"
        case .string: "string"
        case .fixed: "fixed"
        case .record: "record"
        case .enumeration: "enum"
        case .array: "array"
        case .map: "map"
        case .union: "union"
        }
    }

    /// The logical type the runtime understood on a primitive or fixed, if any.
    public var logicalType: AvroLogicalType? {
        switch self {
        case .int(let logical), .long(let logical), .bytes(let logical), .string(let logical): logical
        case .fixed(let fixed): fixed.logicalType
        default: nil
        }
    }
}

/// The logical types the runtime maps to contract types; others are ignored, as Avro's
/// specification says, and the value reads as its underlying type.
public enum AvroLogicalType: Sendable, Hashable {
    /// `date` on an `int`: days since 1970-01-01.
    case date
    /// `timestamp-millis` on a `long`: milliseconds since 1970.
    case timestampMillis
    /// `timestamp-micros` on a `long`: microseconds since 1970.
    case timestampMicros
    /// `timestamp-nanos` on a `long` (Avro 1.12): nanoseconds since 1970, what the contracts' timestamps use.
    case timestampNanos
    /// `uuid` on a `string` (its 36 characters) or a 16-byte `fixed`.
    case uuid
    /// `decimal` on `bytes` or a `fixed`: the unscaled value in two's complement, big-endian.
    case decimal(precision: Int, scale: Int)

    /// The name in a schema (`"timestamp-nanos"`).
    public var name: String {
        switch self {
        case .date: "date"
        case .timestampMillis: "timestamp-millis"
        case .timestampMicros: "timestamp-micros"
        case .timestampNanos: "timestamp-nanos"
        case .uuid: "uuid"
        case .decimal: "decimal"
        }
    }
}

/// A record, enum or fixed name: the name and the namespace it is in (fullname `ns.name`).
public struct AvroName: Sendable, Hashable, CustomStringConvertible {
    /// The name without its namespace.
    public var name: String
    /// The namespace, nil for the null namespace.
    public var namespace: String?

    /// `name` in `namespace`.
    public init(name: String, namespace: String?) {
        self.name = name
        self.namespace = namespace.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// `namespace.name`, or the name alone in the null namespace.
    public var fullName: String { namespace.map { "\($0).\(name)" } ?? name }
    /// The full name.
    public var description: String { fullName }
}

/// A record schema: its fields in the order they are written.
public struct AvroRecord: Sendable, Hashable {
    /// The record's name.
    public var name: AvroName
    /// Other names a reader matches the record by.
    public var aliases: [String]
    /// Its fields, in the order they are written.
    public var fields: [AvroField]

    /// A record of `fields`.
    public init(name: AvroName, aliases: [String] = [], fields: [AvroField]) {
        self.name = name
        self.aliases = aliases
        self.fields = fields
    }
}

/// One field of a record: its type, and what a reader uses when a writer lacks it.
public struct AvroField: Sendable, Hashable {
    /// The field's name.
    public var name: String
    /// Other names a reader matches the field by (a renamed field keeps its old name here).
    public var aliases: [String]
    /// The field's type.
    public var type: AvroSchema
    /// The default in Avro's JSON encoding of the type (a union's: of its first branch).
    public var defaultValue: JSONValue?

    /// A field of `type`; `defaultValue` in Avro's JSON encoding of the type.
    public init(name: String, aliases: [String] = [], type: AvroSchema, defaultValue: JSONValue? = nil) {
        self.name = name
        self.aliases = aliases
        self.type = type
        self.defaultValue = defaultValue
    }
}

/// An enum schema; `defaultSymbol` is what a reader takes for a symbol it does not know.
public struct AvroEnum: Sendable, Hashable {
    /// The enum's name.
    public var name: AvroName
    /// Other names a reader matches the enum by.
    public var aliases: [String]
    /// Its symbols, in order: a value is written as its position here.
    public var symbols: [String]
    /// The symbol a reader takes for one it does not know; nil when an unknown one is an error.
    public var defaultSymbol: String?

    /// An enum of `symbols`.
    public init(name: AvroName, aliases: [String] = [], symbols: [String], defaultSymbol: String? = nil) {
        self.name = name
        self.aliases = aliases
        self.symbols = symbols
        self.defaultSymbol = defaultSymbol
    }
}

/// A fixed-size byte string (a `decimal` may sit on one).
public struct AvroFixed: Sendable, Hashable {
    /// The fixed type's name.
    public var name: AvroName
    /// Other names a reader matches it by.
    public var aliases: [String]
    /// How many bytes every value has.
    public var size: Int
    /// `decimal` when the bytes carry one.
    public var logicalType: AvroLogicalType?

    /// A fixed type of `size` bytes.
    public init(name: AvroName, aliases: [String] = [], size: Int, logicalType: AvroLogicalType? = nil) {
        self.name = name
        self.aliases = aliases
        self.size = size
        self.logicalType = logicalType
    }
}

/// Why a schema could not be read: what is wrong, and where in the schema.
public struct AvroSchemaError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Where in the schema, as a path of names (`PaymentCompleted.total.amount`); empty at the top.
    public var path: String
    /// What is wrong.
    public var message: String

    /// An error at `path`.
    public init(path: String, _ message: String) {
        self.path = path
        self.message = message
    }

    /// What is wrong, and where.
    public var description: String { path.isEmpty ? "Avro schema: \(message)" : "Avro schema, at '\(path)': \(message)" }
}

extension AvroSchema {
    /// Parses a schema from its JSON text (`.avsc`, a registry's `schema` string).
    public init(json text: String) throws(AvroSchemaError) {
        let value: JSONValue
        do {
            value = try JSONValue.parse(text)
        } catch {
            throw AvroSchemaError(path: "", "not JSON: \(error)")
        }
        try self.init(json: value)
    }

    /// Parses a schema from a JSON tree.
    public init(json value: JSONValue) throws(AvroSchemaError) {
        var parser = AvroSchemaParser()
        self = try parser.schema(value, namespace: nil, path: "")
    }
}

/// Reads schemas as Avro 1.12's specification defines them: primitive names, complex types,
/// named types with namespaces inherited and referenced by (full) name, unions, logical types.
private struct AvroSchemaParser {
    /// Named types defined so far, by fullname: later references expand to them.
    var named: [String: AvroSchema] = [:]
    /// Names whose definition is being read: a reference to one is recursion.
    var defining: Set<String> = []

    static let primitives: [String: AvroSchema] = [
        "null": .null, "boolean": .boolean, "int": .int(nil), "long": .long(nil), "float": .float, "double": .double,
        "bytes": .bytes(nil), "string": .string(nil),
    ]

    mutating func schema(_ value: JSONValue, namespace: String?, path: String) throws(AvroSchemaError) -> AvroSchema {
        switch value {
        case .string(let name):
            return try reference(name, namespace: namespace, path: path)
        case .array(let branches):
            var schemas: [AvroSchema] = []
            for branch in branches {
                let schema = try schema(branch, namespace: namespace, path: path)
                if case .union = schema { throw AvroSchemaError(path: path, "a union cannot hold a union directly") }
                schemas.append(schema)
            }
            try Self.checkUnion(schemas, path: path)
            return .union(schemas)
        case .object:
            return try complex(value, namespace: namespace, path: path)
        default:
            throw AvroSchemaError(path: path, "a schema is a name, an object or an array, not \(value.compact())")
        }
    }

    func reference(_ name: String, namespace: String?, path: String) throws(AvroSchemaError) -> AvroSchema {
        if let primitive = Self.primitives[name] { return primitive }
        let fullName = name.contains(".") ? name : AvroName(name: name, namespace: namespace).fullName
        for candidate in [fullName, name] {
            if defining.contains(candidate) {
                throw AvroSchemaError(path: path, "'\(candidate)' refers to itself: recursive schemas are not supported")
            }
            if let schema = named[candidate] { return schema }
        }
        throw AvroSchemaError(path: path, "unknown type '\(name)'")
    }

    mutating func complex(_ value: JSONValue, namespace: String?, path: String) throws(AvroSchemaError) -> AvroSchema {
        guard let type = value["type"] else { throw AvroSchemaError(path: path, "the object has no \"type\"") }
        guard case .string(let kind) = type else {
            // {"type": {...}} or {"type": [...]}: the nested schema, attributes aside.
            return try schema(type, namespace: namespace, path: path)
        }
        let logical = value["logicalType"]?.stringValue
        switch kind {
        case "record", "error": return try record(value, namespace: namespace, path: path)
        case "enum": return try enumeration(value, namespace: namespace, path: path)
        case "fixed": return try fixed(value, namespace: namespace, path: path, logical: logical)
        case "array":
            guard let items = value["items"] else { throw AvroSchemaError(path: path, "an array needs \"items\"") }
            return .array(try schema(items, namespace: namespace, path: path + "[]"))
        case "map":
            guard let values = value["values"] else { throw AvroSchemaError(path: path, "a map needs \"values\"") }
            return .map(try schema(values, namespace: namespace, path: path + "{}"))
        default:
            let base = try reference(kind, namespace: namespace, path: path)
            return Self.annotated(base, logical: logical, attributes: value)
        }
    }

    /// A primitive with the logical type it carries, when the runtime knows the logical type and
    /// it fits the primitive; otherwise the primitive alone (Avro: ignore what does not apply).
    static func annotated(_ base: AvroSchema, logical: String?, attributes: JSONValue) -> AvroSchema {
        switch (base, logical) {
        case (.int, "date"): return .int(.date)
        case (.long, "timestamp-millis"): return .long(.timestampMillis)
        case (.long, "timestamp-micros"): return .long(.timestampMicros)
        case (.long, "timestamp-nanos"): return .long(.timestampNanos)
        case (.string, "uuid"): return .string(.uuid)
        case (.bytes, "decimal"): return .bytes(decimal(attributes, maximumPrecision: Int.max))
        default: return base
        }
    }

    /// A valid decimal's precision and scale (precision > 0, 0 ≤ scale ≤ precision); nil otherwise.
    static func decimal(_ attributes: JSONValue, maximumPrecision: Int) -> AvroLogicalType? {
        guard let precision = integer(attributes["precision"]), precision > 0, precision <= maximumPrecision else { return nil }
        let scale = attributes["scale"].map { integer($0) ?? -1 } ?? 0
        guard scale >= 0, scale <= precision else { return nil }
        return .decimal(precision: precision, scale: scale)
    }

    static func integer(_ value: JSONValue?) -> Int? {
        guard case .number(let text)? = value else { return nil }
        return Int(text)
    }

    mutating func named(_ value: JSONValue, namespace: String?, path: String) throws(AvroSchemaError) -> AvroName {
        guard let name = value["name"]?.stringValue else { throw AvroSchemaError(path: path, "a named type needs a \"name\"") }
        let parts = name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        let simple = parts.last ?? name
        let space = parts.count > 1 ? parts.dropLast().joined(separator: ".") : (value["namespace"]?.stringValue ?? namespace)
        for part in parts.dropLast() + [simple] where !Self.isName(part) {
            throw AvroSchemaError(path: path, "'\(name)' is not a valid Avro name")
        }
        let result = AvroName(name: simple, namespace: space)
        if named[result.fullName] != nil || defining.contains(result.fullName) {
            throw AvroSchemaError(path: path, "'\(result.fullName)' is defined twice")
        }
        return result
    }

    static func aliases(_ value: JSONValue) -> [String] {
        guard case .array(let items)? = value["aliases"] else { return [] }
        return items.compactMap(\.stringValue)
    }

    mutating func record(_ value: JSONValue, namespace: String?, path: String) throws(AvroSchemaError) -> AvroSchema {
        let name = try named(value, namespace: namespace, path: path)
        let here = path.isEmpty ? name.name : path
        guard case .array(let items)? = value["fields"] else { throw AvroSchemaError(path: here, "a record needs \"fields\"") }
        defining.insert(name.fullName)
        var fields: [AvroField] = []
        for item in items {
            guard let fieldName = item["name"]?.stringValue, Self.isName(fieldName) else {
                throw AvroSchemaError(path: here, "a field needs a valid \"name\"")
            }
            guard !fields.contains(where: { $0.name == fieldName }) else {
                throw AvroSchemaError(path: here, "the field '\(fieldName)' is declared twice")
            }
            guard let type = item["type"] else { throw AvroSchemaError(path: here + "." + fieldName, "the field has no \"type\"") }
            let schema = try schema(type, namespace: name.namespace, path: here + "." + fieldName)
            fields.append(AvroField(name: fieldName, aliases: Self.aliases(item), type: schema, defaultValue: item["default"]))
        }
        defining.remove(name.fullName)
        let record = AvroSchema.record(AvroRecord(name: name, aliases: Self.aliases(value), fields: fields))
        named[name.fullName] = record
        return record
    }

    mutating func enumeration(_ value: JSONValue, namespace: String?, path: String) throws(AvroSchemaError) -> AvroSchema {
        let name = try named(value, namespace: namespace, path: path)
        guard case .array(let items)? = value["symbols"] else { throw AvroSchemaError(path: path, "an enum needs \"symbols\"") }
        let symbols = items.compactMap(\.stringValue)
        guard symbols.count == items.count, symbols.allSatisfy(Self.isName), Set(symbols).count == symbols.count else {
            throw AvroSchemaError(path: path, "an enum's symbols must be distinct Avro names")
        }
        let defaultSymbol = value["default"]?.stringValue
        if let defaultSymbol, !symbols.contains(defaultSymbol) {
            throw AvroSchemaError(path: path, "the enum's default '\(defaultSymbol)' is not one of its symbols")
        }
        let schema = AvroSchema.enumeration(AvroEnum(name: name, aliases: Self.aliases(value), symbols: symbols, defaultSymbol: defaultSymbol))
        named[name.fullName] = schema
        return schema
    }

    mutating func fixed(_ value: JSONValue, namespace: String?, path: String, logical: String?) throws(AvroSchemaError) -> AvroSchema {
        let name = try named(value, namespace: namespace, path: path)
        guard let size = Self.integer(value["size"]), size >= 0 else { throw AvroSchemaError(path: path, "a fixed needs a \"size\"") }
        var logicalType: AvroLogicalType? = nil
        if logical == "decimal" {
            // The largest precision `size` bytes of two's complement can hold.
            let bits = Double(size * 8 - 1)
            logicalType = Self.decimal(value, maximumPrecision: size == 0 ? 0 : Int((bits * 0.30102999566398120).rounded(.down)))
        }
        let schema = AvroSchema.fixed(AvroFixed(name: name, aliases: Self.aliases(value), size: size, logicalType: logicalType))
        named[name.fullName] = schema
        return schema
    }

    /// A union holds no two schemas of the same type, except named types of different names.
    static func checkUnion(_ schemas: [AvroSchema], path: String) throws(AvroSchemaError) {
        var seen: Set<String> = []
        for schema in schemas {
            let key: String = switch schema {
            case .record(let record): record.name.fullName
            case .enumeration(let enumeration): enumeration.name.fullName
            case .fixed(let fixed): fixed.name.fullName
            default: schema.kindName
            }
            guard seen.insert(key).inserted else { throw AvroSchemaError(path: path, "the union holds '\(key)' twice") }
        }
    }

    /// `[A-Za-z_][A-Za-z0-9_]*`.
    static func isName(_ text: String) -> Bool {
        guard let first = text.utf8.first, first == UInt8(ascii: "_") || (first | 0x20) >= UInt8(ascii: "a") && (first | 0x20) <= UInt8(ascii: "z")
        else { return false }
        return text.utf8.allSatisfy { byte in
            byte == UInt8(ascii: "_") || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                || ((byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z"))
        }
    }
}
