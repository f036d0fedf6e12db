/// UTF-8 validation for decoded strings. `String(validating:as:)` is generic, and called across
/// module boundaries it looked up type metadata on every string, a fifth of decode time; this is
/// concrete. The standard library's validation follows RFC 3629 (no overlongs, no surrogates,
/// nothing above U+10FFFF), which the malformed-input tests check.
@usableFromInline
enum UTF8Check {
    @usableFromInline
    static func string(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        // The standard library's own validating constructor: one pass that validates and builds
        // the string (checking first, then `String(decoding:)`, validated twice).
        String._tryFromUTF8(bytes)
    }
}
