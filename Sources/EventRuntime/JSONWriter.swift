/// Writes JSON bytes directly, for generated encoders: no reflection, no intermediate tree, no
/// Foundation. Keys are written as precomposed static strings (`,"orderId":`) by the generated code.
public struct JSONWriter: Sendable {
    /// Internal storage for the `@inlinable` hot paths, which generated encoders in other
    /// modules compile in place.
    @usableFromInline var storage: [UInt8]
    public var bytes: [UInt8] { storage }

    @inlinable
    public init(capacity: Int = 256) {
        storage = []
        storage.reserveCapacity(capacity)
    }

    @inlinable
    public mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { storage.append(contentsOf: $0) }
    }

    @inlinable
    public mutating func null() { raw("null") }

    @inlinable
    public mutating func bool(_ value: Bool) { raw(value ? "true" : "false") }

    @inlinable
    public mutating func int(_ value: Int64) {
        var magnitude = value.magnitude  // UInt64: Int64.min has no positive Int64
        if value < 0 { storage.append(UInt8(ascii: "-")) }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var index = digits.count
            repeat {
                index -= 1
                digits[index] = UInt8(truncatingIfNeeded: magnitude % 10) &+ 0x30
                magnitude /= 10
            } while magnitude > 0
            storage.append(contentsOf: UnsafeBufferPointer(rebasing: digits[index...]))
        }
    }

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
            storage.append(contentsOf: value.description.utf8)
        }
    }

    public mutating func float(_ value: Float, path: @autoclosure () -> String) throws(EventEncodingError) {
        guard value.isFinite else { throw EventEncodingError(path: path(), "\(value) has no JSON representation") }
        // Float's own shortest text, so 0.1 as Float is written 0.1, not 0.10000000149011612.
        if value == value.rounded(.towardZero), abs(value) < 1e7 {
            int(Int64(value))
            return
        }
        storage.append(contentsOf: value.description.utf8)
    }

    /// A JSON string: quotes, backslashes and control characters escaped, everything else written
    /// as its UTF-8 bytes (valid JSON for all of Unicode).
    @inlinable
    public mutating func string(_ value: String) {
        storage.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { utf8 in
            var start = 0
            for index in 0..<utf8.count {
                let byte = utf8[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                storage.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<index]))
                appendEscape(byte)
                start = index + 1
            }
            storage.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...]))
        }
        storage.append(UInt8(ascii: "\""))
    }

    @usableFromInline
    mutating func appendEscape(_ byte: UInt8) {
        storage.append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""): storage.append(UInt8(ascii: "\""))
        case UInt8(ascii: "\\"): storage.append(UInt8(ascii: "\\"))
        case 0x0A: storage.append(UInt8(ascii: "n"))
        case 0x0D: storage.append(UInt8(ascii: "r"))
        case 0x09: storage.append(UInt8(ascii: "t"))
        case 0x08: storage.append(UInt8(ascii: "b"))
        case 0x0C: storage.append(UInt8(ascii: "f"))
        default:
            let hex: [UInt8] = Array("0123456789abcdef".utf8)
            storage.append(contentsOf: [UInt8(ascii: "u"), 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
        }
    }

    /// Bytes as standard padded base64 in a string.
    public mutating func base64(_ value: [UInt8]) {
        storage.append(UInt8(ascii: "\""))
        Base64.encode(value, into: &storage)
        storage.append(UInt8(ascii: "\""))
    }

    /// Text that needs no escaping, written straight into the buffer between quotes.
    @usableFromInline
    mutating func appendQuoted(_ body: (inout [UInt8]) -> Void) {
        storage.append(UInt8(ascii: "\""))
        body(&storage)
        storage.append(UInt8(ascii: "\""))
    }

    /// Text known to need no escaping (UUIDs, timestamps, decimals) written as a string.
    @inlinable
    public mutating func plainString(_ ascii: some Collection<UInt8>) {
        storage.append(UInt8(ascii: "\""))
        storage.append(contentsOf: ascii)
        storage.append(UInt8(ascii: "\""))
    }
}
