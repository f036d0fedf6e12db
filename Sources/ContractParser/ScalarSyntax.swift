/// How plain scalars are read when the schema asks for a number or a boolean: JSON's spellings,
/// never YAML 1.1's (`yes`, `0x1F`, `1_000`, `.inf`).
public enum ScalarSyntax {
    public enum BoolReading: Equatable {
        case valid(Bool)
        /// A YAML 1.1 (or capitalised) spelling; the associated value is what to write instead.
        case yaml11(meant: String)
        case invalid
    }

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
        guard isJSONNumber(text), let value = Double(text), value.isFinite else { return nil }
        return value
    }

    /// An optionally signed run of decimal digits (no leading '+', no underscores, no hex).
    public static func isInteger(_ text: String) -> Bool {
        let digits = text.utf8.first == UInt8(ascii: "-") ? text.utf8.dropFirst() : text.utf8[...]
        return !digits.isEmpty && digits.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }

    /// JSON's number grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
    public static func isJSONNumber(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        var index = 0
        func digits() -> Int {
            let start = index
            while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 { index += 1 }
            return index - start
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count else { return false }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else if digits() == 0 {
            return false
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard digits() > 0 else { return false }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                index += 1
            }
            guard digits() > 0 else { return false }
        }
        return index == bytes.count
    }

    /// YAML 1.2's core-schema floats (what `!!float` accepts): a number, or `.inf`, `-.inf`,
    /// `.nan` in their spellings (the schema then refuses those where a value must be finite).
    public static func isCoreFloat(_ text: String) -> Bool {
        if text.wholeMatch(of: /[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?/) != nil { return true }
        return [".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF", ".nan", ".NaN", ".NAN"].contains(text)
    }
}
