/// Writes JSON bytes directly, for generated code: no reflection, no intermediate tree, no
/// Foundation. Keys come from the record's `EventNames` (or, in code generated for runtime API
/// versions before 4, precomposed static strings such as `,"orderId":`).
///
/// A writer kept from one event to the next (`removeAll()`, then encode) keeps its buffer, so
/// steady-state encoding allocates nothing: what the outboxes do.
public struct JSONWriter: ~Copyable, @unchecked Sendable {
    @usableFromInline var output: ByteOutput
    /// The field names of the record being written (`EventEncoder.field` writes its keys).
    @usableFromInline var keys: EventNames.Table? = nil
    /// The field being written, for the path of an error.
    @usableFromInline var currentField = 0

    /// The JSON written so far, copied into an array of its size.
    public var bytes: [UInt8] { output.bytes }

    /// How many bytes have been written.
    public var byteCount: Int { output.count }

    /// A writer with a buffer of `capacity` bytes to start with; it grows as needed.
    @inlinable
    public init(capacity: Int = 256) { output = ByteOutput(capacity: capacity) }

    /// A writer that starts in `scratch` (a stack buffer, say), which must outlive it, and moves to
    /// a buffer of its own only if the JSON outgrows it.
    @inlinable
    init(scratch: UnsafeMutableBufferPointer<UInt8>) { output = ByteOutput(scratch: scratch) }

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

    @inlinable @inline(__always)
    mutating func append(_ byte: UInt8) { output.append(byte) }

    @inlinable @inline(__always)
    mutating func append(_ buffer: UnsafeBufferPointer<UInt8>) { output.append(buffer) }

    @inlinable
    mutating func append(contentsOf bytes: some Collection<UInt8>) { output.append(contentsOf: bytes) }

    @inlinable
    mutating func write(upTo maximum: Int, _ body: (UnsafeMutableBufferPointer<UInt8>) -> Int) { output.write(upTo: maximum, body) }

    /// Appends `text` as it is: JSON the caller vouches for.
    @inlinable @inline(__always)
    public mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { append($0) }
    }

    /// `null`.
    @inlinable
    public mutating func null() { raw("null") }

    /// `true` or `false`.
    @inlinable
    public mutating func bool(_ value: Bool) { raw(value ? "true" : "false") }

    /// A JSON integer.
    @inlinable
    public mutating func int(_ value: Int64) {
        var magnitude = value.magnitude  // UInt64: Int64.min has no positive Int64
        if value < 0 { append(UInt8(ascii: "-")) }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var index = digits.count
            repeat {
                index -= 1
                digits[index] = UInt8(truncatingIfNeeded: magnitude % 10) &+ 0x30
                magnitude /= 10
            } while magnitude > 0
            append(UnsafeBufferPointer(rebasing: digits[index...]))
        }
    }

    /// A JSON integer.
    @inlinable
    public mutating func int(_ value: Int32) { int(Int64(value)) }

    /// The shortest text that reads back as the same Double. Non-finite values throw.
    public mutating func double(_ value: Double, path: @autoclosure () -> String) throws(EventEncodingError) {
        guard value.isFinite else { throw EventEncodingError(path: path(), "\(value) has no JSON representation") }
        if value == 0, value.sign == .minus {
            raw("-0")
        } else if value == value.rounded(.towardZero), abs(value) < 1e15 {
            int(Int64(value))  // integral values print as integers: 3, not 3.0
        } else {
            append(contentsOf: value.description.utf8)
        }
    }

    /// A JSON number, the shortest text that reads back as `value`; NaN and the infinities are
    /// refused with `path`.
    public mutating func float(_ value: Float, path: @autoclosure () -> String) throws(EventEncodingError) {
        guard value.isFinite else { throw EventEncodingError(path: path(), "\(value) has no JSON representation") }
        // Float's own shortest text, so 0.1 as Float is written 0.1, not 0.10000000149011612.
        if value == value.rounded(.towardZero), abs(value) < 1e7 {
            int(Int64(value))
            return
        }
        append(contentsOf: value.description.utf8)
    }

    /// A JSON string: quotes, backslashes and control characters escaped, everything else written
    /// as its UTF-8 bytes (valid JSON for all of Unicode).
    @inlinable
    public mutating func string(_ value: String) {
        if appendSmallASCII(value) { return }
        // Native strings, small ones included, lend their UTF-8 without a copy of the String (the
        // `var` copy `withUTF8` needs was a retain and a release per string).
        if value.utf8.withContiguousStorageIfAvailable({ appendEscaping($0) }) == nil {
            var value = value
            value.withUTF8 { appendEscaping($0) }
        }
    }

    /// Writes `value` as a JSON string when it is a small ASCII string (at most 15 bytes, kept
    /// inside the String's two words) with nothing to escape: its bytes are taken from the words
    /// and stored with two word writes. Most of an event's strings are such (ids, codes, short
    /// notes); through the general path each cost ~145 instructions, here ~25 (callgrind).
    @inlinable @inline(__always)
    mutating func appendSmallASCII(_ value: String) -> Bool {
        guard let (low, high, length) = SmallASCIIString.littleEndianWords(of: value) else { return false }
        // The bytes past the string's end are zero, which the test flags as control characters.
        let masks = SWAR.byteMasks(count: length)
        guard SWAR.specialStringBytes(low) & masks.0 | SWAR.specialStringBytes(high) & masks.1 == 0 else { return false }
        output.reserve(18)
        let target = UnsafeMutableRawPointer(output.base + output.count)
        target.storeBytes(of: UInt8(ascii: "\""), as: UInt8.self)
        target.storeBytes(of: low.littleEndian, toByteOffset: 1, as: UInt64.self)
        target.storeBytes(of: high.littleEndian, toByteOffset: 9, as: UInt64.self)
        target.storeBytes(of: UInt8(ascii: "\""), toByteOffset: length &+ 1, as: UInt8.self)
        output.count &+= length &+ 2
        return true
    }

    /// `utf8` between quotes, escaped where JSON needs it.
    @inlinable
    mutating func appendEscaping(_ utf8: UnsafeBufferPointer<UInt8>) {
        append(UInt8(ascii: "\""))
        var start = 0
        var special = SWAR.firstSpecialStringByte(in: utf8, from: 0)
        while special < utf8.count {
            append(UnsafeBufferPointer(rebasing: utf8[start..<special]))
            appendEscape(utf8[special])
            start = special &+ 1
            special = SWAR.firstSpecialStringByte(in: utf8, from: start)
        }
        append(UnsafeBufferPointer(rebasing: utf8[start...]))
        append(UInt8(ascii: "\""))
    }

    @usableFromInline
    mutating func appendEscape(_ byte: UInt8) {
        append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""): append(UInt8(ascii: "\""))
        case UInt8(ascii: "\\"): append(UInt8(ascii: "\\"))
        case 0x0A: append(UInt8(ascii: "n"))
        case 0x0D: append(UInt8(ascii: "r"))
        case 0x09: append(UInt8(ascii: "t"))
        case 0x08: append(UInt8(ascii: "b"))
        case 0x0C: append(UInt8(ascii: "f"))
        default:
            let hex: [UInt8] = Array("0123456789abcdef".utf8)
            append(contentsOf: [UInt8(ascii: "u"), 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
        }
    }

    /// Bytes as standard padded base64 in a string.
    public mutating func base64(_ value: [UInt8]) {
        var encoded: [UInt8] = []
        Base64.encode(value, into: &encoded)
        append(UInt8(ascii: "\""))
        encoded.withUnsafeBufferPointer { append($0) }
        append(UInt8(ascii: "\""))
    }

    /// Text that needs no escaping, formatted straight into the buffer between quotes.
    @inlinable
    mutating func appendQuoted(upTo maximum: Int, _ body: (UnsafeMutableBufferPointer<UInt8>) -> Int) {
        append(UInt8(ascii: "\""))
        write(upTo: maximum, body)
        append(UInt8(ascii: "\""))
    }

    /// Text known to need no escaping (a decimal's digits) written as a string, in one copy.
    @inlinable
    public mutating func plainString(_ ascii: String) {
        append(UInt8(ascii: "\""))
        if ascii.utf8.withContiguousStorageIfAvailable({ append($0) }) == nil { append(contentsOf: ascii.utf8) }
        append(UInt8(ascii: "\""))
    }
}
