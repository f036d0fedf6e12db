import EventCore

/// How plain scalars are read when the schema asks for a number or a boolean: JSON's spellings,
/// never YAML 1.1's (`yes`, `0x1F`, `1_000`, `.inf`).
public enum ScalarSyntax {
    /// What a scalar written for a boolean turned out to be.
    public enum BoolReading: Equatable {
        /// `true` or `false`.
        case valid(Bool)
        /// A YAML 1.1 (or capitalised) spelling; the associated value is what to write instead.
        case yaml11(meant: String)
        /// Not a boolean in any spelling.
        case invalid
    }

    /// `true` and `false` are booleans; YAML 1.1's spellings (`yes`, `Off`, `TRUE`) are refused
    /// with what to write instead; anything else is invalid.
    public static func bool(_ text: String) -> BoolReading {
        switch text {
        case "true": return .valid(true)
        case "false": return .valid(false)
        default: break
        }
        switch text.lowercased() {
        case "true", "yes", "y", "on": return .yaml11(meant: "true")
        case "false", "no", "n", "off": return .yaml11(meant: "false")
        default: return .invalid
        }
    }

    /// A JSON number (`-12`, `3.5`, `1e-3`) that is finite as a Double.
    public static func finiteNumber(_ text: String) -> Double? {
        guard JSONReader.isNumber(text), let value = Double(text), value.isFinite else { return nil }
        return value
    }

    /// A JSON integer, `-?(0|[1-9][0-9]*)`: what the decoders read as an integer (no leading
    /// `+` or zeros, no underscores, no hex, no YAML 1.1 octal such as `0755`).
    public static func isInteger(_ text: String) -> Bool {
        JSONReader.isNumber(text)
            && !text.utf8.contains { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }
    }

    /// What to write instead of an integer with leading zeros (`06`, which YAML 1.1 reads as
    /// octal); nil for any other text.
    public static func leadingZerosHint(_ text: String) -> String? {
        let digits = text.utf8.first == UInt8(ascii: "-") ? text.utf8.dropFirst() : text.utf8[...]
        guard digits.count > 1, digits.first == UInt8(ascii: "0"), digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
            let value = Int(text)
        else { return nil }
        return "write \(value): a number with leading zeros is not a JSON number"
    }

    /// YAML 1.2's core-schema floats (what `!!float` accepts): a number, or `.inf`, `-.inf`,
    /// `.nan` in their spellings (the schema then refuses those where a value must be finite).
    public static func isCoreFloat(_ text: String) -> Bool {
        if text.wholeMatch(of: /[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?/) != nil { return true }
        return [".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF", ".nan", ".NaN", ".NAN"].contains(text)
    }
}
