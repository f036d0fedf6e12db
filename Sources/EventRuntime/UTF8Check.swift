/// UTF-8 validation for decoded strings. `String(validating:as:)` is generic, and called across
/// module boundaries it looked up type metadata on every string, a fifth of decode time; this is
/// concrete, with a fast path for ASCII, which most event text is.
@usableFromInline
enum UTF8Check {
    @usableFromInline
    static func string(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        var index = SWAR.firstNonASCIIByte(in: bytes)
        let count = bytes.count
        while index < count, bytes[index] < 0x80 { index += 1 }
        if index < count, !isValid(bytes, from: index) { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// RFC 3629: no overlongs, no surrogates, nothing above U+10FFFF.
    private static func isValid(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Bool {
        var index = start
        while index < bytes.count {
            let lead = bytes[index]
            if lead < 0x80 {
                index += 1
                continue
            }
            var lower: UInt8 = 0x80
            var upper: UInt8 = 0xBF
            let length: Int
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; lower = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; upper = 0x9F
            case 0xF0: length = 4; lower = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; upper = 0x8F
            default: return false
            }
            guard index + length <= bytes.count, bytes[index + 1] >= lower, bytes[index + 1] <= upper else { return false }
            for offset in 2..<length where bytes[index + offset] & 0xC0 != 0x80 { return false }
            index += length
        }
        return true
    }
}
