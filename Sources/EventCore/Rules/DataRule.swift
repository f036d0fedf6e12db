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
    /// A bound in the form comparisons read fastest, made once when the rules are (a decimal's
    /// digits found once rather than on every check); the bound itself by default.
    associatedtype PreparedBound: Sendable = Self

    /// Negative when `a` is less than `b`, zero when they are equal, positive when greater.
    static func ruleOrder(_ a: Self, _ b: Self) -> Int

    /// `bound`, prepared.
    static func prepare(_ bound: Self) -> PreparedBound

    /// `ruleOrder(value, bound)` against a prepared bound.
    static func ruleOrder(_ value: Self, against bound: PreparedBound) -> Int
}

extension RangeRuleValue where PreparedBound == Self {
    /// The bound as it is.
    @inlinable
    public static func prepare(_ bound: Self) -> Self { bound }

    /// The plain comparison.
    @inlinable
    public static func ruleOrder(_ value: Self, against bound: Self) -> Int { ruleOrder(value, bound) }
}

extension RangeRuleValue where Self: Comparable {
    /// The type's own order.
    @inlinable
    public static func ruleOrder(_ a: Self, _ b: Self) -> Int { a < b ? -1 : (a == b ? 0 : 1) }
}

/// An `int` field's bounds: compared as integers.
extension Int32: RangeRuleValue {}
/// A `long` field's bounds: compared as integers.
extension Int64: RangeRuleValue {}
/// A `float` field's bounds: compared as numbers.
extension Float: RangeRuleValue {}
/// A `double` field's bounds: compared as numbers.
extension Double: RangeRuleValue {}
/// A `timestamp` field's bounds: compared as instants, whatever the offset they were written with.
extension Timestamp: RangeRuleValue {}
/// A `date` field's bounds: compared as days.
extension LocalDate: RangeRuleValue {}

extension ExactDecimal: RangeRuleValue {
    /// The numbers' order (`1.0` equals `1`, `-0.5` is less than `0`), though equality of two
    /// `ExactDecimal`s is their text's: a rule compares amounts, not spellings.
    public static func ruleOrder(_ a: ExactDecimal, _ b: ExactDecimal) -> Int {
        DecimalOrder.compare(a.text, b.text)
    }

    /// The bound's text with whether it is zero, the commonest bound (`min: 0`), which a value
    /// is compared with by its sign alone.
    public static func prepare(_ bound: ExactDecimal) -> DecimalBound {
        DecimalBound(text: bound.text, isZero: DecimalOrder.compare(bound.text, "0") == 0)
    }

    /// The order of `value` and a prepared bound.
    public static func ruleOrder(_ value: ExactDecimal, against bound: DecimalBound) -> Int {
        bound.isZero ? DecimalOrder.sign(value.text) : DecimalOrder.compare(value.text, bound.text)
    }
}

/// A decimal range bound, prepared (`RangeRuleValue.prepare`).
public struct DecimalBound: Sendable {
    let text: String
    let isZero: Bool
}

/// `min`, `max`, `exclusiveMin` and `exclusiveMax` of one field, as generated code holds them in
/// a `static let`: the bounds are written once per field, not once per check.
public struct RangeRules<Value: RangeRuleValue>: Sendable {
    /// The lower bound, and whether the bound itself is excluded.
    public let lower: (value: Value, exclusive: Bool)?
    /// The upper bound, and whether the bound itself is excluded.
    public let upper: (value: Value, exclusive: Bool)?
    @usableFromInline let lowerPrepared: Value.PreparedBound?
    @usableFromInline let upperPrepared: Value.PreparedBound?
    @usableFromInline let lowerExclusive: Bool
    @usableFromInline let upperExclusive: Bool

    /// The rules; at most one of `min` and `exclusiveMin`, and of `max` and `exclusiveMax` (the
    /// checker refuses both).
    public init(min: Value? = nil, max: Value? = nil, exclusiveMin: Value? = nil, exclusiveMax: Value? = nil) {
        lower = min.map { ($0, false) } ?? exclusiveMin.map { ($0, true) }
        upper = max.map { ($0, false) } ?? exclusiveMax.map { ($0, true) }
        lowerPrepared = lower.map { Value.prepare($0.value) }
        upperPrepared = upper.map { Value.prepare($0.value) }
        lowerExclusive = exclusiveMin != nil && min == nil
        upperExclusive = exclusiveMax != nil && max == nil
    }

    /// Throws when `value` is outside the range.
    @inlinable
    public func check(_ value: Value, field: String) throws(EventRuleViolation) {
        if let lowerPrepared {
            let order = Value.ruleOrder(value, against: lowerPrepared)
            if order < 0 || (order == 0 && lowerExclusive) { throw outside(field, lower: true) }
        }
        if let upperPrepared {
            let order = Value.ruleOrder(value, against: upperPrepared)
            if order > 0 || (order == 0 && upperExclusive) { throw outside(field, lower: false) }
        }
    }

    /// The violation of the lower or the upper bound (kept out of the inlined check).
    @usableFromInline
    func outside(_ field: String, lower isLower: Bool) -> EventRuleViolation {
        guard let bound = isLower ? lower : upper else { return EventRuleViolation(field: field, rule: .min, "out of range") }
        let rule: DataRule = isLower ? (bound.exclusive ? .exclusiveMin : .min) : (bound.exclusive ? .exclusiveMax : .max)
        let text = switch rule {
        case .exclusiveMin: "not greater than \(bound.value)"
        case .min: "less than \(bound.value)"
        case .exclusiveMax: "not less than \(bound.value)"
        default: "greater than \(bound.value)"
        }
        return EventRuleViolation(field: field, rule: rule, text)
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

    /// Throws when `value` breaks a rule (the first one, in the order above). Inlinable: where
    /// generated code calls it on its `static let` rules, the rules are read in place rather than
    /// copied (a copy retained and released the pattern on every check).
    @inlinable
    public func check(_ value: String, field: String) throws(EventRuleViolation) {
        if minLength != nil || maxLength != nil { try checkLength(value, field: field) }
        if let pattern, !pattern.matches(value) { throw patternViolation(field) }
        if let format, !format.accepts(value) { throw formatViolation(field) }
    }

    @usableFromInline
    func checkLength(_ value: String, field: String) throws(EventRuleViolation) {
        // A string has at most as many scalars as UTF-8 bytes and at least a quarter as many:
        // most checks end here without counting.
        let bytes = value.utf8.count
        let fits = (minLength.map { bytes / 4 >= $0 } ?? true) && (maxLength.map { bytes <= $0 } ?? true)
        guard !fits else { return }
        let length = value.unicodeScalars.count
        if let minLength, length < minLength {
            throw EventRuleViolation(field: field, rule: .minLength, "\(length) characters, fewer than \(minLength)")
        }
        if let maxLength, length > maxLength {
            throw EventRuleViolation(field: field, rule: .maxLength, "\(length) characters, more than \(maxLength)")
        }
    }

    @usableFromInline
    func patternViolation(_ field: String) -> EventRuleViolation {
        EventRuleViolation(field: field, rule: .pattern, "no match of \(pattern?.source ?? "")")
    }

    @usableFromInline
    func formatViolation(_ field: String) -> EventRuleViolation {
        EventRuleViolation(field: field, rule: .format, "not \(format?.article ?? "a") \(format?.rawValue ?? "")")
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

    /// Throws when `items` has too few or too many elements, or a repeated one when they must
    /// differ. Inlinable, so it is specialised for the element type where generated code calls
    /// it: unspecialised, instantiating the generic metadata of a `Set` and an iterator on every
    /// call cost more than the rest of a validation together (`eventc-bench rules`).
    @inlinable
    public func check<Element: Hashable>(_ items: [Element], field: String) throws(EventRuleViolation) {
        if let minItems, items.count < minItems { throw Self.violation(field, .minItems, items.count, minItems) }
        if let maxItems, items.count > maxItems { throw Self.violation(field, .maxItems, items.count, maxItems) }
        guard uniqueItems, items.count > 1, let index = Self.firstRepeat(in: items) else { return }
        throw EventRuleViolation(field: field, rule: .uniqueItems, "item \(index) repeats an earlier one")
    }

    /// The index of the first element equal to an earlier one. A few elements are compared
    /// pairwise: no set to allocate and no hashing.
    @inlinable
    static func firstRepeat<Element: Hashable>(in items: [Element]) -> Int? {
        if items.count <= 16 {
            for index in 1..<items.count where items[..<index].contains(items[index]) { return index }
            return nil
        }
        var seen = Set<Element>(minimumCapacity: items.count)
        for index in items.indices where !seen.insert(items[index]).inserted { return index }
        return nil
    }

    @usableFromInline
    static func violation(_ field: String, _ rule: DataRule, _ count: Int, _ bound: Int) -> EventRuleViolation {
        EventRuleViolation(field: field, rule: rule, "\(count) items, \(rule == .minItems ? "fewer" : "more") than \(bound)")
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
    @inlinable
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
/// and 38 digits at most). It reads the UTF-8 in place and allocates nothing: a bound is
/// compared on every validation.
enum DecimalOrder {
    /// Where a number's significant digits are in its text, and the position of the decimal point
    /// relative to the first of them (`0.012` is `12`, point -1).
    struct Scan {
        var negative = false
        /// The first and last significant digit's byte offsets; first > last for zero.
        var first = 0
        var last = -1
        var point = 0
        var isZero: Bool { first > last }
    }

    static func scan(_ bytes: UnsafeBufferPointer<UInt8>) -> Scan {
        var scan = Scan()
        var index = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") {
            scan.negative = true
            index += 1
        }
        var integerDigits = 0
        var seenPoint = false
        var zerosAfterPoint = 0
        var foundFirst = false
        var exponent = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: ".") {
                seenPoint = true
            } else if byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
                var sign = 1
                index += 1
                if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
                    sign = bytes[index] == UInt8(ascii: "-") ? -1 : 1
                    index += 1
                }
                while index < bytes.count {
                    // Beyond a billion the magnitude decides alone; saturate rather than overflow.
                    exponent = min(exponent * 10 + Int(bytes[index] &- UInt8(ascii: "0")), 1_000_000_000)
                    index += 1
                }
                exponent *= sign
                break
            } else if byte != UInt8(ascii: "0") || foundFirst {
                if !foundFirst {
                    foundFirst = true
                    scan.first = index
                }
                if byte != UInt8(ascii: "0") { scan.last = index }
                if !seenPoint { integerDigits += 1 }
            } else if seenPoint {
                zerosAfterPoint += 1
            }
            index += 1
        }
        scan.point = (integerDigits > 0 ? integerDigits : -zerosAfterPoint) + exponent
        return scan
    }

    /// Negative, zero or positive as `a` is less than, equal to or greater than `b`.
    static func compare(_ a: String, _ b: String) -> Int {
        let order = a.utf8.withContiguousStorageIfAvailable { x in
            b.utf8.withContiguousStorageIfAvailable { y in compare(x, y) }
        }
        if let order = order ?? nil { return order }
        return Array(a.utf8).withUnsafeBufferPointer { x in Array(b.utf8).withUnsafeBufferPointer { y in compare(x, y) } }
    }

    /// -1, 0 or 1 as the number is negative, zero or positive: a minus sign, then any digit
    /// other than 0 before the exponent.
    static func sign(_ text: String) -> Int {
        var negative = false
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "-"): negative = true
            case UInt8(ascii: "1")...UInt8(ascii: "9"): return negative ? -1 : 1
            case UInt8(ascii: "e"), UInt8(ascii: "E"): return 0
            default: continue
            }
        }
        return 0
    }

    static func compare(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Int {
        let (x, y) = (scan(a), scan(b))
        let signX = x.isZero ? 0 : (x.negative ? -1 : 1)
        let signY = y.isZero ? 0 : (y.negative ? -1 : 1)
        guard signX == signY else { return signX < signY ? -1 : 1 }
        guard signX != 0 else { return 0 }
        guard x.point == y.point else { return (x.point < y.point ? -1 : 1) * signX }
        // Walk both digit runs, skipping the decimal point; a run that ends reads as zeros.
        var (i, j) = (x.first, y.first)
        while i <= x.last || j <= y.last {
            if i <= x.last, a[i] == UInt8(ascii: ".") { i += 1; continue }
            if j <= y.last, b[j] == UInt8(ascii: ".") { j += 1; continue }
            let dx = i <= x.last ? a[i] : UInt8(ascii: "0")
            let dy = j <= y.last ? b[j] : UInt8(ascii: "0")
            if dx != dy { return (dx < dy ? -1 : 1) * signX }
            i += 1
            j += 1
        }
        return 0
    }
}
