import Foundation

/// JSON as generated `init(from:)` reads it. An object's members are matched against the member
/// names of the version that wrote it (its read plan's record), in that version's order first: the
/// compact form generated encoders write costs one comparison per member; any order, whitespace
/// and unknown members are read too. Each member the reader knows is handed over by its reader
/// field number; promotions need nothing, as a JSON number reads as the wider type directly.
extension JSONReader: EventDecoder {
    /// The byte offset the reader is at.
    public var offset: Int { position }

    /// The writer's record this object is, from the plan: a value the writer declared as
    /// something else is a `wrongType` error naming what it declared.
    @inlinable @inline(__always)
    func recordPlan() throws(EventDecodingError) -> UnsafePointer<RecordPlan> {
        guard let node = presentNode(), let record = node.pointee.record else { throw mismatch("an object") }
        return record
    }

    /// The current node, or for a union the branch a present (non-null) JSON value takes.
    @inlinable @inline(__always)
    func presentNode() -> UnsafePointer<ReadNode>? {
        guard let node, node.pointee.writer == .union else { return node }
        guard node.pointee.presentBranch >= 0, let branches = node.pointee.branches else { return nil }
        return branches[node.pointee.presentBranch]
    }

    @usableFromInline
    func mismatch(_ expected: String) -> EventDecodingError {
        let writer = presentNode().map { $0.pointee.writer == .unreadable ? ($0.pointee.text?.string ?? "unreadable") : "the writer declared \($0.pointee.writerDescription)" }
        return error(.wrongType, "", "expected \(expected): \(writer ?? "no read plan")")
    }

    /// Hands over each member of the current object the reader knows, by its field number; skips
    /// unknown members (checked as JSON and UTF-8) and the writer's fields the reader lacks. A
    /// reader field the writer's version lacks and that has no default is a `missingField` error.
    @inlinable
    public mutating func fields(_ body: (inout JSONReader, _ field: Int) throws(EventDecodingError) -> Void) throws(EventDecodingError) {
        let plan = try recordPlan()
        if let refusal = plan.pointee.refusal { throw refused(refusal) }
        let names = plan.pointee.names
        let steps = plan.pointee.steps
        let isIdentity = plan.pointee.isIdentity
        try beginObject(path: "")
        var isFirst = true
        var expected = 0
        while true {
            let member: Int
            if expected < names.count, skipKey(names.members + expected, names, isFirst: isFirst) {
                member = expected
                isFirst = false
            } else if expected == names.count, position < bytes.count, bytes[position] == UInt8(ascii: "}") {
                // Every member read, in order: the object ends here.
                position &+= 1
                return
            } else {
                guard let key = try nextKey(isFirst: &isFirst, path: "") else { return }
                guard let index = self.index(of: key, in: names) else {
                    try checkUTF8(key, "")
                    try skipValue(path: "")
                    continue
                }
                member = index
            }
            expected = member &+ 1
            let step = steps[member]
            let field = isIdentity ? member : step.reader
            guard field >= 0 else {
                try skipValue(path: "")
                continue
            }
            node = step.node
            do throws(EventDecodingError) {
                try body(&self, field)
            } catch {
                throw error.inside(member: names.text(at: member))
            }
        }
    }

    @usableFromInline
    func refused(_ field: PlanText) -> EventDecodingError {
        EventDecodingError(
            .missingField, path: field.string, offset: position,
            "the version that wrote this event has no '\(field.string)', and it has no default")
    }

    /// `true` or `false`.
    @inlinable @inline(__always)
    public mutating func bool() throws(EventDecodingError) -> Bool { try readBool(path: "") }

    /// A JSON integer within 32 bits.
    @inlinable @inline(__always)
    public mutating func int() throws(EventDecodingError) -> Int32 { try readInt32(path: "") }

    /// A JSON integer within 64 bits.
    @inlinable @inline(__always)
    public mutating func long() throws(EventDecodingError) -> Int64 { try readInt64(path: "") }

    /// A JSON number, to the nearest `Float`.
    @inlinable @inline(__always)
    public mutating func float() throws(EventDecodingError) -> Float { try readFloat(path: "") }

    /// A JSON number, to the nearest `Double`.
    @inlinable @inline(__always)
    public mutating func double() throws(EventDecodingError) -> Double { try readDouble(path: "") }

    /// A string; the short ASCII ones most fields hold are read in place (`readShortASCIIString`),
    /// here, where the field is read, rather than behind a call to the general path.
    @inlinable @inline(__always)
    public mutating func string() throws(EventDecodingError) -> String {
        if position < bytes.count, bytes[position] == UInt8(ascii: "\""), let short = readShortASCIIString() { return short }
        return try readString(path: "")
    }

    /// Bytes as base64 text (RFC 4648, padded).
    @inlinable @inline(__always)
    public mutating func byteString() throws(EventDecodingError) -> [UInt8] { try readBase64(path: "") }

    /// A decimal as a JSON string holding a JSON number; the text is kept exactly.
    @inlinable @inline(__always)
    public mutating func decimal() throws(EventDecodingError) -> ExactDecimal { try readDecimal(path: "") }

    /// A UUID as its 36-character text, either case.
    @inlinable @inline(__always)
    public mutating func uuid() throws(EventDecodingError) -> UUID { try readUUID(path: "") }

    /// An RFC 3339 date-time, any offset, to nanoseconds.
    @inlinable @inline(__always)
    public mutating func timestamp() throws(EventDecodingError) -> Timestamp { try readTimestamp(path: "") }

    /// A `YYYY-MM-DD` date.
    @inlinable @inline(__always)
    public mutating func date() throws(EventDecodingError) -> LocalDate { try readDate(path: "") }

    /// The position in `symbols` of the JSON string read; an unknown one is `defaultSymbol`, or
    /// an `unknownSymbol` error without one.
    @inlinable @inline(__always)
    public mutating func symbol(
        _ symbols: EventNames, defaultSymbol: Int?, type: @autoclosure () -> String
    ) throws(EventDecodingError) -> Int {
        try readSymbol(symbols, defaultSymbol: defaultSymbol, type: type(), path: "")
    }

    /// A nested object read by `body` (which calls `fields`): schema-driven code.
    @inlinable @inline(__always)
    public mutating func record<Value>(_ body: (inout JSONReader) throws(EventDecodingError) -> Value) throws(EventDecodingError) -> Value {
        try body(&self)
    }

    /// A generated record, through its `init(from:)`.
    @inlinable @inline(__always)
    public mutating func record<Value: EventRecord>(_ type: Value.Type) throws(EventDecodingError) -> Value {
        try Value(from: &self)
    }

    /// A generated enum, by its symbols.
    @inlinable @inline(__always)
    public mutating func enumeration<Value: EventEnum>(_ type: Value.Type) throws(EventDecodingError) -> Value {
        // A generated enum's `_symbols` is a static, alive as long as the program: its table is
        // taken out in a statement of its own, so no copy of the names is kept (retained and
        // released) around the read.
        let symbols = Value._symbols.table
        return Value(_symbolIndex: try readSymbol(symbols, defaultSymbol: Value._defaultSymbol, type: String(describing: Value.self), path: ""))
    }

    /// A JSON array, each element read by `element`; an error names the element's index.
    @inlinable
    public mutating func array<Element>(
        _ element: (inout JSONReader) throws(EventDecodingError) -> Element
    ) throws(EventDecodingError) -> [Element] {
        guard let items = presentNode()?.pointee.child else { throw mismatch("an array") }
        try beginArray(path: "")
        var elements: [Element] = []
        var isFirst = true
        while try nextElement(isFirst: &isFirst, path: "") {
            node = items
            do throws(EventDecodingError) {
                elements.append(try element(&self))
            } catch {
                throw error.inside(index: elements.count)
            }
        }
        return elements
    }

    /// A JSON object of values read by `value`; an error names the key.
    @inlinable
    public mutating func map<Value>(
        _ value: (inout JSONReader) throws(EventDecodingError) -> Value
    ) throws(EventDecodingError) -> [String: Value] {
        guard let values = presentNode()?.pointee.child else { throw mismatch("an object of values") }
        try beginObject(path: "")
        var map: [String: Value] = [:]
        var isFirst = true
        while let key = try nextKey(isFirst: &isFirst, path: "") {
            let name = try text(of: key, path: "")
            node = values
            do throws(EventDecodingError) {
                map[name] = try value(&self)
            } catch {
                throw error.inside(member: name)
            }
        }
        return map
    }

    /// `null` as nil; anything else read by `wrapped`.
    @inlinable @inline(__always)
    public mutating func optional<Wrapped>(
        _ wrapped: (inout JSONReader) throws(EventDecodingError) -> Wrapped
    ) throws(EventDecodingError) -> Wrapped? {
        if try readNull() { return nil }
        node = presentNode()
        return try wrapped(&self)
    }
}
