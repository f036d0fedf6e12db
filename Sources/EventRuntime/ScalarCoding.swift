import Foundation

/// Standard padded base64 (RFC 4648 §4), the way bytes travel in our JSON.
public enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

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
    @usableFromInline
    static func write(_ uuid: UUID, into text: UnsafeMutableBufferPointer<UInt8>) -> Int {
        @inline(__always) func hexDigit(_ nibble: UInt8) -> UInt8 { nibble < 10 ? 0x30 &+ nibble : 0x57 &+ nibble }
        withUnsafeBytes(of: uuid.uuid) { raw in
            var cursor = 0
            for index in 0..<16 {
                if index == 4 || index == 6 || index == 8 || index == 10 {
                    text[cursor] = UInt8(ascii: "-")
                    cursor += 1
                }
                text[cursor] = hexDigit(raw[index] >> 4)
                text[cursor + 1] = hexDigit(raw[index] & 0xF)
                cursor += 2
            }
        }
        return 36
    }

    public static func parse(_ text: [UInt8]) -> UUID? {
        text.withUnsafeBufferPointer { parse($0) }
    }

    /// Concrete, not generic: decoders call this per event, and a generic entry point would look
    /// up type metadata on every call from another module. Straight-line over the fixed layout.
    static func parse(_ text: UnsafeBufferPointer<UInt8>) -> UUID? {
        guard text.count == 36, text[8] == UInt8(ascii: "-"), text[13] == UInt8(ascii: "-"),
            text[18] == UInt8(ascii: "-"), text[23] == UInt8(ascii: "-")
        else { return nil }
        // A table, not a switch: hex digits alternate unpredictably between 0-9 and a-f, and the
        // switch's branches mispredicted. 0x10 marks a non-hex byte; one OR over all finds it.
        return hexValues.withUnsafeBufferPointer { table -> UUID? in
            var invalid: UInt8 = 0
            @inline(__always) func octet(_ at: Int) -> UInt8 {
                let high = table[Int(text[at])]
                let low = table[Int(text[at + 1])]
                invalid |= high | low
                return high << 4 | low
            }
            let uuid = (octet(0), octet(2), octet(4), octet(6), octet(9), octet(11), octet(14), octet(16),
                        octet(19), octet(21), octet(24), octet(26), octet(28), octet(30), octet(32), octet(34))
            return invalid & 0x10 == 0 ? UUID(uuid: uuid) : nil
        }
    }

    private static let hexValues: [UInt8] = (0..<256).map { byte -> UInt8 in
        switch UInt8(byte) {
        case 0x30...0x39: UInt8(byte - 0x30)
        case 0x61...0x66: UInt8(byte - 0x57)
        case 0x41...0x46: UInt8(byte - 0x37)
        default: 0x10
        }
    }
}

extension JSONWriter {
    public mutating func uuid(_ value: UUID) {
        appendQuoted(upTo: 36) { UUIDText.write(value, into: $0) }
    }

    public mutating func timestamp(_ value: Timestamp) {
        appendQuoted(upTo: 32) { buffer in
            var text = FixedText(buffer: buffer)
            value.writeRFC3339(into: &text)
            return text.count
        }
    }

    public mutating func date(_ value: LocalDate) {
        appendQuoted(upTo: 10) { buffer in
            var text = FixedText(buffer: buffer)
            value.writeISO(into: &text)
            return text.count
        }
    }

    public mutating func decimal(_ value: ExactDecimal) { plainString(value.text.utf8) }
}

extension JSONReader {
    public mutating func readUUID(path: @autoclosure () -> String) throws(EventDecodingError) -> UUID {
        let start = index
        let value = try withRawString(path()) { UUIDText.parse($0) }
        guard let value else { throw EventDecodingError(.invalidFormat, path: path(), offset: start, "not a UUID") }
        return value
    }

    public mutating func readTimestamp(path: @autoclosure () -> String) throws(EventDecodingError) -> Timestamp {
        let start = index
        let value = try withRawString(path()) { Timestamp(rfc3339Buffer: $0) }
        guard let value else { throw EventDecodingError(.invalidFormat, path: path(), offset: start, "not an RFC 3339 timestamp") }
        return value
    }

    public mutating func readDate(path: @autoclosure () -> String) throws(EventDecodingError) -> LocalDate {
        let start = index
        let value = try withRawString(path()) { LocalDate(isoBuffer: $0) }
        guard let value else { throw EventDecodingError(.invalidFormat, path: path(), offset: start, "not a YYYY-MM-DD date") }
        return value
    }
}
