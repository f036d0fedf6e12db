import Foundation

/// Writes Avro's binary encoding, for generated code: the fields of a record in order, no field
/// names or tags (the schema says what comes next), zig-zag varints for ints and longs.
///
/// The bytes are exactly what Apache Avro writes for the contract version's schema (`eventc
/// export avro`): uuid as its 36-character string, timestamp as `timestamp-nanos`, date as days,
/// decimal as `decimal(38, 18)` bytes, optionals as `["null", T]` (or `[T, "null"]` for a field
/// whose default is a value), maps with their keys sorted. A value the mapping cannot carry is
/// refused, never rounded.
public struct AvroWriter: ~Copyable, @unchecked Sendable {
    @usableFromInline var output: ByteOutput
    /// The field being written, for the path of an error.
    @usableFromInline var currentField = 0

    /// A writer with a buffer of `capacity` bytes to start with; it grows as needed.
    @inlinable
    public init(capacity: Int = 256) { output = ByteOutput(capacity: capacity) }

    /// A writer that starts in `scratch`, which must outlive it (see `JSONWriter`).
    @inlinable
    init(scratch: UnsafeMutableBufferPointer<UInt8>) { output = ByteOutput(scratch: scratch) }

    /// The bytes written so far, copied into an array of their size.
    public var bytes: [UInt8] { output.bytes }

    /// How many bytes have been written.
    public var byteCount: Int { output.count }

    /// Empties the writer and keeps its buffer for the next event.
    @inlinable
    public mutating func removeAll() { output.count = 0 }

    /// Lends the bytes written so far to `body`; they must not be used after it returns.
    @inlinable
    public func withUnsafeBytes<Result, Failure: Error>(
        _ body: (UnsafeRawBufferPointer) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        try output.withUnsafeBytes(body)
    }

    /// An unsigned varint: seven bits a byte, least significant first.
    @inlinable @inline(__always)
    mutating func varint(_ value: UInt64) {
        output.reserve(10)
        var value = value
        var target = output.base + output.count
        while value >= 0x80 {
            target.pointee = UInt8(truncatingIfNeeded: value) | 0x80
            target += 1
            value >>= 7
        }
        target.pointee = UInt8(truncatingIfNeeded: value)
        output.count = target - output.base + 1
    }

    /// Avro's `long` (and `int`, which has the same encoding): zig-zag, then a varint.
    @inlinable @inline(__always)
    mutating func zigzag(_ value: Int64) {
        varint(UInt64(bitPattern: (value &<< 1) ^ (value >> 63)))
    }

    /// A length-prefixed byte string (`bytes`, `string`).
    @inlinable @inline(__always)
    mutating func lengthPrefixed(_ buffer: UnsafeBufferPointer<UInt8>) {
        zigzag(Int64(buffer.count))
        output.append(buffer)
    }
}

extension AvroWriter: EventEncoder {
    /// Avro writes no keys: the field's number is kept only to name it in an error.
    @inlinable @inline(__always)
    public mutating func field(_ index: Int) { currentField = index }

    /// One byte, 0 or 1.
    @inlinable
    public mutating func bool(_ value: Bool) { output.append(value ? 1 : 0) }

    /// A zig-zag varint.
    @inlinable
    public mutating func int(_ value: Int32) { zigzag(Int64(value)) }

    /// A zig-zag varint.
    @inlinable
    public mutating func long(_ value: Int64) { zigzag(value) }

    /// IEEE 754, little-endian. Avro carries NaN and the infinities.
    @inlinable
    public mutating func float(_ value: Float) throws(EventEncodingError) {
        output.reserve(4)
        UnsafeMutableRawPointer(output.base + output.count).storeBytes(of: value.bitPattern.littleEndian, as: UInt32.self)
        output.count &+= 4
    }

    /// Eight bytes, little-endian (NaN and the infinities too: Avro carries them).
    @inlinable
    public mutating func double(_ value: Double) throws(EventEncodingError) {
        output.reserve(8)
        UnsafeMutableRawPointer(output.base + output.count).storeBytes(of: value.bitPattern.littleEndian, as: UInt64.self)
        output.count &+= 8
    }

    /// The UTF-8 bytes' count, then the bytes.
    @inlinable
    public mutating func string(_ value: String) {
        if value.utf8.withContiguousStorageIfAvailable({ lengthPrefixed($0) }) == nil {
            var value = value
            value.withUTF8 { lengthPrefixed($0) }
        }
    }

    /// The count, then the bytes.
    @inlinable
    public mutating func byteString(_ value: [UInt8]) {
        value.withUnsafeBufferPointer { lengthPrefixed($0) }
    }

    /// `decimal(38, 18)`: the unscaled value as big-endian two's complement, as few bytes as hold it.
    public mutating func decimal(_ value: ExactDecimal) throws(EventEncodingError) {
        guard let unscaled = AvroDecimal.unscaled(value, scale: AvroDecimal.scale, precision: AvroDecimal.precision) else {
            throw EventEncodingError(
                path: "",
                "\(value.text) does not fit Avro's decimal(\(AvroDecimal.precision), \(AvroDecimal.scale)): at most \(AvroDecimal.precision - AvroDecimal.scale) integer and \(AvroDecimal.scale) fraction digits")
        }
        // The length, then the significant bytes of the big-endian value, stored whole and
        // then cut to them.
        let count = AvroDecimal.minimalByteCount(unscaled)
        output.reserve(17)
        output.append(UInt8(truncatingIfNeeded: count &<< 1))  // zig-zag of 1...16: one byte
        let target = UnsafeMutableRawPointer(output.base + output.count)
        var bigEndian = unscaled.bigEndian
        Swift.withUnsafeBytes(of: &bigEndian) { bytes in
            guard let source = bytes.baseAddress else { return }
            target.copyMemory(from: source + (16 &- count), byteCount: count)
        }
        output.count &+= count
    }

    /// The 36-character text, as Avro's `uuid` logical type on a string.
    @inlinable
    public mutating func uuid(_ value: UUID) {
        output.reserve(37)
        output.append(72)  // zig-zag 36
        output.write(upTo: 36) { UUIDText.write(value, into: $0) }
    }

    /// Nanoseconds since 1970 (`timestamp-nanos`); an instant outside the 64-bit range is refused.
    @inlinable
    public mutating func timestamp(_ value: Timestamp) throws(EventEncodingError) {
        guard let nanoseconds = AvroTimestamp.nanoseconds(value) else {
            throw EventEncodingError(path: "", "\(value) is outside Avro's timestamp-nanos (years 1677 to 2262)")
        }
        zigzag(nanoseconds)
    }

    /// Days since 1970 (`date`).
    @inlinable
    public mutating func date(_ value: LocalDate) { zigzag(value.daysSince1970) }

    /// The symbol's position.
    @inlinable
    public mutating func symbol(_ index: Int, of symbols: EventNames) { zigzag(Int64(index)) }

    /// The case's position among the enum's symbols.
    @inlinable @inline(__always)
    public mutating func enumeration<Value: EventEnum>(_ value: Value) { zigzag(Int64(value._symbolIndex)) }

    /// A generated record's fields, in order, through its `traverse`.
    @inlinable @inline(__always)
    public mutating func record<Value: EventRecord>(_ value: Value) throws(EventEncodingError) {
        // The names only for an error's path: `Value._fields` read there, not kept (retained and
        // released) around the fields.
        try writeRecord({ (writer) throws(EventEncodingError) in try value.traverse(&writer) }, fieldName: { Value._fields.text(at: $0) })
    }

    /// A record's fields, written by `body`; `fields` names them in errors (schema-driven code).
    @inlinable @inline(__always)
    public mutating func record(
        _ fields: EventNames, _ body: (inout AvroWriter) throws(EventEncodingError) -> Void
    ) throws(EventEncodingError) {
        try writeRecord(body, fieldName: { fields.text(at: $0) })
    }

    /// A record's fields, written by `body` (Avro writes nothing around them); an error names
    /// the field it came from.
    @inlinable @inline(__always)
    mutating func writeRecord(
        _ body: (inout AvroWriter) throws(EventEncodingError) -> Void, fieldName: (Int) -> String
    ) throws(EventEncodingError) {
        let outer = currentField
        do throws(EventEncodingError) {
            try body(&self)
        } catch {
            let field = currentField
            currentField = outer
            throw error.inside(member: fieldName(field))
        }
        currentField = outer
    }

    /// One block of every item, then the empty block.
    @inlinable
    public mutating func array<Element>(
        _ values: [Element], _ element: (inout AvroWriter, Element) throws(EventEncodingError) -> Void
    ) throws(EventEncodingError) {
        if !values.isEmpty {
            zigzag(Int64(values.count))
            for (index, value) in values.enumerated() {
                do throws(EventEncodingError) {
                    try element(&self, value)
                } catch {
                    throw error.inside(index: index)
                }
            }
        }
        output.append(0)
    }

    /// One block of every entry, keys sorted (the same map always encodes to the same bytes), then the empty block.
    @inlinable
    public mutating func map<Value>(
        _ values: [String: Value], _ value: (inout AvroWriter, Value) throws(EventEncodingError) -> Void
    ) throws(EventEncodingError) {
        if !values.isEmpty {
            zigzag(Int64(values.count))
            for entry in values.sorted(by: { $0.key < $1.key }) {
                string(entry.key)
                do throws(EventEncodingError) {
                    try value(&self, entry.value)
                } catch {
                    throw error.inside(member: entry.key)
                }
            }
        }
        output.append(0)
    }

    /// The union branch's position, then the value.
    @inlinable @inline(__always)
    public mutating func optional<Wrapped>(
        _ value: Wrapped?, nullFirst: Bool, _ wrapped: (inout AvroWriter, Wrapped) throws(EventEncodingError) -> Void
    ) throws(EventEncodingError) {
        if let value {
            output.append(nullFirst ? 2 : 0)  // zig-zag 1 or 0
            try wrapped(&self, value)
        } else {
            output.append(nullFirst ? 0 : 2)
        }
    }
}

/// The contract's `timestamp` on Avro's wire: `timestamp-nanos`, a long of nanoseconds since 1970,
/// which keeps every digit a `Timestamp` has for the years 1677 to 2262.
public enum AvroTimestamp {
    /// Nanoseconds since 1970, nil outside the 64-bit range.
    @inlinable
    public static func nanoseconds(_ value: Timestamp) -> Int64? {
        let (scaled, overflow1) = value.secondsSince1970.multipliedReportingOverflow(by: 1_000_000_000)
        let (nanoseconds, overflow2) = scaled.addingReportingOverflow(Int64(value.nanoseconds))
        return overflow1 || overflow2 ? nil : nanoseconds
    }

    /// Whether `timestamp-nanos` can carry `value`.
    public static func isRepresentable(_ value: Timestamp) -> Bool { nanoseconds(value) != nil }
}
