import Foundation

/// Standard padded base64 (RFC 4648 §4), the way bytes travel in our JSON.
public enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// Appends the base64 text of `input` to `out`.
    public static func encode(_ input: [UInt8], into out: inout [UInt8]) {
        var index = 0
        while index + 3 <= input.count {
            let triple = UInt32(input[index]) << 16 | UInt32(input[index + 1]) << 8 | UInt32(input[index + 2])
            out.append(alphabet[Int(triple >> 18 & 63)])
            out.append(alphabet[Int(triple >> 12 & 63)])
            out.append(alphabet[Int(triple >> 6 & 63)])
            out.append(alphabet[Int(triple & 63)])
            index += 3
        }
        let rest = input.count - index
        guard rest > 0 else { return }
        let triple = UInt32(input[index]) << 16 | (rest == 2 ? UInt32(input[index + 1]) << 8 : 0)
        out.append(alphabet[Int(triple >> 18 & 63)])
        out.append(alphabet[Int(triple >> 12 & 63)])
        out.append(rest == 2 ? alphabet[Int(triple >> 6 & 63)] : UInt8(ascii: "="))
        out.append(UInt8(ascii: "="))
    }

    /// `input` as standard padded base64 text.
    public static func string(_ input: [UInt8]) -> String {
        var out: [UInt8] = []
        encode(input, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// The bytes `text` encodes; nil unless it is padded base64 of the standard alphabet.
    public static func decode(_ text: String) -> [UInt8]? {
        let bytes = Array(text.utf8)
        guard bytes.count % 4 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count / 4 * 3)
        var index = 0
        while index < bytes.count {
            var quad: UInt32 = 0
            var padding = 0
            for offset in 0..<4 {
                let byte = bytes[index + offset]
                if byte == UInt8(ascii: "=") {
                    guard index + 4 == bytes.count, offset >= 2 else { return nil }
                    padding += 1
                    quad <<= 6
                    continue
                }
                guard padding == 0, let value = value(byte) else { return nil }
                quad = quad << 6 | UInt32(value)
            }
            out.append(UInt8(quad >> 16 & 0xFF))
            if padding < 2 { out.append(UInt8(quad >> 8 & 0xFF)) }
            if padding < 1 { out.append(UInt8(quad & 0xFF)) }
            index += 4
        }
        return out
    }

    private static func value(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): byte - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): byte - UInt8(ascii: "a") + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0") + 52
        case UInt8(ascii: "+"): 62
        case UInt8(ascii: "/"): 63
        default: nil
        }
    }
}

/// UUIDs as lowercase 8-4-4-4-12 text, without Foundation's string round trip.
public enum UUIDText {
    /// The 36 bytes of `uuid`'s text.
    public static func bytes(_ uuid: UUID) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(36)
        append(uuid, to: &out)
        return out
    }

    static func append(_ uuid: UUID, to out: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 36) { text in
            _ = write(uuid, into: text)
            out.append(contentsOf: UnsafeBufferPointer(text))
        }
    }

    /// Writes the 36 characters in place (the buffer holds at least 36 bytes); returns 36.
    /// Four bytes at a time become eight hex digits in one word (`hexDigits`): a digit at a time,
    /// this was a sixth of encoding PaymentCompleted (callgrind: ~500 instructions, now ~60).
    @usableFromInline
    static func write(_ uuid: UUID, into text: UnsafeMutableBufferPointer<UInt8>) -> Int {
        guard let target = UnsafeMutableRawPointer(text.baseAddress), text.count >= 36 else { return 0 }
        let (high, low) = unsafeBitCast(uuid.uuid, to: (UInt64, UInt64).self)
        let (bytes0to3, bytes4to7) = (UInt32(truncatingIfNeeded: UInt64(littleEndian: high)), UInt32(truncatingIfNeeded: UInt64(littleEndian: high) >> 32))
        let (bytes8to11, bytes12to15) = (UInt32(truncatingIfNeeded: UInt64(littleEndian: low)), UInt32(truncatingIfNeeded: UInt64(littleEndian: low) >> 32))
        // 8-4-4-4-12: digits 0-7, dash, 8-11, dash, 12-15, dash, 16-19, dash, 20-31.
        let digits4to7 = hexDigits(bytes4to7)
        let digits8to11 = hexDigits(bytes8to11)
        target.storeBytes(of: hexDigits(bytes0to3).littleEndian, as: UInt64.self)
        target.storeBytes(of: UInt8(ascii: "-"), toByteOffset: 8, as: UInt8.self)
        target.storeBytes(of: UInt32(truncatingIfNeeded: digits4to7).littleEndian, toByteOffset: 9, as: UInt32.self)
        target.storeBytes(of: UInt8(ascii: "-"), toByteOffset: 13, as: UInt8.self)
        target.storeBytes(of: UInt32(truncatingIfNeeded: digits4to7 >> 32).littleEndian, toByteOffset: 14, as: UInt32.self)
        target.storeBytes(of: UInt8(ascii: "-"), toByteOffset: 18, as: UInt8.self)
        target.storeBytes(of: UInt32(truncatingIfNeeded: digits8to11).littleEndian, toByteOffset: 19, as: UInt32.self)
        target.storeBytes(of: UInt8(ascii: "-"), toByteOffset: 23, as: UInt8.self)
        target.storeBytes(of: UInt32(truncatingIfNeeded: digits8to11 >> 32).littleEndian, toByteOffset: 24, as: UInt32.self)
        target.storeBytes(of: hexDigits(bytes12to15).littleEndian, toByteOffset: 28, as: UInt64.self)
        return 36
    }

    /// Four bytes (the first lowest) as eight lowercase hex digits (the first lowest): each byte's
    /// nibbles spread into two bytes, high nibble first, then made digits or letters per byte.
    @inline(__always)
    static func hexDigits(_ bytes: UInt32) -> UInt64 {
        var spread = UInt64(bytes)
        spread = (spread | spread << 16) & 0x0000_FFFF_0000_FFFF
        spread = (spread | spread << 8) & 0x00FF_00FF_00FF_00FF  // byte i in the low byte of lane i
        let nibbles = (spread >> 4) & 0x000F_000F_000F_000F | (spread & 0x000F_000F_000F_000F) << 8
        // Per byte n ≤ 15: n + 6 carries into bit 4 exactly when n ≥ 10 (a letter: 'a' - '0' - 10 = 39).
        let letters = ((nibbles &+ 0x0606_0606_0606_0606) >> 4) & SWAR.ones
        return nibbles &+ 0x3030_3030_3030_3030 &+ letters &* 39
    }

    /// The UUID of 36 characters of 8-4-4-4-12 hex text, either case; nil for anything else.
    public static func parse(_ text: [UInt8]) -> UUID? {
        text.withUnsafeBufferPointer { parse($0) }
    }

    /// Concrete, not generic: decoders call this per event, and a generic entry point would look
    /// up type metadata on every call from another module.
    static func parse(_ text: UnsafeBufferPointer<UInt8>) -> UUID? {
        guard let (high, low) = words(text) else { return nil }
        return uuid(high, low)
    }

    /// The UUID whose bytes 0-7 and 8-15 are `high` and `low`, read little-endian.
    @usableFromInline
    static func uuid(_ high: UInt64, _ low: UInt64) -> UUID {
        UUID(uuid: unsafeBitCast((high.littleEndian, low.littleEndian), to: uuid_t.self))
    }

    /// The UUID in `text` (8-4-4-4-12 hex digits, either case) as two words, its first eight
    /// bytes and its last eight, read little-endian; nil when `text` is not one. The in-memory
    /// inbox keys on these words, so it parses every event's id: eight digits per step (SWAR)
    /// took it from a table lookup per digit to a few operations per eight.
    @usableFromInline
    package static func words(_ text: UnsafeBufferPointer<UInt8>) -> (UInt64, UInt64)? {
        guard text.count == 36, let base = text.baseAddress else { return nil }
        let raw = UnsafeRawPointer(base)
        let dash = UInt8(ascii: "-")
        guard raw.load(fromByteOffset: 8, as: UInt8.self) == dash, raw.load(fromByteOffset: 13, as: UInt8.self) == dash,
            raw.load(fromByteOffset: 18, as: UInt8.self) == dash, raw.load(fromByteOffset: 23, as: UInt8.self) == dash
        else { return nil }
        @inline(__always) func eight(_ offset: Int) -> UInt64 {
            UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
        }
        @inline(__always) func fourAndFour(_ first: Int, _ second: Int) -> UInt64 {
            UInt64(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: first, as: UInt32.self)))
                | UInt64(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: second, as: UInt32.self))) << 32
        }
        guard let bytes0to3 = octets(eight(0)), let bytes4to7 = octets(fourAndFour(9, 14)),
            let bytes8to11 = octets(fourAndFour(19, 24)), let bytes12to15 = octets(eight(28))
        else { return nil }
        return (bytes0to3 | bytes4to7 << 32, bytes8to11 | bytes12to15 << 32)
    }

    /// Eight ASCII hex digits, the first in the lowest byte of `digits`, as four octets in the low
    /// 32 bits (the first octet lowest); nil when a byte is not a hex digit.
    @inline(__always)
    static func octets(_ digits: UInt64) -> UInt64? {
        // Per byte c < 0x80, adding k sets its top bit exactly when c >= 0x80 - k, without a carry
        // into the next byte: so digit = 0x30 <= c < 0x3A, letter = 0x61 <= (c | 0x20) < 0x67.
        let lowercased = digits | 0x2020_2020_2020_2020
        let digit = (digits &+ 0x5050_5050_5050_5050) & ~(digits &+ 0x4646_4646_4646_4646)
        let letter = (lowercased &+ 0x1F1F_1F1F_1F1F_1F1F) & ~(lowercased &+ 0x1919_1919_1919_1919)
        guard digits & SWAR.highs == 0, (digit | letter) & SWAR.highs == SWAR.highs else { return nil }
        // A digit's value is its low four bits; a letter's (bit 6 set) those plus 9.
        let nibbles = (digits & 0x0F0F_0F0F_0F0F_0F0F) &+ 9 &* ((digits >> 6) & SWAR.ones)
        let pairs = (nibbles << 4 | nibbles >> 8) & 0x00FF_00FF_00FF_00FF
        let quads = (pairs | pairs >> 8) & 0x0000_FFFF_0000_FFFF
        return (quads | quads >> 16) & 0xFFFF_FFFF
    }
}

extension JSONWriter {
    /// The UUID as a JSON string, lowercase 8-4-4-4-12.
    public mutating func uuid(_ value: UUID) {
        appendQuoted(upTo: 36) { UUIDText.write(value, into: $0) }
    }

    /// The instant as an RFC 3339 JSON string in UTC.
    public mutating func timestamp(_ value: Timestamp) {
        appendQuoted(upTo: 32) { buffer in
            var text = FixedText(buffer: buffer)
            value.writeRFC3339(into: &text)
            return text.count
        }
    }

    /// The date as a `YYYY-MM-DD` JSON string.
    public mutating func date(_ value: LocalDate) {
        appendQuoted(upTo: 10) { buffer in
            var text = FixedText(buffer: buffer)
            value.writeISO(into: &text)
            return text.count
        }
    }

    /// The decimal's exact text as a JSON string.
    public mutating func decimal(_ value: ExactDecimal) { plainString(value.text) }
}

extension JSONReader {
    /// A UUID from a JSON string of 8-4-4-4-12 hex text.
    public mutating func readUUID(path: @autoclosure () -> String) throws(EventDecodingError) -> UUID {
        // The 36 characters and the closing quote straight from the input (hex digits and dashes
        // need no escape); anything else takes the general path below.
        if try peek(path()) == UInt8(ascii: "\""), bytes.count &- position >= 38, bytes[position &+ 37] == UInt8(ascii: "\""),
            let base = bytes.baseAddress, let (high, low) = UUIDText.words(UnsafeBufferPointer(start: base + (position &+ 1), count: 36))
        {
            position &+= 38
            return UUIDText.uuid(high, low)
        }
        let start = index
        let value = try withRawString(path()) { UUIDText.parse($0) }
        guard let value else { throw EventDecodingError(.invalidFormat, path: path(), offset: start, "not a UUID") }
        return value
    }

    /// An RFC 3339 date-time from a JSON string, any offset, normalised to UTC.
    public mutating func readTimestamp(path: @autoclosure () -> String) throws(EventDecodingError) -> Timestamp {
        if try peek(path()) == UInt8(ascii: "\""), let value = readUnescaped(Timestamp.parseRFC3339(prefixOf:)) { return value }
        let start = index
        let value = try withRawString(path()) { Timestamp(rfc3339Buffer: $0) }
        guard let value else { throw EventDecodingError(.invalidFormat, path: path(), offset: start, "not an RFC 3339 timestamp") }
        return value
    }

    /// A `YYYY-MM-DD` date from a JSON string.
    public mutating func readDate(path: @autoclosure () -> String) throws(EventDecodingError) -> LocalDate {
        let start = index
        let value = try withRawString(path()) { LocalDate(isoBuffer: $0) }
        guard let value else { throw EventDecodingError(.invalidFormat, path: path(), offset: start, "not a YYYY-MM-DD date") }
        return value
    }
}
