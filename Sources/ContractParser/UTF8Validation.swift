import ContractModel

enum UTF8Validation {
    /// The location of the first byte that is not valid UTF-8, or nil when all of it is.
    /// We check before libyaml does so the error can say where (libyaml reports an offset only).
    static func firstInvalidByte(in bytes: UnsafeBufferPointer<UInt8>, file: String) -> SourceLocation? {
        var line = 1
        var column = 1
        var index = 0
        let count = bytes.count
        while index < count {
            let byte = bytes[index]
            if byte < 0x80 {
                if byte == 0x0A {
                    line += 1
                    column = 1
                } else {
                    column += 1
                }
                index += 1
                continue
            }
            let length = sequenceLength(bytes, at: index)
            if length == 0 { return SourceLocation(file: file, line: line, column: column) }
            index += length
            column += 1
        }
        return nil
    }

    /// Length of the well-formed sequence at `index` (RFC 3629: no overlongs, no surrogates,
    /// nothing above U+10FFFF), or 0 when it is ill-formed.
    private static func sequenceLength(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Int {
        let lead = bytes[index]
        let length: Int
        var lower: UInt8 = 0x80
        var upper: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; lower = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; upper = 0x9F
        case 0xF0: length = 4; lower = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; upper = 0x8F
        default: return 0
        }
        guard index + length <= bytes.count else { return 0 }
        let second = bytes[index + 1]
        guard second >= lower, second <= upper else { return 0 }
        for offset in 2..<length where bytes[index + offset] & 0xC0 != 0x80 { return 0 }
        return length
    }
}
