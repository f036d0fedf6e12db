/// UTF-8 validation for decoded strings. `String(validating:as:)` is generic, and called across
/// module boundaries it looked up type metadata on every string, a fifth of decode time; this is
/// concrete. The standard library's validation follows RFC 3629 (no overlongs, no surrogates,
/// nothing above U+10FFFF), which the malformed-input tests check.
@usableFromInline
enum UTF8Check {
    @usableFromInline
    static func string(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        // Most strings of an event are short ASCII (ids, codes, symbols): checked with two word
        // loads and built in place as a small string, which is ASCII and so valid with nothing
        // more to check. Validating and building through `_tryFromUTF8` cost ~150 instructions
        // a string (callgrind, PaymentCompleted: 4 strings of 3-12 bytes).
        if bytes.count <= 15, SWAR.isShortASCII(bytes) { return asciiString(bytes) }
        // The standard library's own validating constructor: one pass that validates and builds
        // the string (checking first, then `String(decoding:)`, validated twice).
        return String._tryFromUTF8(bytes)
    }

    /// A string of bytes known to be ASCII, which can be no invalid UTF-8.
    @usableFromInline
    static func asciiString(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        if let small = SmallASCIIString.make(bytes) { return small }
        return String(unsafeUninitializedCapacity: bytes.count) { target in
            _ = target.initialize(fromContentsOf: bytes)
            return bytes.count
        }
    }
}

/// Builds a string of up to 15 ASCII bytes directly in the standard library's small-string form:
/// two words, the bytes in order and the top byte `0xE0 | count` (immortal, ASCII, small). That
/// form is part of Swift's stable string ABI on 64-bit platforms; even so, it is used only after
/// a check, once per process, that a string the standard library made itself has exactly these
/// words — on any other layout `make` returns nil and callers build the string the public way.
///
/// Why: an event's strings are mostly short ASCII (ids, codes, currency, notes), and building each
/// through `String(unsafeUninitializedCapacity:initializingUTF8With:)` cost ~110 instructions, a
/// tenth of decoding PaymentCompleted (callgrind); this is a few.
@usableFromInline
enum SmallASCIIString {
    /// Whether this runtime lays small ASCII strings out as `representation` says.
    static let layoutMatches: Bool = {
        guard MemoryLayout<String>.size == 16, MemoryLayout<(UInt64, UInt64)>.size == 16 else { return false }
        var probe = "abcdefghijklmn"  // 14 ASCII bytes: small on every 64-bit platform
        probe.append("o")  // made at run time, not a literal
        let expected = Array("abcdefghijklmno".utf8).withUnsafeBufferPointer { littleEndianWords($0) }
        return representation(littleEndianWords: expected, count: 15) == unsafeBitCast(probe, to: (UInt64, UInt64).self)
    }()

    @usableFromInline
    static func make(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        guard bytes.count <= 15 else { return nil }
        return make(littleEndianWords: littleEndianWords(bytes), count: bytes.count)
    }

    /// The string of the `count` (at most 15) ASCII bytes held in `words`, read little-endian from
    /// the input, every byte past `count` zero.
    @usableFromInline
    static func make(littleEndianWords words: (UInt64, UInt64), count: Int) -> String? {
        guard layoutMatches else { return nil }
        return unsafeBitCast(representation(littleEndianWords: words, count: count), to: String.self)
    }

    /// The two words of a small ASCII string: its bytes in memory order, the top byte of the second
    /// word `0xE0 | count` (immortal, ASCII, small).
    @inline(__always)
    static func representation(littleEndianWords words: (UInt64, UInt64), count: Int) -> (UInt64, UInt64) {
        (words.0.littleEndian, words.1.littleEndian | (0xE0 | UInt64(count)) << 56)
    }

    /// The bytes of `string` as two little-endian words (zero past its end) and their count, when it
    /// is a small ASCII string; nil for any other form. The words are read, not retained.
    @usableFromInline @inline(__always)
    static func littleEndianWords(of string: String) -> (UInt64, UInt64, count: Int)? {
        guard layoutMatches else { return nil }
        let raw = unsafeBitCast(string, to: (UInt64, UInt64).self)
        let discriminator = raw.1 >> 56
        guard discriminator & 0xF0 == 0xE0 else { return nil }
        return (UInt64(littleEndian: raw.0), UInt64(littleEndian: raw.1 & 0x00FF_FFFF_FFFF_FFFF), Int(discriminator & 0x0F))
    }

    /// `bytes` (at most 16) as two little-endian words, zero past their end.
    @inline(__always)
    static func littleEndianWords(_ bytes: UnsafeBufferPointer<UInt8>) -> (UInt64, UInt64) {
        var words: (UInt64, UInt64) = (0, 0)
        withUnsafeMutableBytes(of: &words) { raw in
            if let source = bytes.baseAddress { raw.baseAddress?.copyMemory(from: source, byteCount: bytes.count) }
        }
        return (UInt64(littleEndian: words.0), UInt64(littleEndian: words.1))
    }
}
