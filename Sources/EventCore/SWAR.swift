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

    /// The index of the first `"`, `\` or control character from `start`, or `bytes.count` when
    /// there is none. Eight bytes per step; the flag of the lowest special byte in a word is exact
    /// (a borrow only runs upward from a byte that is itself special), so its place is the
    /// trailing zero count: no byte-by-byte rescan of the word, which was a tenth of decode time.
    @inlinable
    static func firstSpecialStringByte(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        guard let base = UnsafeRawPointer(bytes.baseAddress) else { return start }
        var index = start
        while index + 8 <= bytes.count {
            let special = specialStringBytes(UInt64(littleEndian: base.loadUnaligned(fromByteOffset: index, as: UInt64.self)))
            if special != 0 { return index &+ special.trailingZeroBitCount &>> 3 }
            index &+= 8
        }
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 { return index }
            index &+= 1
        }
        return index
    }

    /// The high bit of each byte of `word` that is `"`, `\` or below 0x20 (exact for the lowest).
    @inlinable @inline(__always)
    static func specialStringBytes(_ word: UInt64) -> UInt64 {
        // Per term, the classic exact test for a zero byte (`(x - 0x01…) & ~x & 0x80…`; for
        // "below 0x20", subtract 0x20 from each byte): or-ed, so one branch per word, not three.
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        return (((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash) | ((word &- ones &* 0x20) & ~word)) & highs
    }

    /// Masks that keep the first `count` (0…16) bytes of two little-endian words, the rest cleared.
    @inlinable @inline(__always)
    static func byteMasks(count: Int) -> (UInt64, UInt64) {
        (count >= 8 ? ~0 : (1 &<< UInt64(count &* 8)) &- 1, count <= 8 ? 0 : count >= 16 ? ~0 : (1 &<< UInt64((count &- 8) &* 8)) &- 1)
    }

    /// Whether all of `bytes` are ASCII, for strings of at most 16 bytes: two masked word loads
    /// where the buffer allows, else a loop.
    @inlinable @inline(__always)
    static func isShortASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = UnsafeRawPointer(bytes.baseAddress) else { return true }
        let count = bytes.count
        if count >= 8 {
            return (base.loadUnaligned(as: UInt64.self) | base.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self)) & highs == 0
        }
        var merged: UInt8 = 0
        for index in 0..<count { merged |= bytes[index] }
        return merged < 0x80
    }

    /// How many leading bytes are whole 8-byte blocks of ASCII: the offset of the first block that
    /// holds a byte ≥ 0x80, or of the last (shorter than 8) bytes, which are not looked at.
    @inlinable
    static func asciiBlocksPrefixLength(of bytes: UnsafeBufferPointer<UInt8>) -> Int {
        guard let base = UnsafeRawPointer(bytes.baseAddress) else { return 0 }
        var index = 0
        while index + 8 <= bytes.count {
            if base.loadUnaligned(fromByteOffset: index, as: UInt64.self) & highs != 0 { return index }
            index += 8
        }
        return index
    }
}
