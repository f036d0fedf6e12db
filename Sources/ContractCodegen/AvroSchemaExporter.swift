import ContractChecker
import ContractModel
import EventCore

/// Each version of a contract as an Avro schema (`.avsc`), so teams can register contracts in a
/// Schema Registry. Optional types become a union with null first and default null; enums keep
/// their default; uuid, timestamp, date and decimal use Avro's logical types
/// (decimal as bytes with precision 38 and scale 18).
public enum AvroSchemaExporter {
    public static let decimalPrecision = 38
    public static let decimalScale = 18

    public static func schema(of contract: CheckedContract, version: CheckedVersion) -> JSONValue {
        var exporter = Exporter(version: version, namespace: avroNamespace(contract.namespace))
        var members: [(String, JSONValue)] = [
            ("type", .string("record")),
            ("name", .string(contract.event)),
            ("namespace", .string(exporter.namespace)),
        ]
        if let summary = contract.summary { members.append(("doc", .string(summary))) }
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
    /// Named types already written out: later uses refer to them by name, as Avro requires.
    var defined: Set<String> = []

    init(version: CheckedVersion, namespace: String) {
        self.version = version
        self.namespace = namespace
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
        if let doc = field.doc { members.append(("doc", .string(doc))) }
        if !field.aliases.isEmpty { members.append(("aliases", .array(field.aliases.map { .string($0) }))) }
        return .object(members)
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
                if let doc = named.doc { members.append(("doc", .string(doc))) }
                members.append(("fields", .array(fields.map { field($0) })))
            case .enumeration(let symbols, let defaultSymbol):
                members = [("type", .string("enum")), ("name", .string(name)), ("namespace", .string(namespace))]
                if let doc = named.doc { members.append(("doc", .string(doc))) }
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
        case .timestamp: .object([("type", .string("long")), ("logicalType", .string("timestamp-millis"))])
        case .date: .object([("type", .string("int")), ("logicalType", .string("date"))])
        case .decimal:
            .object([("type", .string("bytes")), ("logicalType", .string("decimal")),
                     ("precision", .number(String(AvroSchemaExporter.decimalPrecision))),
                     ("scale", .number(String(AvroSchemaExporter.decimalScale)))])
        }
    }

    /// A default in Avro's JSON encoding: bytes as a string of U+0000…U+00FF, logical types as
    /// their underlying values (timestamp-millis drops digits below a millisecond).
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
            return .string(Self.byteString(AvroDecimal.unscaledBytes(decimal.text, scale: AvroSchemaExporter.decimalScale)))
        case (.timestamp(let time), _): return .number(String(time.secondsSince1970 * 1000 + Int64(time.nanoseconds / 1_000_000)))
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

/// Avro's decimal: the unscaled value as big-endian two's-complement bytes.
enum AvroDecimal {
    /// `text` is a JSON number; digits past `scale` are truncated.
    static func unscaledBytes(_ text: String, scale: Int) -> [UInt8] {
        var mantissa = Substring(text)
        var exponent = 0
        if let e = mantissa.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exponent = Int(mantissa[mantissa.index(after: e)...]) ?? 0
            mantissa = mantissa[..<e]
        }
        let negative = mantissa.hasPrefix("-")
        if negative { mantissa = mantissa.dropFirst() }
        let parts = mantissa.split(separator: ".", omittingEmptySubsequences: false)
        let integer = parts.first.map(String.init) ?? "0"
        let fraction = parts.count > 1 ? String(parts[1]) : ""
        // value = digits × 10^(exponent − fraction.count); unscaled = value × 10^scale.
        let shift = scale + exponent - fraction.count
        var digits = (integer + fraction).compactMap { $0.wholeNumberValue }
        if shift >= 0 {
            digits += Array(repeating: 0, count: shift)
        } else {
            digits = Array(digits.dropLast(min(-shift, digits.count)))
        }
        var magnitude = toBytes(decimalDigits: digits)
        // Room for the sign bit.
        if let first = magnitude.first, first & 0x80 != 0 { magnitude.insert(0, at: 0) }
        if magnitude.isEmpty { magnitude = [0] }
        guard negative, magnitude.contains(where: { $0 != 0 }) else { return magnitude }
        var result = magnitude.map { ~$0 }
        for index in result.indices.reversed() {
            let (sum, overflow) = result[index].addingReportingOverflow(1)
            result[index] = sum
            if !overflow { break }
        }
        return result
    }

    /// Base-10 digits → base-256 digits, by repeated division.
    private static func toBytes(decimalDigits: [Int]) -> [UInt8] {
        var digits = Array(decimalDigits.drop { $0 == 0 })
        var bytes: [UInt8] = []
        while !digits.isEmpty {
            var quotient: [Int] = []
            var remainder = 0
            for digit in digits {
                let current = remainder * 10 + digit
                let q = current / 256
                remainder = current % 256
                if !quotient.isEmpty || q != 0 { quotient.append(q) }
            }
            bytes.insert(UInt8(remainder), at: 0)
            digits = quotient
        }
        return bytes
    }
}
