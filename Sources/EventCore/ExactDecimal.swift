/// A decimal number kept as its text, so no digit is lost to binary floating point on the way
/// through: `19.90` stays `19.90`. Convert with `Foundation.Decimal(string:)` where arithmetic is
/// needed. Two values are equal when their text is; `1.0` and `1.00` are different texts.
public struct ExactDecimal: Hashable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// The number as written, digit for digit (a JSON number).
    public let text: String

    /// nil unless `text` is a JSON number (`-12`, `0.5`, `1e3`).
    public init?(_ text: String) {
        guard JSONReader.isNumber(text) else { return nil }
        self.text = text
    }

    /// A literal in code (`amount: "19.90"`), which must be a JSON number: anything else stops
    /// the program, as a malformed literal is a mistake in the code, and reading `"19,90"` as
    /// some other amount would lose it silently. Text from input goes through `init?(_:)`.
    public init(stringLiteral value: String) {
        precondition(JSONReader.isNumber(value), "'\(value)' is not a decimal number: write it as JSON does, such as \"19.90\"")
        self.text = value
    }

    init(uncheckedText: String) { self.text = uncheckedText }

    /// The text.
    public var description: String { text }
}
