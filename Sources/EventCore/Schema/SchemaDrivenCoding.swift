import Foundation

/// Reads and writes values by schema alone, with no generated type: what tools need to show a
/// record of any contract version (`eventc-ops decode`, dead letters), and what tests use to
/// write every version's data. Values are the contract's canonical JSON — the forms generated
/// encoders write: uuids, timestamps (RFC 3339), dates (ISO 8601) and decimals as strings, bytes
/// as base64, enum symbols as strings, optionals as null or the value.
///
/// It drives the same `EventDecoder`s and `EventEncoder`s generated code does, so what it reads
/// and writes is what the formats read and write.
public enum SchemaDrivenCoding {
    /// JSON written as `writer` (a version's schema), read as `reader`'s canonical JSON.
    public static func read(json bytes: [UInt8], writer: AvroSchema, reader: AvroSchema) throws(EventDecodingError) -> JSONValue {
        let plan = ReadPlan(writer: writer, reader: reader)
        return try JSONReader.withReader(bytes) { (decoder) throws(EventDecodingError) -> JSONValue in
            decoder.node = plan.root
            let value = try withExtendedLifetime(plan) { () throws(EventDecodingError) -> JSONValue in try read(&decoder, as: reader) }
            try decoder.end()
            return value
        }
    }

    /// Avro binary (unframed) written with `writer`, read as `reader`'s canonical JSON.
    public static func read(avro bytes: [UInt8], writer: AvroSchema, reader: AvroSchema) throws(EventDecodingError) -> JSONValue {
        let plan = ReadPlan(writer: writer, reader: reader)
        return try bytes.withUnsafeBufferPointer { (buffer) throws(EventDecodingError) -> JSONValue in
            try AvroReader.withReader(UnsafeRawBufferPointer(buffer), plan: plan) { (decoder) throws(EventDecodingError) -> JSONValue in
                let value = try read(&decoder, as: reader)
                try decoder.end()
                return value
            }
        }
    }

    /// Reads one value of the reader's `schema` (the decoder's plan says what the writer wrote).
    public static func read<Decoder: EventDecoder & ~Copyable>(
        _ decoder: inout Decoder, as schema: AvroSchema
    ) throws(EventDecodingError) -> JSONValue {
        switch schema {
        case .null:
            throw EventDecodingError(.wrongType, path: "", offset: decoder.offset, "a null field carries nothing to read")
        case .boolean: return .bool(try decoder.bool())
        case .int(.date?): return .string(try decoder.date().description)
        case .int: return .number(String(try decoder.int()))
        case .long(.timestampMillis?), .long(.timestampMicros?), .long(.timestampNanos?): return .string(try decoder.timestamp().description)
        case .long: return .number(String(try decoder.long()))
        case .float:
            let value = try decoder.float()
            return try number(decoder.offset) { (writer) throws(EventEncodingError) in try writer.float(value) }
        case .double:
            let value = try decoder.double()
            return try number(decoder.offset) { (writer) throws(EventEncodingError) in try writer.double(value) }
        case .bytes(.decimal?):
            return .string(try decoder.decimal().text)
        case .fixed(let fixed) where fixed.logicalType != nil:
            return .string(try decoder.decimal().text)
        case .bytes, .fixed: return .string(Base64.string(try decoder.byteString()))
        case .string(.uuid?): return .string(String(decoding: UUIDText.bytes(try decoder.uuid()), as: UTF8.self))
        case .string: return .string(try decoder.string())
        case .enumeration(let enumeration):
            let index = try decoder.symbol(
                EventNames(enumeration.symbols), defaultSymbol: enumeration.defaultSymbol.flatMap(enumeration.symbols.firstIndex(of:)),
                type: enumeration.name.name)
            return .string(enumeration.symbols[index])
        case .array(let items):
            return .array(try decoder.array { (decoder) throws(EventDecodingError) -> JSONValue in try read(&decoder, as: items) })
        case .map(let values):
            let map = try decoder.map { (decoder) throws(EventDecodingError) -> JSONValue in try read(&decoder, as: values) }
            return .object(map.sorted { $0.key < $1.key })
        case .union(let branches):
            guard let wrapped = optionalBranch(branches) else {
                throw EventDecodingError(.wrongType, path: "", offset: decoder.offset, "the reader's union is no optional: contracts have none")
            }
            return try decoder.optional { (decoder) throws(EventDecodingError) -> JSONValue in try read(&decoder, as: wrapped) } ?? .null
        case .record(let record):
            return try decoder.record { (decoder) throws(EventDecodingError) -> JSONValue in try readFields(&decoder, of: record) }
        }
    }

    static func readFields<Decoder: EventDecoder & ~Copyable>(
        _ decoder: inout Decoder, of record: AvroRecord
    ) throws(EventDecodingError) -> JSONValue {
        var values = [JSONValue?](repeating: nil, count: record.fields.count)
        try decoder.fields { (decoder, field) throws(EventDecodingError) in values[field] = try read(&decoder, as: record.fields[field].type) }
        var members: [(String, JSONValue)] = []
        for (index, field) in record.fields.enumerated() {
            if let value = values[index] {
                members.append((field.name, value))
            } else if let fallback = field.defaultValue {
                do {
                    members.append((field.name, try canonicalDefault(fallback, as: field.type)))
                } catch {
                    throw EventDecodingError(.invalidFormat, path: field.name, offset: decoder.offset, "the reader's default: \(error.message)")
                }
            } else {
                throw EventDecodingError(.missingField, path: field.name, offset: decoder.offset, "required field is missing")
            }
        }
        return .object(members)
    }

    /// A number as the JSON writer writes it (shortest exact text; non-finite refused).
    static func number(_ offset: Int, _ write: (inout JSONWriter) throws(EventEncodingError) -> Void) throws(EventDecodingError) -> JSONValue {
        var writer = JSONWriter(capacity: 32)
        do {
            try write(&writer)
        } catch {
            throw EventDecodingError(.numberOutOfRange, path: "", offset: offset, error.message)
        }
        return .number(String(decoding: writer.bytes, as: UTF8.self))
    }

    /// The value branch of a union that is an optional (`["null", T]` or `[T, "null"]`).
    static func optionalBranch(_ branches: [AvroSchema]) -> AvroSchema? {
        guard branches.count == 2, branches.contains(.null) else { return nil }
        return branches.first { $0 != .null }
    }

    /// A field's default, given in Avro's JSON encoding of its type (bytes as U+0000…U+00FF
    /// strings, logical types as their underlying values), in the canonical form.
    public static func canonicalDefault(_ value: JSONValue, as schema: AvroSchema) throws(EventEncodingError) -> JSONValue {
        func invalid() -> EventEncodingError { EventEncodingError(path: "", "\(value.compact()) is no default of a \(schema.kindName)") }
        switch (schema, value) {
        case (.null, .null), (.boolean, .bool), (.string(nil), .string), (.enumeration, .string): return value
        case (.string(.uuid?), .string(let text)):
            guard let uuid = UUIDText.parse(Array(text.utf8)) else { throw invalid() }
            return .string(String(decoding: UUIDText.bytes(uuid), as: UTF8.self))
        case (.int(.date?), .number(let text)):
            guard let days = Int64(text) else { throw invalid() }
            return .string(LocalDate(daysSince1970: days).description)
        case (.long(let logical?), .number(let text)):
            guard let count = Int64(text) else { throw invalid() }
            let perSecond: Int64 = logical == .timestampMillis ? 1000 : logical == .timestampMicros ? 1_000_000 : 1_000_000_000
            var (seconds, fraction) = count.quotientAndRemainder(dividingBy: perSecond)
            if fraction < 0 { (seconds, fraction) = (seconds - 1, fraction + perSecond) }
            return .string(Timestamp(secondsSince1970: seconds, nanoseconds: Int32(fraction * (1_000_000_000 / perSecond))).description)
        case (.int, .number(let text)), (.long, .number(let text)):
            guard let integer = Int64(text) else { throw invalid() }
            return .number(String(integer))
        case (.float, .number(let text)):
            guard let float = Float(text) else { throw invalid() }
            var writer = JSONWriter(capacity: 32)
            try writer.float(float)
            return .number(String(decoding: writer.bytes, as: UTF8.self))
        case (.double, .number(let text)):
            guard let double = Double(text) else { throw invalid() }
            var writer = JSONWriter(capacity: 32)
            try writer.double(double)
            return .number(String(decoding: writer.bytes, as: UTF8.self))
        case (.bytes(.decimal(_, let scale)?), .string(let text)):
            let bytes = try byteString(text, invalid)
            guard let decimal = bytes.withUnsafeBufferPointer({ AvroDecimal.text(twosComplement: $0, scale: scale) }) else { throw invalid() }
            return .string(decimal)
        case (.bytes, .string(let text)), (.fixed, .string(let text)):
            return .string(Base64.string(try byteString(text, invalid)))
        case (.array(let items), .array(let values)):
            var converted: [JSONValue] = []
            for item in values { converted.append(try canonicalDefault(item, as: items)) }
            return .array(converted)
        case (.map(let valueSchema), .object(let entries)):
            var converted: [(String, JSONValue)] = []
            for (key, item) in entries.sorted(by: { $0.0 < $1.0 }) { converted.append((key, try canonicalDefault(item, as: valueSchema))) }
            return .object(converted)
        case (.record(let record), .object):
            var members: [(String, JSONValue)] = []
            for field in record.fields {
                guard let given = value[field.name] ?? field.defaultValue else { throw invalid() }
                members.append((field.name, try canonicalDefault(given, as: field.type)))
            }
            return .object(members)
        case (.union(let branches), _):
            // A union's default is of its first branch.
            guard let first = branches.first else { throw invalid() }
            return try canonicalDefault(value, as: first)
        default:
            throw invalid()
        }
    }

    /// Avro's JSON encoding of bytes: each character one byte, U+0000…U+00FF.
    static func byteString(_ text: String, _ invalid: () -> EventEncodingError) throws(EventEncodingError) -> [UInt8] {
        var bytes: [UInt8] = []
        for scalar in text.unicodeScalars {
            guard scalar.value <= 0xFF else { throw invalid() }
            bytes.append(UInt8(scalar.value))
        }
        return bytes
    }

    /// Writes `value`, in the canonical JSON of `schema`, to `encoder`; fields it lacks take the
    /// schema's defaults.
    public static func write<Encoder: EventEncoder & ~Copyable>(
        _ value: JSONValue, as schema: AvroSchema, to encoder: inout Encoder
    ) throws(EventEncodingError) {
        func invalid() -> EventEncodingError { EventEncodingError(path: "", "\(value.compact()) is not a \(schema.kindName) in the canonical JSON") }
        switch (schema, value) {
        case (.boolean, .bool(let flag)): encoder.bool(flag)
        case (.int(.date?), .string(let text)):
            guard let date = LocalDate(iso: text) else { throw invalid() }
            encoder.date(date)
        case (.int, .number(let text)):
            guard let integer = Int32(text) else { throw invalid() }
            encoder.int(integer)
        case (.long(.some), .string(let text)):
            guard let timestamp = Timestamp(rfc3339: Array(text.utf8)) else { throw invalid() }
            try encoder.timestamp(timestamp)
        case (.long, .number(let text)):
            guard let integer = Int64(text) else { throw invalid() }
            encoder.long(integer)
        case (.float, .number(let text)):
            guard let float = Float(text) else { throw invalid() }
            try encoder.float(float)
        case (.double, .number(let text)):
            guard let double = Double(text) else { throw invalid() }
            try encoder.double(double)
        case (.bytes(.decimal?), .string(let text)):
            guard let decimal = ExactDecimal(text) else { throw invalid() }
            try encoder.decimal(decimal)
        case (.bytes, .string(let text)):
            guard let bytes = Base64.decode(text) else { throw invalid() }
            encoder.byteString(bytes)
        case (.string(.uuid?), .string(let text)):
            guard let uuid = UUIDText.parse(Array(text.utf8)) else { throw invalid() }
            encoder.uuid(uuid)
        case (.string, .string(let text)): encoder.string(text)
        case (.enumeration(let enumeration), .string(let symbol)):
            guard let index = enumeration.symbols.firstIndex(of: symbol) else { throw invalid() }
            encoder.symbol(index, of: EventNames(enumeration.symbols))
        case (.array(let items), .array(let values)):
            try encoder.array(values) { (encoder, item) throws(EventEncodingError) in try write(item, as: items, to: &encoder) }
        case (.map(let valueSchema), .object(let entries)):
            let map = Dictionary(entries, uniquingKeysWith: { _, last in last })
            try encoder.map(map) { (encoder, item) throws(EventEncodingError) in try write(item, as: valueSchema, to: &encoder) }
        case (.union(let branches), _):
            guard let wrapped = optionalBranch(branches) else { throw EventEncodingError(path: "", "unions other than optionals cannot be written") }
            try encoder.optional(value == .null ? nil : value, nullFirst: branches[0] == .null) { (encoder, present) throws(EventEncodingError) in
                try write(present, as: wrapped, to: &encoder)
            }
        case (.record(let record), .object):
            try encoder.record(EventNames(record.fields.map(\.name))) { (encoder) throws(EventEncodingError) in
                for (index, field) in record.fields.enumerated() {
                    encoder.field(index)
                    if let given = value[field.name] {
                        try write(given, as: field.type, to: &encoder)
                    } else if let fallback = field.defaultValue {
                        try write(try canonicalDefault(fallback, as: field.type), as: field.type, to: &encoder)
                    } else {
                        throw EventEncodingError(path: "", "required field is missing")
                    }
                }
            }
        default:
            throw invalid()
        }
    }
}
