/// A data rule a contract field may carry (`min: 0`, `pattern: "^[A-Z]{3}$"`): the raw value is
/// the contract's key, so a violation names the rule as the contract writes it.
public enum DataRule: String, Hashable, Sendable, CaseIterable {
    /// The least value allowed, inclusive (numbers, decimals, timestamps, dates).
    case min
    /// The greatest value allowed, inclusive.
    case max
    /// A value the field must be greater than.
    case exclusiveMin
    /// A value the field must be less than.
    case exclusiveMax
    /// The fewest Unicode scalars a string may have.
    case minLength
    /// The most Unicode scalars a string may have.
    case maxLength
    /// A regular expression the string must contain a match of (`EventPattern`).
    case pattern
    /// A named format the string must be in (`StringFormat`).
    case format
    /// The fewest elements an array may have.
    case minItems
    /// The most elements an array may have.
    case maxItems
    /// Whether an array's elements must all differ.
    case uniqueItems
    /// The fewest entries a map may have.
    case minProperties
    /// The most entries a map may have.
    case maxProperties
}

/// A value that breaks one of its contract's data rules. The publisher and the outboxes refuse
/// such an event before anything is written; the processor dead-letters one it reads as a
/// `contract-violation`.
///
/// The message never holds the value itself, only how it breaks the rule ("3 characters, fewer
/// than minLength 5"): a field tagged `pii` or `secret` must not reach a log or a dead-letter
/// header through its violation.
public struct EventRuleViolation: Error, Hashable, Sendable, CustomStringConvertible {
    /// Where in the event: `total.amount`, `lines[2].sku`, `attributes["colour"]`.
    public var field: String
    /// The rule it breaks.
    public var rule: DataRule
    /// How it breaks it, without the value.
    public var message: String

    /// A violation of `rule` by the value at `field`.
    public init(field: String, rule: DataRule, _ message: String) {
        self.field = field
        self.rule = rule
        self.message = message
    }

    /// `'field' breaks rule: message`.
    public var description: String { "'\(field)' breaks \(rule.rawValue): \(message)" }

    /// The violation of a record held in `parent`, with the path from the outer value.
    public func nested(in parent: String) -> EventRuleViolation {
        EventRuleViolation(field: Self.join(parent, field), rule: rule, message)
    }

    /// The violation of the element at `index` of the array `parent` (empty for an array in an array).
    public func nested(in parent: String, index: Int) -> EventRuleViolation {
        EventRuleViolation(field: Self.join("\(parent)[\(index)]", field), rule: rule, message)
    }

    /// The violation of the value under `key` in the map `parent` (empty for a map in an array).
    public func nested(in parent: String, key: String) -> EventRuleViolation {
        EventRuleViolation(field: Self.join("\(parent)[\"\(key)\"]", field), rule: rule, message)
    }

    /// `lines[2]` and `sku` as `lines[2].sku`; an element's own subscript follows without a dot.
    private static func join(_ parent: String, _ child: String) -> String {
        if child.isEmpty { return parent }
        if parent.isEmpty || child.hasPrefix("[") { return parent + child }
        return parent + "." + child
    }
}

/// A value type a range rule (`min`, `max`, `exclusiveMin`, `exclusiveMax`) may bound: the
/// contract's numbers, decimals, timestamps and dates.
public protocol RangeRuleValue: Sendable, CustomStringConvertible {
    /// Negative when `a` is less than `b`, zero when they are equal, positive when greater.
    static func ruleOrder(_ a: Self, _ b: Self) -> Int
}

extension RangeRuleValue where Self: Comparable {
    /// The type's own order.
    @inlinable
    public static func ruleOrder(_ a: Self, _ b: Self) -> Int { a < b ? -1 : (a == b ? 0 : 1) }
}

extension Int32: RangeRuleValue {}
extension Int64: RangeRuleValue {}
extension Float: RangeRuleValue {}
extension Double: RangeRuleValue {}
extension Timestamp: RangeRuleValue {}
extension LocalDate: RangeRuleValue {}

extension ExactDecimal: RangeRuleValue {
    /// The numbers' order (`1.0` equals `1`, `-0.5` is less than `0`), though equality of two
    /// `ExactDecimal`s is their text's: a rule compares amounts, not spellings.
    public static func ruleOrder(_ a: ExactDecimal, _ b: ExactDecimal) -> Int {
        DecimalOrder.compare(a.text, b.text)
    }
}

/// `min`, `max`, `exclusiveMin` and `exclusiveMax` of one field, as generated code holds them in
/// a `static let`: the bounds are written once per field, not once per check.
public struct RangeRules<Value: RangeRuleValue>: Sendable {
    /// The lower bound, and whether the bound itself is excluded.
    public let lower: (value: Value, exclusive: Bool)?
    /// The upper bound, and whether the bound itself is excluded.
    public let upper: (value: Value, exclusive: Bool)?

    /// The rules; at most one of `min` and `exclusiveMin`, and of `max` and `exclusiveMax` (the
    /// checker refuses both).
    public init(min: Value? = nil, max: Value? = nil, exclusiveMin: Value? = nil, exclusiveMax: Value? = nil) {
        lower = min.map { ($0, false) } ?? exclusiveMin.map { ($0, true) }
        upper = max.map { ($0, false) } ?? exclusiveMax.map { ($0, true) }
    }

    /// Throws when `value` is outside the range.
    @inlinable
    public func check(_ value: Value, field: String) throws(EventRuleViolation) {
        if let lower {
            let order = Value.ruleOrder(value, lower.value)
            if order < 0 || (order == 0 && lower.exclusive) {
                throw EventRuleViolation(
                    field: field, rule: lower.exclusive ? .exclusiveMin : .min,
                    lower.exclusive ? "not greater than \(lower.value)" : "less than \(lower.value)")
            }
        }
        if let upper {
            let order = Value.ruleOrder(value, upper.value)
            if order > 0 || (order == 0 && upper.exclusive) {
                throw EventRuleViolation(
                    field: field, rule: upper.exclusive ? .exclusiveMax : .max,
                    upper.exclusive ? "not less than \(upper.value)" : "greater than \(upper.value)")
            }
        }
    }
}

/// `minLength`, `maxLength`, `pattern` and `format` of one string field. Lengths count Unicode
/// scalars, as JSON Schema's `minLength` counts code points: "é" written as one scalar is 1, as
/// `e` and a combining accent 2.
public struct StringRules: Sendable {
    /// The fewest scalars.
    public let minLength: Int?
    /// The most scalars.
    public let maxLength: Int?
    /// A pattern the string must contain a match of.
    public let pattern: EventPattern?
    /// A format the string must be in.
    public let format: StringFormat?

    /// The rules.
    public init(minLength: Int? = nil, maxLength: Int? = nil, pattern: EventPattern? = nil, format: StringFormat? = nil) {
        self.minLength = minLength
        self.maxLength = maxLength
        self.pattern = pattern
        self.format = format
    }

    /// Throws when `value` breaks a rule (the first one, in the order above).
    public func check(_ value: String, field: String) throws(EventRuleViolation) {
        if minLength != nil || maxLength != nil {
            // A string has at most as many scalars as UTF-8 bytes and at least a quarter as many:
            // most checks end here without counting.
            let bytes = value.utf8.count
            let fits = (minLength.map { bytes / 4 >= $0 } ?? true) && (maxLength.map { bytes <= $0 } ?? true)
            if !fits {
                let length = value.unicodeScalars.count
                if let minLength, length < minLength {
                    throw EventRuleViolation(field: field, rule: .minLength, "\(length) characters, fewer than \(minLength)")
                }
                if let maxLength, length > maxLength {
                    throw EventRuleViolation(field: field, rule: .maxLength, "\(length) characters, more than \(maxLength)")
                }
            }
        }
        if let pattern, !pattern.matches(value) {
            throw EventRuleViolation(field: field, rule: .pattern, "no match of \(pattern.source)")
        }
        if let format, !format.accepts(value) {
            throw EventRuleViolation(field: field, rule: .format, "not \(format.article) \(format.rawValue)")
        }
    }
}

/// `minItems`, `maxItems` and `uniqueItems` of one array field.
public struct ItemRules: Sendable {
    /// The fewest elements.
    public let minItems: Int?
    /// The most elements.
    public let maxItems: Int?
    /// Whether the elements must differ.
    public let uniqueItems: Bool

    /// The rules.
    public init(minItems: Int? = nil, maxItems: Int? = nil, uniqueItems: Bool = false) {
        self.minItems = minItems
        self.maxItems = maxItems
        self.uniqueItems = uniqueItems
    }

    /// Throws when `items` has too few or too many elements, or a repeated one when they must differ.
    public func check<Element: Hashable>(_ items: [Element], field: String) throws(EventRuleViolation) {
        if let minItems, items.count < minItems {
            throw EventRuleViolation(field: field, rule: .minItems, "\(items.count) items, fewer than \(minItems)")
        }
        if let maxItems, items.count > maxItems {
            throw EventRuleViolation(field: field, rule: .maxItems, "\(items.count) items, more than \(maxItems)")
        }
        guard uniqueItems, items.count > 1 else { return }
        var seen = Set<Element>(minimumCapacity: items.count)
        for (index, item) in items.enumerated() where !seen.insert(item).inserted {
            throw EventRuleViolation(field: field, rule: .uniqueItems, "item \(index) repeats an earlier one")
        }
    }
}

/// `minProperties` and `maxProperties` of one map field.
public struct PropertyRules: Sendable {
    /// The fewest entries.
    public let minProperties: Int?
    /// The most entries.
    public let maxProperties: Int?

    /// The rules.
    public init(minProperties: Int? = nil, maxProperties: Int? = nil) {
        self.minProperties = minProperties
        self.maxProperties = maxProperties
    }

    /// Throws when `map` has too few or too many entries.
    public func check<Value>(_ map: [String: Value], field: String) throws(EventRuleViolation) {
        if let minProperties, map.count < minProperties {
            throw EventRuleViolation(field: field, rule: .minProperties, "\(map.count) entries, fewer than \(minProperties)")
        }
        if let maxProperties, map.count > maxProperties {
            throw EventRuleViolation(field: field, rule: .maxProperties, "\(map.count) entries, more than \(maxProperties)")
        }
    }
}

/// The numeric order of two JSON number texts, without converting them to binary floating point
/// (which would call `0.30000000000000001` and `0.3` equal) or to `Foundation.Decimal` (slower,
/// and 38 digits at most).
enum DecimalOrder {
    /// A number as sign, significant digits without leading or trailing zeros, and the position
    /// of the decimal point relative to the first of them (`0.012` is `12`, point -1).
    struct Parts {
        var negative = false
        var digits: [UInt8] = []
        var point = 0
    }

    static func parts(_ text: String) -> Parts {
        var parts = Parts()
        var bytes = Substring(text).utf8[...]
        if bytes.first == UInt8(ascii: "-") {
            parts.negative = true
            bytes = bytes.dropFirst()
        }
        var integerDigits = 0
        var seenPoint = false
        var exponent = 0
        var leadingZerosAfterPoint = 0
        while let byte = bytes.first {
            if byte == UInt8(ascii: ".") {
                seenPoint = true
            } else if byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
                bytes = bytes.dropFirst()
                var sign = 1
                if bytes.first == UInt8(ascii: "-") { sign = -1; bytes = bytes.dropFirst() } else if bytes.first == UInt8(ascii: "+") { bytes = bytes.dropFirst() }
                for digit in bytes {
                    // Beyond a billion the magnitude decides alone; saturate rather than overflow.
                    exponent = min(exponent * 10 + Int(digit - UInt8(ascii: "0")), 1_000_000_000)
                }
                exponent *= sign
                break
            } else {
                let digit = byte - UInt8(ascii: "0")
                if parts.digits.isEmpty && digit == 0 {
                    if seenPoint { leadingZerosAfterPoint += 1 }
                } else {
                    parts.digits.append(digit)
                    if !seenPoint { integerDigits += 1 }
                }
            }
            bytes = bytes.dropFirst()
        }
        while parts.digits.last == 0 { parts.digits.removeLast() }
        parts.point = (integerDigits > 0 ? integerDigits : -leadingZerosAfterPoint) + exponent
        return parts
    }

    /// Negative, zero or positive as `a` is less than, equal to or greater than `b`.
    static func compare(_ a: String, _ b: String) -> Int {
        let (x, y) = (parts(a), parts(b))
        let signX = x.digits.isEmpty ? 0 : (x.negative ? -1 : 1)
        let signY = y.digits.isEmpty ? 0 : (y.negative ? -1 : 1)
        guard signX == signY else { return signX < signY ? -1 : 1 }
        guard signX != 0 else { return 0 }
        var magnitude = 0
        if x.point != y.point {
            magnitude = x.point < y.point ? -1 : 1
        } else {
            for index in 0..<max(x.digits.count, y.digits.count) {
                let dx = index < x.digits.count ? x.digits[index] : 0
                let dy = index < y.digits.count ? y.digits[index] : 0
                if dx != dy {
                    magnitude = dx < dy ? -1 : 1
                    break
                }
            }
        }
        return magnitude * signX
    }
}
