/// Eight bytes per step ("SIMD within a register"): most of a JSON event is string bytes, and
/// checking them one at a time was the largest single cost of decoding.
@usableFromInline
enum SWAR {
    @usableFromInline static let ones: UInt64 = 0x0101_0101_0101_0101
    @usableFromInline static let highs: UInt64 = 0x8080_8080_8080_8080

    /// Whether `count` bytes at `a` and `b` are equal, eight at a time: field names are short,
    /// and a call to memcmp for each was a measurable share of decoding.
    @inlinable @inline(__always)
    static func equal(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, count: Int) -> Bool {
        var offset = 0
        while count - offset >= 8 {
            guard a.loadUnaligned(fromByteOffset: offset, as: UInt64.self) == b.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            else { return false }
            offset += 8
        }
        if count - offset >= 4 {
            guard a.loadUnaligned(fromByteOffset: offset, as: UInt32.self) == b.loadUnaligned(fromByteOffset: offset, as: UInt32.self)
            else { return false }
            offset += 4
        }
        while offset < count {
            guard a.load(fromByteOffset: offset, as: UInt8.self) == b.load(fromByteOffset: offset, as: UInt8.self) else { return false }
            offset += 1
        }
        return true
    }

    /// The index of the first 8-byte block from `start` that may hold `"`, `\` or a control
    /// character (or the start of the unscanned tail); the caller finishes byte by byte.
    @inlinable
    static func firstSpecialStringByte(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        guard let base = UnsafeRawPointer(bytes.baseAddress) else { return start }
        var index = start
        while index + 8 <= bytes.count {
            let word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: index, as: UInt64.self))
            // Per term, the classic exact test for a zero byte (`(x - 0x01…) & ~x & 0x80…`; for
            // "below 0x20", subtract 0x20 from each byte): or-ed, so one branch per word, not three.
            let quote = word ^ (ones &* 0x22)
            let backslash = word ^ (ones &* 0x5C)
            let special = ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash) | ((word &- ones &* 0x20) & ~word)
            if special & highs != 0 { return index }
            index += 8
        }
        return index
    }

    /// The index of the first 8-byte block that may hold a byte ≥ 0x80.
    @inlinable
    static func firstNonASCIIByte(in bytes: UnsafeBufferPointer<UInt8>) -> Int {
        guard let base = UnsafeRawPointer(bytes.baseAddress) else { return 0 }
        var index = 0
        while index + 8 <= bytes.count {
            if base.loadUnaligned(fromByteOffset: index, as: UInt64.self) & highs != 0 { return index }
            index += 8
        }
        return index
    }
}
