import Foundation

/// JSON as generated `traverse` writes it: an object per record, its keys from the record's
/// `_fields`, values in the contract's canonical JSON forms (RFC 3339 timestamps, decimals as
/// strings, bytes as base64, map keys sorted).
extension JSONWriter: EventEncoder {
    /// Writes the key of field `index`: the name's token `,"name":` from the table, up to 24
    /// bytes as three word stores (longer ones copied); the first field's comma becomes the
    /// object's `{`.
    @inlinable @inline(__always)
    public mutating func field(_ index: Int) {
        guard let keys else { return }
        currentField = index
        let member = keys.members + index
        let length = member.pointee.length
        output.reserve(32)
        let target = UnsafeMutableRawPointer(output.base + output.count)
        if length <= 24 {
            target.storeBytes(of: member.pointee.key.words.0.littleEndian, as: UInt64.self)
            target.storeBytes(of: member.pointee.key.words.1.littleEndian, toByteOffset: 8, as: UInt64.self)
            target.storeBytes(of: member.pointee.keyTail.littleEndian, toByteOffset: 16, as: UInt64.self)
        } else {
            writeLongKey(member)
        }
        if index == 0 { target.storeBytes(of: UInt8(ascii: "{"), as: UInt8.self) }
        output.count &+= length
    }

    /// A key token longer than 24 bytes, copied whole (the count is advanced by the caller).
    @usableFromInline
    mutating func writeLongKey(_ member: UnsafePointer<EventNames.Member>) {
        guard let keys else { return }
        output.reserve(member.pointee.length)
        UnsafeMutableRawPointer(output.base + output.count).copyMemory(from: keys.tokens + member.pointee.start, byteCount: member.pointee.length)
    }

    /// A JSON integer.
    @inlinable
    public mutating func long(_ value: Int64) { int(value) }

    /// A JSON number, the shortest text that reads back as `value`; NaN and the infinities are refused.
    @inlinable
    public mutating func float(_ value: Float) throws(EventEncodingError) { try float(value, path: "") }

    /// A JSON number, the shortest text that reads back as `value`; NaN and the infinities are refused.
    @inlinable
    public mutating func double(_ value: Double) throws(EventEncodingError) { try double(value, path: "") }

    /// The bytes as base64 text (RFC 4648, padded).
    @inlinable
    public mutating func byteString(_ value: [UInt8]) { base64(value) }

    /// The symbol as a JSON string, copied from the enum's table (`"card"`).
    @inlinable @inline(__always)
    public mutating func symbol(_ index: Int, of symbols: EventNames) {
        withExtendedLifetime(symbols) { writeSymbol(index, of: symbols.table) }
    }

    /// The case's symbol as a JSON string.
    @inlinable @inline(__always)
    public mutating func enumeration<Value: EventEnum>(_ value: Value) {
        // A generated enum's `_symbols` is a static, alive as long as the program: its table is
        // taken out in a statement of its own, so no copy of the names is kept, retained and
        // released, around the write.
        let symbols = Value._symbols.table
        writeSymbol(value._symbolIndex, of: symbols)
    }

    @inlinable @inline(__always)
    mutating func writeSymbol(_ index: Int, of symbols: EventNames.Table) {
        let member = symbols.members[index]
        append(UnsafeBufferPointer(start: symbols.tokens + member.start + 1, count: member.length &- 2))
    }

    /// A generated record as a JSON object, through its `traverse`.
    @inlinable @inline(__always)
    public mutating func record<Value: EventRecord>(_ value: Value) throws(EventEncodingError) {
        // As in `enumeration`: a copy of the names kept around the fields was a retain and a
        // release per nested record.
        let fields = Value._fields.table
        try writeRecord(fields) { (writer) throws(EventEncodingError) in try value.traverse(&writer) }
    }

    /// A JSON object whose keys are `names`, its members written by `body` (schema-driven code).
    @inlinable @inline(__always)
    public mutating func record(
        _ names: EventNames, _ body: (inout JSONWriter) throws(EventEncodingError) -> Void
    ) throws(EventEncodingError) {
        try withExtendedLifetime(names) { () throws(EventEncodingError) in try writeRecord(names.table, body) }
    }

    /// An object whose keys `fields` holds, its members written by `body`.
    @inlinable @inline(__always)
    mutating func writeRecord(
        _ fields: EventNames.Table, _ body: (inout JSONWriter) throws(EventEncodingError) -> Void
    ) throws(EventEncodingError) {
        let outer = (keys, currentField)
        keys = fields
        do throws(EventEncodingError) {
            try body(&self)
        } catch {
            let field = currentField
            (keys, currentField) = outer
            throw error.inside(member: fields.text(at: field))
        }
        (keys, currentField) = outer
        if fields.count == 0 {
            raw("{}")
        } else {
            append(UInt8(ascii: "}"))
        }
    }

    /// A JSON array, each element written by `element`; an error names the element's index.
    @inlinable
    public mutating func array<Element>(
        _ values: [Element], _ element: (inout JSONWriter, Element) throws(EventEncodingError) -> Void
    ) throws(EventEncodingError) {
        append(UInt8(ascii: "["))
        for (index, value) in values.enumerated() {
            if index > 0 { append(UInt8(ascii: ",")) }
            do throws(EventEncodingError) {
                try element(&self, value)
            } catch {
                throw error.inside(index: index)
            }
        }
        append(UInt8(ascii: "]"))
    }

    /// A JSON object of the values, keys sorted: the same map always encodes to the same bytes.
    @inlinable
    public mutating func map<Value>(
        _ values: [String: Value], _ value: (inout JSONWriter, Value) throws(EventEncodingError) -> Void
    ) throws(EventEncodingError) {
        append(UInt8(ascii: "{"))
        for (index, entry) in values.sorted(by: { $0.key < $1.key }).enumerated() {
            if index > 0 { append(UInt8(ascii: ",")) }
            string(entry.key)
            append(UInt8(ascii: ":"))
            do throws(EventEncodingError) {
                try value(&self, entry.value)
            } catch {
                throw error.inside(member: entry.key)
            }
        }
        append(UInt8(ascii: "}"))
    }

    /// `null` for nil, else the value written by `wrapped` (JSON has no union branch to write).
    @inlinable @inline(__always)
    public mutating func optional<Wrapped>(
        _ value: Wrapped?, nullFirst: Bool, _ wrapped: (inout JSONWriter, Wrapped) throws(EventEncodingError) -> Void
    ) throws(EventEncodingError) {
        if let value {
            try wrapped(&self, value)
        } else {
            null()
        }
    }
}
