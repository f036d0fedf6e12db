/// A decimal number kept as its text, so no digit is lost to binary floating point on the way
/// through: `19.90` stays `19.90`. Convert with `Foundation.Decimal(string:)` where arithmetic is
/// needed. Two values are equal when their text is; `1.0` and `1.00` are different texts.
public struct ExactDecimal: Hashable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    public let text: String

    /// nil unless `text` is a JSON number (`-12`, `0.5`, `1e3`).
    public init?(_ text: String) {
        guard JSONReader.isNumber(text) else { return nil }
        self.text = text
    }

    /// For literals in generated code, which the generator has already checked.
    public init(stringLiteral value: String) {
        self.text = JSONReader.isNumber(value) ? value : "0"
    }

    init(uncheckedText: String) { self.text = uncheckedText }

    public var description: String { text }
}
