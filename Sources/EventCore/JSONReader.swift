#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A JSON byte scanner for generated decoders. It reads exactly the grammar of RFC 8259 (no
/// comments, no NaN, no trailing commas), checks UTF-8, bounds nesting, and reports every problem
/// as an `EventDecodingError` with the field path and byte offset. Paths are autoclosures, so the
/// happy path never builds a string.
///
/// For generated code and the runtime's formats: applications do not use it directly.
public struct JSONReader {
    /// The input, borrowed for the duration of `withReader`: scanning a buffer instead of an
    /// array halved decode time (no bounds checks in release builds, no buffer reloads).
    public let bytes: UnsafeBufferPointer<UInt8>
    /// Where the reader is, in bytes. Hot paths are `@inlinable` so generated decoders in other
    /// modules compile them in place (no call, no repeated checks); they need this internal storage.
    @usableFromInline var position = 0
    /// Where the reader is, in bytes from the start of the input.
    public var index: Int { position }
    /// The resolution of the value about to be read (`EventDecoder`): which writer record a JSON
    /// object is, so its members map to the reader's fields. Set by each container before each
    /// of its values; nil for code generated before runtime API version 4, which needs none.
    @usableFromInline var node: UnsafePointer<ReadNode>? = nil
    /// Unknown values are skipped; their nesting is bounded so hostile input cannot recurse far.
    public static let maximumDepth = 64

    @usableFromInline
    init(buffer: UnsafeBufferPointer<UInt8>) { self.bytes = buffer }

    /// Runs `body` with a reader over `bytes`. The reader borrows the bytes and must not escape
    /// the closure (it cannot be stored: it is not `Sendable` and has no public initialiser).
    @inlinable
    public static func withReader<Result, Failure: Error>(
        _ bytes: [UInt8], _ body: (inout JSONReader) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        try bytes.withUnsafeBufferPointer { (buffer) throws(Failure) -> Result in
            var reader = JSONReader(buffer: buffer)
            return try body(&reader)
        }
    }

    /// A key inside the input: a range of raw bytes, or the decoded text when it had escapes.
    @frozen
    public enum Key: Sendable {
        /// The key's bytes in the input, between its quotes (it had no escapes).
        case raw(Range<Int>)
        /// The key's text, its escapes decoded.
        case decoded(String)
    }

    // MARK: Structure

    @inlinable
    mutating func skipWhitespace() {
        // Compact JSON has no whitespace: check once before scanning.
        guard position < bytes.count, bytes[position] <= 0x20 else { return }
        var cursor = position
        scan: while cursor < bytes.count {
            switch bytes[cursor] {
            case 0x20, 0x0A, 0x0D, 0x09: cursor += 1
            default: break scan
            }
        }
        position = cursor
    }

    @usableFromInline
    func error(_ kind: EventDecodingError.Kind, _ path: String, _ message: String) -> EventDecodingError {
        EventDecodingError(kind, path: path, offset: position, message)
    }

    @inlinable
    mutating func peek(_ path: @autoclosure () -> String) throws(EventDecodingError) -> UInt8 {
        skipWhitespace()
        guard position < bytes.count else { throw error(.truncated, path(), "the input ends here") }
        return bytes[position]
    }

    @inlinable
    mutating func expect(_ byte: UInt8, _ path: @autoclosure () -> String) throws(EventDecodingError) {
        let found = try peek(path())
        guard found == byte else {
            throw error(.invalidJSON, path(), "expected '\(Character(Unicode.Scalar(byte)))', found '\(Self.describe(found))'")
        }
        position += 1
    }

    @usableFromInline
    static func describe(_ byte: UInt8) -> String {
        byte >= 0x20 && byte < 0x7F ? String(Character(Unicode.Scalar(byte))) : "\\u{\(String(byte, radix: 16))}"
    }

    /// The input holds nothing after the value but whitespace.
    @inlinable
    public mutating func end() throws(EventDecodingError) {
        skipWhitespace()
        guard position == bytes.count else { throw error(.invalidJSON, "", "unexpected bytes after the event") }
    }

    /// Consumes `{` (after any whitespace); anything else is a `wrongType` error at `path`.
    @inlinable
    public mutating func beginObject(path: @autoclosure () -> String) throws(EventDecodingError) {
        let found = try peek(path())
        guard found == UInt8(ascii: "{") else {
            throw error(.wrongType, path(), "expected an object, found \(kindName(found))")
        }
        position += 1
    }

    /// The next key of the current object, with the reader placed on its value, or nil at `}`.
    /// Objects nest, so each keeps its own `isFirst` flag (true before the first member).
    @inlinable
    public mutating func nextKey(isFirst: inout Bool, path: @autoclosure () -> String) throws(EventDecodingError) -> Key? {
        var byte = try peek(path())
        if byte == UInt8(ascii: "}") {
            position += 1
            return nil
        }
        if !isFirst {
            guard byte == UInt8(ascii: ",") else { throw error(.invalidJSON, path(), "expected ',' or '}'") }
            position += 1
            byte = try peek(path())
        }
        isFirst = false
        guard byte == UInt8(ascii: "\"") else { throw error(.invalidJSON, path(), "expected a key in quotes") }
        let key = try readStringToken(path())
        try expect(UInt8(ascii: ":"), path())
        return key
    }

    /// Consumes `token` if the input continues with exactly its bytes. Generated decoders first
    /// try a version's fields in the order its writer puts them, as the tokens `"name":` and
    /// `,"name":`: compact JSON in that order (what generated encoders write) then costs one
    /// comparison per field, with the token's length known at compile time. On a miss nothing is
    /// consumed and the decoder goes on with `nextKey`, which takes any order and whitespace.
    @inlinable @inline(__always)
    public mutating func skipToken(_ token: StaticString) -> Bool {
        let count = token.utf8CodeUnitCount
        guard bytes.count - position >= count, let base = bytes.baseAddress,
            SWAR.equal(base + position, token.utf8Start, count: count)
        else { return false }
        position += count
        return true
    }

    /// Whether `key` is exactly `name`.
    @inlinable
    public func key(_ key: Key, is name: StaticString) -> Bool {
        switch key {
        case .raw(let range):
            guard range.count == name.utf8CodeUnitCount else { return false }
            return name.withUTF8Buffer { expected in
                guard let base = bytes.baseAddress, let name = expected.baseAddress else { return range.isEmpty }
                return SWAR.equal(base + range.lowerBound, name, count: range.count)
            }
        case .decoded(let text):
            return name.withUTF8Buffer { text.utf8.elementsEqual($0) }
        }
    }

    /// Consumes `[` (after any whitespace); anything else is a `wrongType` error at `path`.
    @inlinable
    public mutating func beginArray(path: @autoclosure () -> String) throws(EventDecodingError) {
        let found = try peek(path())
        guard found == UInt8(ascii: "[") else {
            throw error(.wrongType, path(), "expected an array, found \(kindName(found))")
        }
        position += 1
    }

    /// Whether another element follows; false consumes the closing `]`. Arrays nest, so the caller
    /// keeps `isFirst` for its own array.
    @inlinable
    public mutating func nextElement(isFirst: inout Bool, path: @autoclosure () -> String) throws(EventDecodingError) -> Bool {
        let byte = try peek(path())
        if byte == UInt8(ascii: "]") {
            position += 1
            return false
        }
        if !isFirst {
            guard byte == UInt8(ascii: ",") else { throw error(.invalidJSON, path(), "expected ',' or ']'") }
            position += 1
        }
        isFirst = false
        return true
    }

    /// Consumes `null` if it is next.
    @inlinable
    public mutating func readNull() throws(EventDecodingError) -> Bool {
        guard try peek("") == UInt8(ascii: "n") else { return false }
        try literal("null", "")
        return true
    }

    @inlinable
    mutating func literal(_ word: StaticString, _ path: @autoclosure () -> String) throws(EventDecodingError) {
        let matched = word.withUTF8Buffer { expected -> Bool in
            guard position + expected.count <= bytes.count else { return false }
            for offset in 0..<expected.count where bytes[position + offset] != expected[offset] { return false }
            return true
        }
        guard matched else {
            throw error(position + word.utf8CodeUnitCount > bytes.count ? .truncated : .invalidJSON, path(), "expected \(word)")
        }
        position += word.utf8CodeUnitCount
    }

    @usableFromInline
    func kindName(_ byte: UInt8) -> String {
        switch byte {
        case UInt8(ascii: "{"): "an object"
        case UInt8(ascii: "["): "an array"
        case UInt8(ascii: "\""): "a string"
        case UInt8(ascii: "t"), UInt8(ascii: "f"): "a boolean"
        case UInt8(ascii: "n"): "null"
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): "a number"
        default: "'\(Self.describe(byte))'"
        }
    }

    /// Skips any value (an unknown field: forward compatibility), checking its syntax and that
    /// its strings, keys included, are UTF-8: a skipped value is still part of the input.
    public mutating func skipValue(path: @autoclosure () -> String, depth: Int = 0) throws(EventDecodingError) {
        guard depth < Self.maximumDepth else { throw error(.invalidJSON, path(), "nested deeper than \(Self.maximumDepth)") }
        switch try peek(path()) {
        case UInt8(ascii: "{"):
            position += 1
            var isFirst = true
            while let key = try nextKey(isFirst: &isFirst, path: path()) {
                try checkUTF8(key, path())
                try skipValue(path: path(), depth: depth + 1)
            }
        case UInt8(ascii: "["):
            position += 1
            var isFirst = true
            while try nextElement(isFirst: &isFirst, path: path()) { try skipValue(path: path(), depth: depth + 1) }
        case UInt8(ascii: "\""):
            try checkUTF8(try readStringToken(path()), path())
        case UInt8(ascii: "t"): try literal("true", path())
        case UInt8(ascii: "f"): try literal("false", path())
        case UInt8(ascii: "n"): try literal("null", path())
        default:
            _ = try numberToken(path())
        }
    }

    /// Refuses a key or string read raw (without a `String` made of it) that is not UTF-8; one
    /// with escapes was checked as it was decoded. ASCII, the common case, takes a word scan.
    @usableFromInline
    func checkUTF8(_ token: Key, _ path: @autoclosure () -> String) throws(EventDecodingError) {
        guard case .raw(let range) = token else { return }
        let text = UnsafeBufferPointer(rebasing: bytes[range])
        // Whole ASCII blocks before it, so the rest starts on a character boundary.
        let rest = UnsafeBufferPointer(rebasing: text[SWAR.asciiBlocksPrefixLength(of: text)...])
        guard rest.contains(where: { $0 >= 0x80 }) else { return }
        guard String._tryFromUTF8(rest) != nil else {
            throw EventDecodingError(.invalidUTF8, path: path(), offset: range.lowerBound, "the string is not valid UTF-8")
        }
    }

    // MARK: Scalars

    /// `true` or `false`.
    @inlinable
    public mutating func readBool(path: @autoclosure () -> String) throws(EventDecodingError) -> Bool {
        switch try peek(path()) {
        case UInt8(ascii: "t"):
            try literal("true", path())
            return true
        case UInt8(ascii: "f"):
            try literal("false", path())
            return false
        case let other:
            throw error(.wrongType, path(), "expected a boolean, found \(kindName(other))")
        }
    }

    /// A JSON string, its escapes decoded, checked as UTF-8.
    @inlinable
    public mutating func readString(path: @autoclosure () -> String) throws(EventDecodingError) -> String {
        let found = try peek(path())
        guard found == UInt8(ascii: "\"") else { throw error(.wrongType, path(), "expected a string, found \(kindName(found))") }
        if let short = readShortASCIIString() { return short }
        switch try readStringToken(path()) {
        case .raw(let range):
            let text = UTF8Check.string(UnsafeBufferPointer(rebasing: bytes[range]))
            guard let text else {
                throw EventDecodingError(.invalidUTF8, path: path(), offset: range.lowerBound, "the string is not valid UTF-8")
            }
            return text
        case .decoded(let text):
            return text
        }
    }

    /// The string at the reader (on its `"`) when it is at most 15 ASCII bytes with no escape, as
    /// most of an event's strings are (ids, codes, currencies, short notes); nil, with nothing
    /// consumed, for any other. Two word loads find the closing quote (the lowest flag of the
    /// special-byte test is exact), check ASCII, and hold the text the small string is made of:
    /// no scan, no validation pass, no copy. Scanning, validating and building the string apart
    /// cost ~200 instructions a string of PaymentCompleted's decode (callgrind), this ~40.
    @inlinable @inline(__always)
    mutating func readShortASCIIString() -> String? {
        let start = position &+ 1
        guard bytes.count &- start >= 16, let base = UnsafeRawPointer(bytes.baseAddress) else { return nil }
        let low = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: start, as: UInt64.self))
        let high = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: start &+ 8, as: UInt64.self))
        let specialLow = SWAR.specialStringBytes(low)
        let length: Int
        if specialLow != 0 {
            length = specialLow.trailingZeroBitCount &>> 3
        } else {
            let specialHigh = SWAR.specialStringBytes(high)
            guard specialHigh != 0 else { return nil }
            length = 8 &+ specialHigh.trailingZeroBitCount &>> 3
        }
        guard length <= 15, bytes[start &+ length] == UInt8(ascii: "\"") else { return nil }
        // Only the string's own bytes: below `length`, the rest of the words cleared.
        let masks = SWAR.byteMasks(count: length)
        let text = (low & masks.0, high & masks.1)
        guard (text.0 | text.1) & SWAR.highs == 0, let string = SmallASCIIString.make(littleEndianWords: text, count: length) else {
            return nil
        }
        position = start &+ length &+ 1
        return string
    }

    /// A string whose text is compared with known symbols (enums) before, if ever, becoming a
    /// `String`: matching a symbol needs no allocation and no UTF-8 validation.
    @inlinable
    public mutating func readSymbol(path: @autoclosure () -> String) throws(EventDecodingError) -> Key {
        let found = try peek(path())
        guard found == UInt8(ascii: "\"") else { throw error(.wrongType, path(), "expected a string, found \(kindName(found))") }
        return try readStringToken(path())
    }

    /// Reads a string token at `"`. Raw when it has no escapes (the common case: no copy); decoded
    /// otherwise. Control characters are refused, as JSON requires.
    @inlinable
    mutating func readStringToken(_ path: @autoclosure () -> String) throws(EventDecodingError) -> Key {
        position += 1  // the opening quote
        let start = position
        // The common string has no escape: one word scan to its closing quote.
        let end = SWAR.firstSpecialStringByte(in: bytes, from: start)
        position = end
        guard end < bytes.count else { throw error(.truncated, path(), "the string is not closed") }
        switch bytes[end] {
        case UInt8(ascii: "\""):
            position += 1
            return .raw(start..<end)
        case UInt8(ascii: "\\"):
            return .decoded(try decodeEscapedString(from: start, path()))
        default:
            throw error(.invalidJSON, path(), "control character in a string")
        }
    }

    @usableFromInline
    mutating func decodeEscapedString(from start: Int, _ path: @autoclosure () -> String) throws(EventDecodingError) -> String {
        var utf8: [UInt8] = Array(bytes[start..<position])
        while position < bytes.count {
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                guard let text = utf8.withUnsafeBufferPointer({ UTF8Check.string($0) }) else {
                    throw EventDecodingError(.invalidUTF8, path: path(), offset: start, "the string is not valid UTF-8")
                }
                return text
            case UInt8(ascii: "\\"):
                position += 1
                guard position < bytes.count else { throw error(.truncated, path(), "the escape is cut off") }
                let escape = bytes[position]
                position += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(escape)
                case UInt8(ascii: "b"): utf8.append(0x08)
                case UInt8(ascii: "f"): utf8.append(0x0C)
                case UInt8(ascii: "n"): utf8.append(0x0A)
                case UInt8(ascii: "r"): utf8.append(0x0D)
                case UInt8(ascii: "t"): utf8.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4(path())
                    if (0xD800...0xDBFF).contains(scalar) {
                        guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") else {
                            throw error(.invalidUTF8, path(), "a high surrogate without its low half")
                        }
                        position += 2
                        let low = try hex4(path())
                        guard (0xDC00...0xDFFF).contains(low) else { throw error(.invalidUTF8, path(), "a bad surrogate pair") }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00...0xDFFF).contains(scalar) {
                        throw error(.invalidUTF8, path(), "a lone low surrogate")
                    }
                    guard let unicode = Unicode.Scalar(scalar) else { throw error(.invalidUTF8, path(), "not a Unicode scalar") }
                    utf8.append(contentsOf: String(Character(unicode)).utf8)
                default:
                    throw error(.invalidJSON, path(), "unknown escape '\\\(Self.describe(escape))'")
                }
            default:
                if byte < 0x20 { throw error(.invalidJSON, path(), "control character in a string") }
                utf8.append(byte)
                position += 1
            }
        }
        throw error(.truncated, path(), "the string is not closed")
    }

    mutating func hex4(_ path: @autoclosure () -> String) throws(EventDecodingError) -> UInt32 {
        guard position + 4 <= bytes.count else { throw error(.truncated, path(), "the \\u escape is cut off") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - 0x30)
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - 0x61 + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - 0x41 + 10)
            default: throw error(.invalidJSON, path(), "bad hex digit in \\u escape")
            }
            value = value << 4 | digit
            position += 1
        }
        return value
    }

    /// The bytes of a JSON number, checked against the grammar.
    @inlinable
    mutating func numberToken(_ path: @autoclosure () -> String) throws(EventDecodingError) -> (range: Range<Int>, integral: Bool) {
        let found = try peek(path())
        guard found == UInt8(ascii: "-") || (found >= 0x30 && found <= 0x39) else {
            throw error(.wrongType, path(), "expected a number, found \(kindName(found))")
        }
        let start = position
        var integral = true
        if bytes[position] == UInt8(ascii: "-") { position += 1 }
        func digits(_ reader: inout JSONReader) -> Int {
            let from = reader.position
            while reader.position < reader.bytes.count, reader.bytes[reader.position] >= 0x30, reader.bytes[reader.position] <= 0x39 { reader.position += 1 }
            return reader.position - from
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: "0") {
            position += 1
        } else if digits(&self) == 0 {
            throw error(position >= bytes.count ? .truncated : .invalidJSON, path(), "a number needs digits")
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            integral = false
            position += 1
            guard digits(&self) > 0 else { throw error(.invalidJSON, path(), "digits must follow '.'") }
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
            integral = false
            position += 1
            if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") { position += 1 }
            guard digits(&self) > 0 else { throw error(.invalidJSON, path(), "digits must follow the exponent") }
        }
        return (start..<position, integral)
    }

    /// A JSON integer within 64 bits (no fraction or exponent).
    @inlinable
    public mutating func readInt64(path: @autoclosure () -> String) throws(EventDecodingError) -> Int64 {
        skipWhitespace()
        if let value = readShortNaturalNumber() { return value }
        let (range, integral) = try numberToken(path())
        guard integral else { throw EventDecodingError(.wrongType, path: path(), offset: range.lowerBound, "expected an integer") }
        var position = range.lowerBound
        let negative = bytes[position] == UInt8(ascii: "-")
        if negative { position += 1 }
        var magnitude: UInt64 = 0
        while position < range.upperBound {
            let (times10, overflow1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(UInt64(bytes[position] - 0x30))
            guard !overflow1, !overflow2 else {
                throw EventDecodingError(.numberOutOfRange, path: path(), offset: range.lowerBound, "does not fit 64 bits")
            }
            magnitude = sum
            position += 1
        }
        if negative {
            guard magnitude <= UInt64(Int64.max) + 1 else {
                throw EventDecodingError(.numberOutOfRange, path: path(), offset: range.lowerBound, "does not fit 64 bits")
            }
            return magnitude == UInt64(Int64.max) + 1 ? .min : -Int64(magnitude)
        }
        guard magnitude <= UInt64(Int64.max) else {
            throw EventDecodingError(.numberOutOfRange, path: path(), offset: range.lowerBound, "does not fit 64 bits")
        }
        return Int64(magnitude)
    }

    /// A number of 1 to 18 digits, no sign, fraction or exponent (counts, quantities, codes: most
    /// integers of an event), read in one pass; nil, with nothing consumed, for anything else,
    /// which the general path reads or refuses. Checking the grammar first and converting after
    /// was ~120 instructions for `3` (callgrind), this ~25. 18 digits cannot overflow.
    @inlinable @inline(__always)
    mutating func readShortNaturalNumber() -> Int64? {
        let start = position
        let limit = Swift.min(bytes.count, start &+ 18)
        var cursor = start
        var value: Int64 = 0
        while cursor < limit {
            let digit = bytes[cursor] &- 0x30
            guard digit <= 9 else { break }
            value = value &* 10 &+ Int64(digit)
            cursor &+= 1
        }
        // Something must follow (at the end of the input, the general path says what is wrong),
        // and it must end the number: not a 19th digit, a fraction or an exponent.
        guard cursor > start, cursor < bytes.count else { return nil }
        let next = bytes[cursor]
        guard next &- 0x30 > 9, next != UInt8(ascii: "."), next | 0x20 != UInt8(ascii: "e"),
            bytes[start] != UInt8(ascii: "0") || cursor == start &+ 1  // no leading zero
        else { return nil }
        position = cursor
        return value
    }

    /// A JSON integer within 32 bits.
    @inlinable
    public mutating func readInt32(path: @autoclosure () -> String) throws(EventDecodingError) -> Int32 {
        let start = position
        let value = try readInt64(path: path())
        guard let narrow = Int32(exactly: value) else {
            throw EventDecodingError(.numberOutOfRange, path: path(), offset: start, "\(value) does not fit 32 bits")
        }
        return narrow
    }

    /// A JSON number, to the nearest `Double`.
    @inlinable
    public mutating func readDouble(path: @autoclosure () -> String) throws(EventDecodingError) -> Double {
        let (range, _) = try numberToken(path())
        guard let value = Double(String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)), value.isFinite else {
            throw EventDecodingError(.numberOutOfRange, path: path(), offset: range.lowerBound, "not a finite double")
        }
        return value
    }

    /// A JSON number, to the nearest `Float` (beyond its range: `numberOutOfRange`).
    @inlinable
    public mutating func readFloat(path: @autoclosure () -> String) throws(EventDecodingError) -> Float {
        let start = position
        let value = try readDouble(path: path())
        let narrow = Float(value)
        guard narrow.isFinite else {
            throw EventDecodingError(.numberOutOfRange, path: path(), offset: start, "\(value) does not fit a 32-bit float")
        }
        return narrow
    }

    /// A decimal's exact text, from a JSON string or a JSON number.
    public mutating func readDecimal(path: @autoclosure () -> String) throws(EventDecodingError) -> ExactDecimal {
        let start = position
        if try peek(path()) == UInt8(ascii: "\"") {
            // Digits need no escape: scanned once, checked and made a string at once.
            let digits = readUnescaped { buffer -> (String, Int)? in
                var scan = JSONReader.NumberScan(buffer)
                guard scan.scanNumber() else { return nil }
                return (UTF8Check.asciiString(UnsafeBufferPointer(rebasing: buffer[..<scan.index])), scan.index)
            }
            if let digits { return ExactDecimal(uncheckedText: digits) }
            let text = try withRawString(path()) { buffer -> String? in
                var inner = JSONReader.NumberScan(buffer)
                return inner.isWholeNumber() ? String(decoding: buffer, as: UTF8.self) : nil
            }
            guard let text else { throw EventDecodingError(.invalidFormat, path: path(), offset: start, "not a decimal number") }
            return ExactDecimal(uncheckedText: text)
        }
        let (range, _) = try numberToken(path())
        return ExactDecimal(uncheckedText: String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self))
    }

    /// Reads a string in a format that needs no escaping (a UUID, a timestamp, a number) straight
    /// from the input, with no scan for its closing quote first: `parse` gets the bytes after the
    /// opening quote and returns the value and how many bytes it took, and a quote must follow.
    /// Nil, with nothing consumed, for anything else (an escaped form, say): the caller then takes
    /// the general path, which decodes escapes and reports errors. The reader is on the `"`.
    @inlinable @inline(__always)
    mutating func readUnescaped<T>(_ parse: (UnsafeBufferPointer<UInt8>) -> (T, Int)?) -> T? {
        let textStart = position &+ 1
        guard textStart < bytes.count, let (value, length) = parse(UnsafeBufferPointer(rebasing: bytes[textStart...])),
            textStart &+ length < bytes.count, bytes[textStart &+ length] == UInt8(ascii: "\"")
        else { return nil }
        position = textStart &+ length &+ 1
        return value
    }

    /// Runs `parse` on the raw bytes of the string value at the reader, without making a String.
    /// Values with escapes are decoded first (no UUID, timestamp or number needs them).
    @inlinable
    mutating func withRawString<T>(_ path: @autoclosure () -> String, _ parse: (UnsafeBufferPointer<UInt8>) -> T?) throws(EventDecodingError) -> T? {
        let found = try peek(path())
        guard found == UInt8(ascii: "\"") else { throw error(.wrongType, path(), "expected a string, found \(kindName(found))") }
        switch try readStringToken(path()) {
        case .raw(let range):
            return parse(UnsafeBufferPointer(rebasing: bytes[range]))
        case .decoded(let text):
            var text = text
            return text.withUTF8 { parse($0) }
        }
    }

    /// Whether `text` is exactly one number of JSON's grammar,
    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`: the one definition the reader, exact
    /// decimals and the contract parser's defaults share.
    public static func isNumber(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { buffer in
            var scan = NumberScan(buffer)
            return scan.isWholeNumber()
        }
    }

    /// JSON's number grammar over a buffer: the check `ExactDecimal` needs, without a reader.
    @usableFromInline
    struct NumberScan {
        let bytes: UnsafeBufferPointer<UInt8>
        @usableFromInline var index = 0

        @usableFromInline
        init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

        private mutating func digits() -> Int {
            let start = index
            while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 { index += 1 }
            return index - start
        }

        mutating func isWholeNumber() -> Bool { scanNumber() && index == bytes.count }

        /// Whether the bytes start with a JSON number; `index` is then where it ends.
        @usableFromInline
        mutating func scanNumber() -> Bool {
            if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
            if index < bytes.count, bytes[index] == UInt8(ascii: "0") {
                index += 1
            } else if digits() == 0 {
                return false
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                index += 1
                guard digits() > 0 else { return false }
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
                index += 1
                if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
                guard digits() > 0 else { return false }
            }
            return true
        }
    }

    /// A JSON string of base64 (RFC 4648, padded), as bytes.
    public mutating func readBase64(path: @autoclosure () -> String) throws(EventDecodingError) -> [UInt8] {
        let start = position
        let text = try readString(path: path())
        guard let value = Base64.decode(text) else {
            throw EventDecodingError(.invalidFormat, path: path(), offset: start, "not standard padded base64")
        }
        return value
    }
}

extension JSONReader {
    /// A key's or a symbol's text (map keys, unknown enum symbols), checked as UTF-8.
    public func text(of key: Key, path: @autoclosure () -> String) throws(EventDecodingError) -> String {
        switch key {
        case .decoded(let text):
            return text
        case .raw(let range):
            guard let text = UTF8Check.string(UnsafeBufferPointer(rebasing: bytes[range])) else {
                throw EventDecodingError(.invalidUTF8, path: path(), offset: range.lowerBound, "the string is not valid UTF-8")
            }
            return text
        }
    }

    /// `parent.child`, or `child` at the top: field paths in errors.
    public static func path(_ parent: String, _ child: String) -> String {
        parent.isEmpty ? child : parent + "." + child
    }
}
