/// The field names of one record shape (or the symbols of one enum), in the order its writer
/// puts them: what generated code declares, once, as a `static let` (`_fields`, `_symbols`), and
/// what the resolution of a writer's schema builds for that writer's record. JSON reads and
/// writes keys from it; every format names fields in errors from it.
///
/// Each name is kept as the token `,"name":`, back to back in one buffer, so the reader can
/// check that the input continues with exactly the member it expects next with one comparison
/// (from the second byte for the first member, which has no comma). A struct of plain pointers
/// (`table`) and the object that owns their memory: code reading a generated type's static table
/// touches only the pointers, so no reference count changes per record (as a class, retaining and
/// releasing the table cost ~80 instructions per PaymentCompleted decoded). Its memory is written
/// only while it is made.
///
/// For generated code and the runtime's formats: applications do not use it directly.
public struct EventNames: @unchecked Sendable {
    /// The names' memory, as plain pointers.
    @usableFromInline let table: Table
    /// Owns the memory `table` points into; freed with the last copy.
    private let storage: Storage

    /// How many names there are.
    public var count: Int { table.count }

    final class Storage {
        let tokens: UnsafeMutablePointer<UInt8>
        let members: UnsafeMutablePointer<Member>
        let count: Int

        init(tokens: UnsafeMutablePointer<UInt8>, members: UnsafeMutablePointer<Member>, count: Int) {
            self.tokens = tokens
            self.members = members
            self.count = count
        }

        deinit {
            tokens.deallocate()
            members.deinitialize(count: count)
            members.deallocate()
        }
    }

    /// A member's key token, `,"name":`. Its first 16 bytes are kept as two little-endian words
    /// and two masks: the input holds the token when its next 16 bytes, masked, equal the words
    /// (and, past 16 bytes, the rest matches). Two loads and compares per expected member, not a
    /// loop over a length known only at run time: this kept decoding as fast as when each decoder
    /// compared its own compile-time tokens (the loop cost ~10% of PaymentCompleted's decode).
    @usableFromInline
    struct Member {
        @usableFromInline var key: Prefix
        /// The token's bytes 16 to 23 (zeros past its end): with `key`'s words, the whole of any
        /// token up to 24 bytes, which the JSON writer stores as three words.
        @usableFromInline var keyTail: UInt64
        /// The name as a JSON string, `"name"`: how an enum's symbol appears as a value.
        @usableFromInline var symbol: Prefix
        @usableFromInline var start: Int
        @usableFromInline var length: Int
    }

    /// Up to 16 bytes of a token as two little-endian words, and which of their bytes count.
    @usableFromInline
    struct Prefix {
        @usableFromInline var words: (UInt64, UInt64)
        @usableFromInline var masks: (UInt64, UInt64)

        init(_ bytes: some Collection<UInt8>) {
            words = (0, 0)
            masks = (0, 0)
            for (offset, byte) in bytes.prefix(16).enumerated() {
                let shift = UInt64(offset % 8) * 8
                if offset < 8 {
                    words.0 |= UInt64(byte) << shift
                    masks.0 |= 0xFF << shift
                } else {
                    words.1 |= UInt64(byte) << shift
                    masks.1 |= 0xFF << shift
                }
            }
        }

        /// Whether the 16 bytes at `raw` hold this prefix.
        @inlinable @inline(__always)
        func matches(_ raw: UnsafeRawPointer) -> Bool {
            UInt64(littleEndian: raw.loadUnaligned(as: UInt64.self)) & masks.0 == words.0
                && UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)) & masks.1 == words.1
        }
    }

    /// The names, which are not escaped: generated code passes only ASCII identifiers.
    public init(_ names: StaticString...) {
        self.init(names.map { Array(UnsafeBufferPointer(start: $0.utf8Start, count: $0.utf8CodeUnitCount)) })
    }

    /// Names read from a schema at run time. A name JSON would have to escape cannot be matched
    /// byte for byte; Avro names (`[A-Za-z_][A-Za-z0-9_]*`) never need it.
    public init(_ names: [String]) {
        self.init(names.map { Array($0.utf8) })
    }

    init(_ names: [[UInt8]]) {
        let members = UnsafeMutablePointer<Member>.allocate(capacity: Swift.max(1, names.count))
        let tokens = UnsafeMutablePointer<UInt8>.allocate(capacity: Swift.max(1, names.reduce(0) { $0 + $1.count + 4 }))
        var end = 0
        for (index, name) in names.enumerated() {
            let token = [UInt8(ascii: ","), UInt8(ascii: "\"")] + name + [UInt8(ascii: "\""), UInt8(ascii: ":")]
            let tail = token.dropFirst(16).prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (UInt64($1.offset) * 8) }
            (members + index).initialize(to: Member(
                key: Prefix(token), keyTail: tail, symbol: Prefix(token.dropFirst().dropLast()), start: end, length: token.count))
            for byte in token {
                tokens[end] = byte
                end += 1
            }
        }
        storage = Storage(tokens: tokens, members: members, count: names.count)
        table = Table(members: UnsafePointer(members), tokens: UnsafePointer(tokens), count: names.count)
    }

    /// The name's text, for messages.
    public func text(at index: Int) -> String { table.text(at: index) }

    /// A name table's memory, borrowed from the `EventNames` that owns it (a generated type's
    /// `static let`, or a read plan's storage, both kept for as long as the table is used).
    @usableFromInline @frozen
    struct Table {
        @usableFromInline let members: UnsafePointer<Member>
        @usableFromInline let tokens: UnsafePointer<UInt8>
        @usableFromInline let count: Int

        @usableFromInline
        init(members: UnsafePointer<Member>, tokens: UnsafePointer<UInt8>, count: Int) {
            self.members = members
            self.tokens = tokens
            self.count = count
        }

        /// The name at `index`, without its quotes.
        @usableFromInline
        func name(at index: Int) -> UnsafeBufferPointer<UInt8> {
            // Between `,"` and `":`.
            UnsafeBufferPointer(start: tokens + members[index].start + 2, count: members[index].length - 4)
        }

        /// The name's text, for messages and paths.
        @usableFromInline
        func text(at index: Int) -> String { String(decoding: name(at: index), as: UTF8.self) }

        /// Which name `bytes` is; nil when none.
        @usableFromInline
        func index(of bytes: UnsafeBufferPointer<UInt8>) -> Int? {
            for index in 0..<count {
                let name = name(at: index)
                guard name.count == bytes.count else { continue }
                guard let start = name.baseAddress, let base = bytes.baseAddress else { return index }  // both empty
                if SWAR.equal(start, base, count: bytes.count) { return index }
            }
            return nil
        }
    }
}

/// Code generated for runtime API versions 1 to 3 names its tables `JSONNames`.
///
/// For generated code and the runtime's formats: applications do not use it directly.
public typealias JSONNames = EventNames

extension JSONReader {
    /// Reads an object whose members `names` lists, calling `readMember` with each member's
    /// index in `names` while the reader is on its value; unknown members are skipped (forward
    /// compatibility), a repeated one is read again. Any key order and whitespace are read; the
    /// compact form in the writer's order, which generated encoders write, costs one comparison
    /// per member. The state machine every generated decoder used to carry, here so a fix reaches
    /// them all with the runtime.
    ///
    /// Always inlined: `readMember` is then a closure literal the optimiser inlines too, and the
    /// decoder's fields stay in registers rather than behind a context pointer.
    @inlinable @inline(__always)
    public mutating func readObject(
        _ names: EventNames, path: @autoclosure () -> String,
        _ readMember: (inout JSONReader, _ member: Int) throws(EventDecodingError) -> Void
    ) throws(EventDecodingError) {
        try beginObject(path: path())
        let table = names.table
        var isFirst = true
        var expected = 0
        while true {
            let member: Int
            if expected < names.count, skipKey(table.members + expected, table, isFirst: isFirst) {
                member = expected
                isFirst = false
            } else if expected == names.count, position < bytes.count, bytes[position] == UInt8(ascii: "}") {
                // Every member read, in order: the object ends here.
                position &+= 1
                return
            } else {
                guard let key = try nextKey(isFirst: &isFirst, path: path()) else { return }
                guard let index = self.index(of: key, in: table) else {
                    try checkUTF8(key, path())
                    try skipValue(path: path())
                    continue
                }
                member = index
            }
            try readMember(&self, member)
            expected = member &+ 1
        }
    }

    /// Consumes the key token of `member` (`,"name":`, or `"name":` for an object's first member)
    /// if the input continues with exactly its bytes.
    @inlinable @inline(__always)
    mutating func skipKey(_ member: UnsafePointer<EventNames.Member>, _ names: EventNames.Table, isFirst: Bool) -> Bool {
        guard let input = bytes.baseAddress else { return false }
        if !isFirst, bytes.count &- position >= 16 {
            let raw = UnsafeRawPointer(input + position)
            guard member.pointee.key.matches(raw), member.pointee.length <= 16 || skipKeyRest(member.pointee, names)
            else { return false }
            position &+= member.pointee.length
            return true
        }
        // The first member (no comma), or too near the end of the input to read 16 bytes.
        let skip = isFirst ? 1 : 0
        let length = member.pointee.length &- skip
        guard bytes.count &- position >= length, SWAR.equal(input + position, names.tokens + member.pointee.start + skip, count: length)
        else { return false }
        position &+= length
        return true
    }

    /// Whether the input matches a key token longer than 16 bytes past its first 16 bytes, which
    /// the caller has matched.
    @usableFromInline
    func skipKeyRest(_ member: EventNames.Member, _ names: EventNames.Table) -> Bool {
        guard bytes.count - position >= member.length, let input = bytes.baseAddress else { return false }
        return SWAR.equal(input + position + 16, names.tokens + member.start + 16, count: member.length - 16)
    }

    /// Which of `names` a key read by `nextKey` is.
    @usableFromInline
    func index(of key: Key, in names: EventNames.Table) -> Int? {
        switch key {
        case .raw(let range): names.index(of: UnsafeBufferPointer(rebasing: bytes[range]))
        case .decoded(let text): text.utf8.withContiguousStorageIfAvailable { names.index(of: $0) } ?? nil
        }
    }

    /// Reads a string that should be one of `symbols` and returns its index. A symbol this code
    /// does not know reads as `defaultSymbol` when the enum has one (an older reader meets a newer
    /// writer's symbol), and is an `unknownSymbol` error naming `type` otherwise. Invalid UTF-8 is
    /// refused either way.
    @inlinable
    public mutating func readSymbol(
        _ symbols: EventNames, defaultSymbol: Int?, type: @autoclosure () -> String, path: @autoclosure () -> String
    ) throws(EventDecodingError) -> Int {
        try withExtendedLifetime(symbols) { () throws(EventDecodingError) in
            try readSymbol(symbols.table, defaultSymbol: defaultSymbol, type: type(), path: path())
        }
    }

    /// `readSymbol` with the names' table, which its owner keeps alive.
    @inlinable
    mutating func readSymbol(
        _ table: EventNames.Table, defaultSymbol: Int?, type: @autoclosure () -> String, path: @autoclosure () -> String
    ) throws(EventDecodingError) -> Int {
        skipWhitespace()
        // A short symbol (its quoted form within 16 bytes: most are) is matched whole, quotes
        // included, without scanning the string first; its closing quote cannot be escaped, as
        // the byte before it is the symbol's own.
        if bytes.count &- position >= 16, let input = bytes.baseAddress {
            let raw = UnsafeRawPointer(input + position)
            for index in 0..<table.count where table.members[index].length <= 16 + 2 {
                let member = table.members[index]
                if member.symbol.matches(raw) {
                    position &+= member.length &- 2
                    return index
                }
            }
        }
        let offset = position
        let symbol = try readSymbol(path: path())
        if let index = index(of: symbol, in: table) { return index }
        let text = try self.text(of: symbol, path: path())
        guard let defaultSymbol else {
            throw EventDecodingError(.unknownSymbol, path: path(), offset: offset, "'\(text)' is not a symbol of \(type())")
        }
        return defaultSymbol
    }

    /// Reads an array, each element with `readElement` (given the reader and the element's index,
    /// for its path).
    @inlinable
    public mutating func readArray<Element>(
        path: @autoclosure () -> String, _ readElement: (inout JSONReader, _ index: Int) throws(EventDecodingError) -> Element
    ) throws(EventDecodingError) -> [Element] {
        try beginArray(path: path())
        var elements: [Element] = []
        var isFirst = true
        while try nextElement(isFirst: &isFirst, path: path()) {
            elements.append(try readElement(&self, elements.count))
        }
        return elements
    }

    /// Reads an object as a map, each value with `readValue` (given the reader and the key).
    @inlinable
    public mutating func readMap<Value>(
        path: @autoclosure () -> String, _ readValue: (inout JSONReader, _ key: String) throws(EventDecodingError) -> Value
    ) throws(EventDecodingError) -> [String: Value] {
        try beginObject(path: path())
        var map: [String: Value] = [:]
        var isFirst = true
        while let key = try nextKey(isFirst: &isFirst, path: path()) {
            let name = try text(of: key, path: path())
            map[name] = try readValue(&self, name)
        }
        return map
    }

    /// `null`, or a value read with `readValue`.
    @inlinable @inline(__always)
    public mutating func readOptional<Value>(
        _ readValue: (inout JSONReader) throws(EventDecodingError) -> Value
    ) throws(EventDecodingError) -> Value? {
        if try readNull() { return nil }
        return try readValue(&self)
    }

    /// `value`, or a `missingField` error for the member `name` of the object at `path`.
    @inlinable @inline(__always)
    public func required<Value>(
        _ value: consuming Value?, _ name: StaticString, path: @autoclosure () -> String
    ) throws(EventDecodingError) -> Value {
        guard let value else { throw missingField(name, path: path()) }
        return value
    }

    @usableFromInline
    func missingField(_ name: StaticString, path: String) -> EventDecodingError {
        EventDecodingError(.missingField, path: Self.path(path, "\(name)"), offset: position, "required field is missing")
    }

    /// For data written by a version that never carried a field this code requires (and that has
    /// no default): skips the value and throws `missingField`. Such data cannot take this shape.
    public mutating func refuseVersion(
        _ version: Int, missing name: StaticString, path: @autoclosure () -> String
    ) throws(EventDecodingError) -> Never {
        let offset = position
        try skipValue(path: path())
        throw EventDecodingError(
            .missingField, path: Self.path(path(), "\(name)"), offset: offset,
            "version \(version) does not carry '\(name)' and it has no default")
    }

    /// `parent[index]`: element paths in errors.
    public static func path(_ parent: String, index: Int) -> String { "\(parent)[\(index)]" }
}
