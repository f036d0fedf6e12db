import Foundation

/// Reads Avro's binary encoding through a read plan: the writer's schema resolved against the
/// reader's (`ReadPlan`), so the same reader takes data written with any version of a contract,
/// or with a schema a Java or Python producer registered. Fields the reader lacks are skipped,
/// unions pick their branch, enum symbols are mapped, promotions applied, logical types
/// converted (timestamps of any unit, decimals of any scale).
///
/// Input is not trusted: every length is checked against what is left before anything is
/// allocated, nesting is bounded, and every problem is an `EventDecodingError` with the field's
/// path and the byte offset.
public struct AvroReader {
    /// The input, borrowed for the duration of `withReader`.
    public let bytes: UnsafeBufferPointer<UInt8>
    @usableFromInline var position = 0
    /// The resolution of the value about to be read; set by each container before each value.
    @usableFromInline var node: UnsafePointer<ReadNode>
    /// How deep in nested values the reader is (skipping hostile input cannot recurse far).
    @usableFromInline var depth = 0
    /// Bounds the nesting of values, as `JSONReader.maximumDepth` does for JSON.
    public static let maximumDepth = 64

    @usableFromInline
    init(buffer: UnsafeBufferPointer<UInt8>, plan: ReadPlan) {
        bytes = buffer
        node = plan.root
    }

    /// Runs `body` with a reader over `bytes`, read as `plan` says. The reader borrows the bytes
    /// and must not escape the closure.
    @inlinable
    public static func withReader<Result, Failure: Error>(
        _ bytes: UnsafeRawBufferPointer, plan: ReadPlan, _ body: (inout AvroReader) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        let buffer = bytes.assumingMemoryBound(to: UInt8.self)
        var reader = AvroReader(buffer: buffer, plan: plan)
        defer { withExtendedLifetime(plan) {} }
        return try body(&reader)
    }

    /// Where the reader is, in bytes.
    public var offset: Int { position }

    /// The input holds nothing after the value.
    @inlinable
    public func end() throws(EventDecodingError) {
        guard position == bytes.count else {
            throw error(.invalidFormat, "\(bytes.count - position) bytes follow the event: the data is not of the writer's schema")
        }
    }

    @usableFromInline
    func error(_ kind: EventDecodingError.Kind, _ message: String) -> EventDecodingError {
        EventDecodingError(kind, path: "", offset: position, message)
    }

    // MARK: Primitives

    @inlinable @inline(__always)
    mutating func byte() throws(EventDecodingError) -> UInt8 {
        guard position < bytes.count else { throw truncated() }
        let value = bytes[position]
        position &+= 1
        return value
    }

    @usableFromInline
    func truncated() -> EventDecodingError { error(.truncated, "the input ends here") }

    /// An unsigned varint of at most ten bytes.
    @inlinable @inline(__always)
    mutating func varint() throws(EventDecodingError) -> UInt64 {
        // One byte: most lengths, counts, branches, symbols and small numbers.
        if position < bytes.count, bytes[position] < 0x80 {
            let value = UInt64(bytes[position])
            position &+= 1
            return value
        }
        return try longVarint()
    }

    @usableFromInline
    mutating func longVarint() throws(EventDecodingError) -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let byte = try self.byte()
            guard shift < 63 || (shift == 63 && byte <= 1) else { throw error(.numberOutOfRange, "the varint does not fit 64 bits") }
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return value }
            shift += 7
        }
    }

    /// A zig-zag `long`.
    @inlinable @inline(__always)
    mutating func zigzagLong() throws(EventDecodingError) -> Int64 {
        let raw = try varint()
        return Int64(bitPattern: raw >> 1) ^ -Int64(bitPattern: raw & 1)
    }

    /// A zig-zag `int`: the same encoding, within 32 bits.
    @inlinable @inline(__always)
    mutating func zigzagInt() throws(EventDecodingError) -> Int32 {
        let start = position
        let value = try zigzagLong()
        guard let narrow = Int32(exactly: value) else {
            throw EventDecodingError(.numberOutOfRange, path: "", offset: start, "\(value) does not fit an Avro int")
        }
        return narrow
    }

    /// A length prefix: not negative, and no longer than what is left.
    @inlinable @inline(__always)
    mutating func length() throws(EventDecodingError) -> Int {
        let start = position
        let value = try zigzagLong()
        guard value >= 0 else { throw EventDecodingError(.invalidFormat, path: "", offset: start, "a negative length (\(value))") }
        guard value <= Int64(bytes.count &- position) else {
            throw EventDecodingError(.truncated, path: "", offset: start, "a length of \(value) bytes, with \(bytes.count - position) left")
        }
        return Int(value)
    }

    /// The next `count` bytes (checked to be there), consumed.
    @inlinable @inline(__always)
    mutating func take(_ count: Int) throws(EventDecodingError) -> UnsafeBufferPointer<UInt8> {
        guard bytes.count &- position >= count else { throw truncated() }
        let slice = UnsafeBufferPointer(rebasing: bytes[position..<(position &+ count)])
        position &+= count
        return slice
    }

    @inlinable @inline(__always)
    mutating func fixedWord<Word: FixedWidthInteger>(_: Word.Type) throws(EventDecodingError) -> Word {
        let size = MemoryLayout<Word>.size
        guard bytes.count &- position >= size, let base = bytes.baseAddress else { throw truncated() }
        let value = Word(littleEndian: UnsafeRawPointer(base + position).loadUnaligned(as: Word.self))
        position &+= size
        return value
    }

    // MARK: Plans

    /// The node of the value about to be read, a writer's union resolved to the branch the data
    /// holds.
    @inlinable @inline(__always)
    mutating func enter() throws(EventDecodingError) -> UnsafePointer<ReadNode> {
        guard node.pointee.writer == .union else { return node }
        return try branch(of: node)
    }

    @usableFromInline
    mutating func branch(of union: UnsafePointer<ReadNode>) throws(EventDecodingError) -> UnsafePointer<ReadNode> {
        let start = position
        let index = try zigzagLong()
        guard index >= 0, index < union.pointee.size, let branches = union.pointee.branches else {
            throw EventDecodingError(.invalidFormat, path: "", offset: start, "union branch \(index) of \(union.pointee.size)")
        }
        return branches[Int(index)]
    }

    /// What the writer wrote is not what the reader expects.
    @usableFromInline
    func mismatch(_ node: UnsafePointer<ReadNode>, _ expected: String) -> EventDecodingError {
        if node.pointee.writer == .unreadable { return error(.wrongType, node.pointee.text?.string ?? "unreadable") }
        if node.pointee.writer == .null { return error(.wrongType, "the writer wrote null where \(expected) is required") }
        return error(.wrongType, "the writer's \(node.pointee.writerDescription) cannot be read as \(expected)")
    }

    /// Skips one value written as `node` says.
    @usableFromInline
    mutating func skip(_ node: UnsafePointer<ReadNode>) throws(EventDecodingError) {
        depth &+= 1
        defer { depth &-= 1 }
        guard depth <= Self.maximumDepth else { throw error(.invalidFormat, "nested deeper than \(Self.maximumDepth)") }
        switch node.pointee.writer {
        case .null: break
        case .boolean: _ = try take(1)
        case .int, .long, .enumeration: _ = try varint()
        case .float: _ = try take(4)
        case .double: _ = try take(8)
        case .bytes, .string: _ = try take(try length())
        case .fixed: _ = try take(node.pointee.size)
        case .record:
            guard let plan = node.pointee.record else { return }
            for index in 0..<plan.pointee.names.count { try skip(plan.pointee.steps[index].node) }
        case .array, .map:
            guard let child = node.pointee.child else { return }
            let isMap = node.pointee.writer == .map
            try blocks(of: child) { (reader) throws(EventDecodingError) in
                if isMap { _ = try reader.take(try reader.length()) }
                try reader.skip(child)
            }
        case .union:
            try skip(try branch(of: node))
        case .unreadable:
            throw mismatch(node, "a value")
        }
    }

    /// Reads an array's or a map's blocks: a count, that many items (a negative count is followed
    /// by the block's size in bytes), until an empty block. A count no input of this size could
    /// hold is refused before any item is read.
    @inlinable
    mutating func blocks(
        of item: UnsafePointer<ReadNode>, _ readItem: (inout AvroReader) throws(EventDecodingError) -> Void
    ) throws(EventDecodingError) {
        var total = 0
        while true {
            let start = position
            var count = try zigzagLong()
            if count == 0 { return }
            if count < 0 {
                guard count != .min else { throw EventDecodingError(.invalidFormat, path: "", offset: start, "a block count of \(count)") }
                count = -count
                _ = try length()  // the block's size in bytes, which a reader may use to skip it
            }
            // Every item takes at least a byte, but for nulls and empty records: those are
            // bounded by a fixed limit instead.
            let limit = item.pointee.canBeEmpty ? 1 << 16 : bytes.count &- position
            guard count <= Int64(limit &- total) else {
                throw EventDecodingError(.invalidFormat, path: "", offset: start, "a block of \(count) items cannot fit the input")
            }
            total &+= Int(count)
            for _ in 0..<count { try readItem(&self) }
        }
    }
}

extension AvroReader: EventDecoder {
    /// Hands over each field of the current record the reader knows, in the writer's order;
    /// skips the writer's fields the reader lacks. A field the reader has and the writer lacks
    /// takes its default in generated code; one without a default is refused here (`missingField`).
    @inlinable
    public mutating func fields(_ body: (inout AvroReader, _ field: Int) throws(EventDecodingError) -> Void) throws(EventDecodingError) {
        let record = try enter()
        guard let plan = record.pointee.record else { throw mismatch(record, "a record") }
        if let refusal = plan.pointee.refusal {
            throw EventDecodingError(
                .missingField, path: refusal.string, offset: position,
                "the writer's schema has no '\(refusal.string)', and it has no default")
        }
        let steps = plan.pointee.steps
        depth &+= 1
        guard depth <= Self.maximumDepth else { throw error(.invalidFormat, "nested deeper than \(Self.maximumDepth)") }
        for index in 0..<plan.pointee.names.count {
            let step = steps[index]
            do throws(EventDecodingError) {
                if step.reader < 0 {
                    try skip(step.node)
                } else {
                    node = step.node
                    try body(&self, step.reader)
                }
            } catch {
                throw error.inside(member: plan.pointee.names.text(at: index))
            }
        }
        depth &-= 1
    }

    /// A boolean: one byte, 0 or 1 (any other byte is `invalidFormat`).
    @inlinable
    public mutating func bool() throws(EventDecodingError) -> Bool {
        let node = try enter()
        guard node.pointee.writer == .boolean else { throw mismatch(node, "a boolean") }
        switch try byte() {
        case 0: return false
        case 1: return true
        case let other: throw error(.invalidFormat, "\(other) is not a boolean")
        }
    }

    /// An int: a zig-zag varint of at most 32 bits.
    @inlinable
    public mutating func int() throws(EventDecodingError) -> Int32 {
        let node = try enter()
        guard node.pointee.writer == .int else { throw mismatch(node, "an int") }
        return try zigzagInt()
    }

    /// A long, or an int the writer wrote (Avro's promotion).
    @inlinable
    public mutating func long() throws(EventDecodingError) -> Int64 {
        let node = try enter()
        switch node.pointee.writer {
        case .long: return try zigzagLong()
        case .int: return Int64(try zigzagInt())
        default: throw mismatch(node, "a long")
        }
    }

    /// A float, or an int or long the writer wrote (promoted).
    @inlinable
    public mutating func float() throws(EventDecodingError) -> Float {
        let node = try enter()
        switch node.pointee.writer {
        case .float: return Float(bitPattern: try fixedWord(UInt32.self))
        case .int: return Float(try zigzagInt())
        case .long: return Float(try zigzagLong())
        default: throw mismatch(node, "a float")
        }
    }

    /// A double, or a float, int or long the writer wrote (promoted).
    @inlinable
    public mutating func double() throws(EventDecodingError) -> Double {
        let node = try enter()
        switch node.pointee.writer {
        case .double: return Double(bitPattern: try fixedWord(UInt64.self))
        case .float: return Double(Float(bitPattern: try fixedWord(UInt32.self)))
        case .int: return Double(try zigzagInt())
        case .long: return Double(try zigzagLong())
        default: throw mismatch(node, "a double")
        }
    }

    /// A string, or bytes promoted to one (they must be UTF-8).
    @inlinable
    public mutating func string() throws(EventDecodingError) -> String {
        let node = try enter()
        guard node.pointee.writer == .string || node.pointee.writer == .bytes else { throw mismatch(node, "a string") }
        let start = position
        let text = try take(try length())
        guard let string = UTF8Check.string(text) else {
            throw EventDecodingError(.invalidUTF8, path: "", offset: start, "the string is not valid UTF-8")
        }
        return string
    }

    /// Bytes, a string promoted to bytes, or a fixed.
    @inlinable
    public mutating func byteString() throws(EventDecodingError) -> [UInt8] {
        let node = try enter()
        switch node.pointee.writer {
        case .bytes, .string: return Array(try take(try length()))
        case .fixed: return Array(try take(node.pointee.size))
        default: throw mismatch(node, "bytes")
        }
    }

    /// A `decimal` on bytes or a fixed, at the writer's scale; a value with more digits than the
    /// writer's precision allows is refused (`numberOutOfRange`).
    public mutating func decimal() throws(EventDecodingError) -> ExactDecimal {
        let node = try enter()
        guard node.pointee.logical == .decimal else { throw mismatch(node, "a decimal") }
        let start = position
        let raw: UnsafeBufferPointer<UInt8>
        switch node.pointee.writer {
        case .bytes: raw = try take(try length())
        case .fixed: raw = try take(node.pointee.size)
        default: throw mismatch(node, "a decimal")
        }
        guard let text = AvroDecimal.text(twosComplement: raw, scale: node.pointee.scale) else {
            throw EventDecodingError(.invalidFormat, path: "", offset: start, "a decimal of \(raw.count) bytes (1 to 64 are read)")
        }
        // The bytes can hold more digits than the writer's schema allows: such a value is no
        // value of the schema (and could not be written again), so it is refused, not kept.
        guard AvroDecimal.fitsAnyValue(byteCount: raw.count, precision: node.pointee.precision)
            || AvroDecimal.fits(text, precision: node.pointee.precision, scale: node.pointee.scale)
        else {
            throw EventDecodingError(
                .numberOutOfRange, path: "", offset: start,
                "\(text) does not fit the writer's decimal(\(node.pointee.precision), \(node.pointee.scale))")
        }
        return ExactDecimal(uncheckedText: text)
    }

    /// A `uuid` on a string (its 36 characters) or on a 16-byte fixed.
    @inlinable
    public mutating func uuid() throws(EventDecodingError) -> UUID {
        let node = try enter()
        let start = position
        switch node.pointee.writer {
        case .string:
            let text = try take(try length())
            guard let (high, low) = UUIDText.words(text) else {
                throw EventDecodingError(.invalidFormat, path: "", offset: start, "not a UUID")
            }
            return UUIDText.uuid(high, low)
        case .fixed where node.pointee.size == 16:
            let raw = try take(16)
            guard let base = raw.baseAddress else { throw truncated() }
            return UUID(uuid: UnsafeRawPointer(base).loadUnaligned(as: uuid_t.self))
        default:
            throw mismatch(node, "a uuid")
        }
    }

    /// A timestamp in the writer's unit (a long with no logical type is read as nanoseconds).
    @inlinable
    public mutating func timestamp() throws(EventDecodingError) -> Timestamp {
        let node = try enter()
        guard node.pointee.writer == .long else { throw mismatch(node, "a timestamp") }
        let start = position
        let value = try zigzagLong()
        let (perSecond, isNanoseconds): (Int64, Bool) = switch node.pointee.logical {
        case .timestampMillis: (1000, false)
        case .timestampMicros: (1_000_000, false)
        default: (1_000_000_000, true)
        }
        var seconds = value / perSecond
        var fraction = value % perSecond
        if fraction < 0 {
            seconds -= 1
            fraction += perSecond
        }
        let timestamp = Timestamp(secondsSince1970: seconds, nanoseconds: Int32(isNanoseconds ? fraction : fraction * (1_000_000_000 / perSecond)))
        guard Timestamp.rfc3339Range.contains(timestamp.secondsSince1970) else {
            throw EventDecodingError(.numberOutOfRange, path: "", offset: start, "\(value) is outside the years 0000 to 9999")
        }
        return timestamp
    }

    /// A `date`: days since 1970.
    @inlinable
    public mutating func date() throws(EventDecodingError) -> LocalDate {
        let node = try enter()
        guard node.pointee.writer == .int else { throw mismatch(node, "a date") }
        let start = position
        let days = try zigzagInt()
        let date = LocalDate(daysSince1970: Int64(days))
        guard (0...9999).contains(date.year) else {
            throw EventDecodingError(.numberOutOfRange, path: "", offset: start, "day \(days) is outside the years 0000 to 9999")
        }
        return date
    }

    /// The reader's position of the enum symbol written; a symbol the reader lacks is
    /// `defaultSymbol`, or an `unknownSymbol` error without one.
    @inlinable
    public mutating func symbol(
        _ symbols: EventNames, defaultSymbol: Int?, type: @autoclosure () -> String
    ) throws(EventDecodingError) -> Int {
        try symbolIndex(defaultSymbol: defaultSymbol, type: type())
    }

    /// The reader's position of the symbol read (the writer's symbols are in the plan: the
    /// reader's own names are not needed).
    @inlinable
    mutating func symbolIndex(defaultSymbol: Int?, type: @autoclosure () -> String) throws(EventDecodingError) -> Int {
        let node = try enter()
        guard node.pointee.writer == .enumeration, let map = node.pointee.symbolMap else { throw mismatch(node, "an enum") }
        let start = position
        let index = try zigzagLong()
        guard index >= 0, index < node.pointee.size else {
            throw EventDecodingError(.invalidFormat, path: "", offset: start, "symbol \(index) of \(node.pointee.size)")
        }
        let readerIndex = map[Int(index)]
        if readerIndex >= 0 { return readerIndex }
        guard let defaultSymbol else {
            let name = node.pointee.symbols?.text(at: Int(index)) ?? "#\(index)"
            throw EventDecodingError(.unknownSymbol, path: "", offset: start, "'\(name)' is not a symbol of \(type())")
        }
        return defaultSymbol
    }

    /// A nested record read by `body` (which calls `fields`): schema-driven code.
    @inlinable
    public mutating func record<Value>(_ body: (inout AvroReader) throws(EventDecodingError) -> Value) throws(EventDecodingError) -> Value {
        try body(&self)
    }

    /// A generated record, through its `init(from:)`.
    @inlinable
    public mutating func record<Value: EventRecord>(_ type: Value.Type) throws(EventDecodingError) -> Value {
        try Value(from: &self)
    }

    /// A generated enum: the writer's symbol mapped to the reader's case by the plan.
    @inlinable
    public mutating func enumeration<Value: EventEnum>(_ type: Value.Type) throws(EventDecodingError) -> Value {
        Value(_symbolIndex: try symbolIndex(defaultSymbol: Value._defaultSymbol, type: String(describing: Value.self)))
    }

    /// An array: blocks of items (a negative count carries the block's byte size) until an empty block.
    @inlinable
    public mutating func array<Element>(
        _ element: (inout AvroReader) throws(EventDecodingError) -> Element
    ) throws(EventDecodingError) -> [Element] {
        let array = try enter()
        guard array.pointee.writer == .array, let items = array.pointee.child else { throw mismatch(array, "an array") }
        var elements: [Element] = []
        try blocks(of: items) { (reader) throws(EventDecodingError) in
            reader.node = items
            do throws(EventDecodingError) {
                elements.append(try element(&reader))
            } catch {
                throw error.inside(index: elements.count)
            }
        }
        return elements
    }

    /// A map: blocks of string keys and values until an empty block; a repeated key keeps the last value.
    @inlinable
    public mutating func map<Value>(
        _ value: (inout AvroReader) throws(EventDecodingError) -> Value
    ) throws(EventDecodingError) -> [String: Value] {
        let map = try enter()
        guard map.pointee.writer == .map, let values = map.pointee.child else { throw mismatch(map, "a map") }
        var result: [String: Value] = [:]
        try blocks(of: values) { (reader) throws(EventDecodingError) in
            let start = reader.position
            guard let key = UTF8Check.string(try reader.take(try reader.length())) else {
                throw EventDecodingError(.invalidUTF8, path: "", offset: start, "the map key is not valid UTF-8")
            }
            reader.node = values
            do throws(EventDecodingError) {
                result[key] = try value(&reader)
            } catch {
                throw error.inside(member: key)
            }
        }
        return result
    }

    /// Null (a union's null branch, or a writer's null), or the value.
    @inlinable
    public mutating func optional<Wrapped>(
        _ wrapped: (inout AvroReader) throws(EventDecodingError) -> Wrapped
    ) throws(EventDecodingError) -> Wrapped? {
        if node.pointee.writer == .union { node = try branch(of: node) }
        if node.pointee.writer == .null { return nil }
        return try wrapped(&self)
    }
}
