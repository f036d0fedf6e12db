import ContractModel
import EventCore

/// Each version of a contract as an Avro schema (`.avsc`), so teams can register contracts in a
/// Schema Registry. Optional types become a union with null first and default null; enums keep
/// their default; uuid, timestamp, date and decimal use Avro's logical types
/// (decimal as bytes with precision 38 and scale 18).
public enum AvroSchemaExporter {
    public static let decimalPrecision = 38
    public static let decimalScale = 18

    public static func schema(of contract: Contract, version: ContractVersion) -> JSONValue {
        var exporter = Exporter(scope: contract.typeScope(for: version), namespace: avroNamespace(contract.namespace.value))
        var members: [(String, JSONValue)] = [
            ("type", .string("record")),
            ("name", .string(contract.event?.value ?? "Event")),
            ("namespace", .string(exporter.namespace)),
        ]
        if let summary = contract.summary?.value { members.append(("doc", .string(summary))) }
        members.append(("fields", .array(version.fields.map { exporter.field($0) })))
        return .object(members)
    }

    /// Avro namespaces are dotted identifiers: '-' is not allowed, so it becomes '_'.
    static func avroNamespace(_ namespace: String) -> String {
        String(namespace.map { $0 == "-" ? "_" : $0 })
    }
}

private struct Exporter {
    let scope: TypeScope
    let namespace: String
    /// Named types already written out: later uses refer to them by name, as Avro requires.
    var defined: Set<String> = []

    init(scope: TypeScope, namespace: String) {
        self.scope = scope
        self.namespace = namespace
    }

    mutating func field(_ field: Field) -> JSONValue {
        var members: [(String, JSONValue)] = [("name", .string(field.name))]
        let literal = field.type.flatMap { type -> Literal? in
            guard let node = field.defaultValue else { return nil }
            var resolver = DefaultResolver(scope: scope)
            return resolver.resolve(node, as: type, path: field.name)
        }
        if let type = field.type {
            // A union's default must match its first branch: null first unless the default is a value.
            if case .optional(let wrapped) = type, let literal, literal != .null {
                members.append(("type", .array([schema(wrapped), .string("null")])))
                members.append(("default", avroDefault(literal, type: wrapped)))
            } else {
                members.append(("type", schema(type)))
                if type.isOptional {
                    members.append(("default", .null))
                } else if let literal {
                    members.append(("default", avroDefault(literal, type: type)))
                }
            }
        }
        if let doc = field.doc { members.append(("doc", .string(doc))) }
        if !field.aliases.isEmpty { members.append(("aliases", .array(field.aliases.map { .string($0.value) }))) }
        return .object(members)
    }

    mutating func schema(_ type: TypeExpression) -> JSONValue {
        switch type {
        case .optional(let wrapped): return .array([.string("null"), schema(wrapped)])
        case .array(let element): return .object([("type", .string("array")), ("items", schema(element))])
        case .map(let value): return .object([("type", .string("map")), ("values", schema(value))])
        case .primitive(let primitive): return Self.primitive(primitive)
        case .named(let name):
            guard let named = scope[name], defined.insert(name).inserted else { return .string(name) }
            var members: [(String, JSONValue)] = []
            switch named.kind {
            case .record(let fields):
                members = [("type", .string("record")), ("name", .string(name)), ("namespace", .string(namespace))]
                if let doc = named.doc { members.append(("doc", .string(doc))) }
                members.append(("fields", .array(fields.map { field($0) })))
            case .enumeration(let symbols, let defaultSymbol):
                members = [("type", .string("enum")), ("name", .string(name)), ("namespace", .string(namespace))]
                if let doc = named.doc { members.append(("doc", .string(doc))) }
                members.append(("symbols", .array(symbols.map { .string($0.value) })))
                if let defaultSymbol { members.append(("default", .string(defaultSymbol.value))) }
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
    /// their underlying values.
    private func avroDefault(_ literal: Literal, type: TypeExpression) -> JSONValue {
        switch literal {
        case .null: return .null
        case .bool(let value): return .bool(value)
        case .int(let value): return .number(String(value))
        case .float(let value): return .number(value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value))
        case .string(let text), .uuid(let text), .symbol(let text): return .string(text)
        case .bytes(let bytes): return .string(Self.byteString(bytes))
        case .decimal(let text): return .string(Self.byteString(AvroDecimal.unscaledBytes(text, scale: AvroSchemaExporter.decimalScale)))
        case .timestamp(let text): return .number(String(AvroTime.epochMilliseconds(rfc3339: text) ?? 0))
        case .date(let text): return .number(String(AvroTime.epochDays(date: text) ?? 0))
        case .array(let items):
            guard case .array(let element) = type.nonOptional else { return .array([]) }
            return .array(items.map { avroDefault($0, type: element) })
        case .map(let entries):
            guard case .map(let value) = type.nonOptional else { return .object([]) }
            return .object(entries.map { ($0.key, avroDefault($0.value, type: value)) })
        case .record(let entries):
            guard case .named(let name) = type.nonOptional, let record = scope[name] else { return .object([]) }
            return .object(entries.map { entry in
                let fieldType = record.fields.first { $0.name == entry.key }?.type ?? .primitive(.string)
                return (entry.key, avroDefault(entry.value, type: fieldType))
            })
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

/// RFC 3339 and dates as Avro's timestamp-millis and date (days since 1970-01-01), through the
/// runtime's parsers.
enum AvroTime {
    static func epochDays(date text: String) -> Int64? { LocalDate(iso: text)?.daysSince1970 }

    /// Milliseconds since the epoch; digits below a millisecond are dropped.
    static func epochMilliseconds(rfc3339 text: String) -> Int64? {
        Timestamp(rfc3339: Array(text.utf8)).map { $0.secondsSince1970 * 1000 + Int64($0.nanoseconds / 1_000_000) }
    }
}
