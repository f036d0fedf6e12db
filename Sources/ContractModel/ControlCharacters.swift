/// The characters that make text read differently from what it is: C0 and C1 controls and DEL,
/// line and paragraph separators, zero-width and directional formatting characters (the bidi
/// overrides of Trojan Source, CVE-2021-42574) and the byte-order mark. Text from a contract passes
/// through this one set: diagnostics write these characters as escapes, generated comments drop them.
public enum ControlCharacters {
    /// Whether `scalar` is one of them.
    public static func contains(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        return value < 0x20 || value == 0x7F || (0x80...0x9F).contains(value)
            || (0x200B...0x200F).contains(value) || (0x2028...0x202E).contains(value)
            || (0x2066...0x2069).contains(value) || value == 0xFEFF
    }
}
