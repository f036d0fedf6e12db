import EventCore

/// A data rule as a contract writes it on a field: its key, where, and its value node (the
/// field's type decides what the value means, so the checker reads it).
public struct WrittenRule: Hashable, Sendable {
    /// Which rule.
    public var rule: DataRule
    /// Where its key is written.
    public var keyLocation: SourceLocation
    /// Its value, as written.
    public var value: ValueNode

    /// A rule as the parser read it.
    public init(rule: DataRule, keyLocation: SourceLocation, value: ValueNode) {
        self.rule = rule
        self.keyLocation = keyLocation
        self.value = value
    }
}

/// The tags tools act on; any other tag is a team's own, shown but not acted on.
public enum SensitivityTag {
    /// Personal data: masked in `eventc-ops` output unless `--reveal` is given.
    public static let pii = "pii"
    /// A secret (a token, a key): masked the same way, and never the partition key (a record's
    /// key travels in clear through every tool and log).
    public static let secret = "secret"
    /// The tags whose values tools mask.
    public static let masked: Set<String> = [pii, secret]
}

/// A range rule's bound: its value typed by the field (an `int` field's `min: 0` is `.int(0)`),
/// and whether the bound itself is excluded.
public struct RuleBound: Hashable, Sendable {
    /// The bound.
    public var value: Literal
    /// Whether values equal to it are refused (`exclusiveMin`, `exclusiveMax`).
    public var exclusive: Bool

    /// A bound.
    public init(value: Literal, exclusive: Bool) {
        self.value = value
        self.exclusive = exclusive
    }
}

/// A field's data rules resolved against its type: what generated validators, the exporters and
/// the catalog read. Every rule is one the field's type takes (the checker refused the others).
public struct CheckedRules: Hashable, Sendable {
    /// `min` or `exclusiveMin`.
    public var lower: RuleBound?
    /// `max` or `exclusiveMax`.
    public var upper: RuleBound?
    /// `minLength`, in Unicode scalars.
    public var minLength: Int?
    /// `maxLength`, in Unicode scalars.
    public var maxLength: Int?
    /// `pattern`, which compiles (`EventPattern`).
    public var pattern: String?
    /// `format`.
    public var format: StringFormat?
    /// `minItems`.
    public var minItems: Int?
    /// `maxItems`.
    public var maxItems: Int?
    /// `uniqueItems: true`.
    public var uniqueItems: Bool
    /// `minProperties`.
    public var minProperties: Int?
    /// `maxProperties`.
    public var maxProperties: Int?

    /// Rules; none by default.
    public init(
        lower: RuleBound? = nil, upper: RuleBound? = nil, minLength: Int? = nil, maxLength: Int? = nil, pattern: String? = nil,
        format: StringFormat? = nil, minItems: Int? = nil, maxItems: Int? = nil, uniqueItems: Bool = false,
        minProperties: Int? = nil, maxProperties: Int? = nil
    ) {
        self.lower = lower
        self.upper = upper
        self.minLength = minLength
        self.maxLength = maxLength
        self.pattern = pattern
        self.format = format
        self.minItems = minItems
        self.maxItems = maxItems
        self.uniqueItems = uniqueItems
        self.minProperties = minProperties
        self.maxProperties = maxProperties
    }

    /// Whether no rule is set.
    public var isEmpty: Bool { self == CheckedRules() }

    /// Whether a string rule is set.
    public var hasStringRules: Bool { minLength != nil || maxLength != nil || pattern != nil || format != nil }
    /// Whether an array rule is set.
    public var hasItemRules: Bool { minItems != nil || maxItems != nil || uniqueItems }
    /// Whether a map rule is set.
    public var hasPropertyRules: Bool { minProperties != nil || maxProperties != nil }
    /// Whether a range rule is set.
    public var hasRange: Bool { lower != nil || upper != nil }

    /// Each rule set, as the contract writes it (`min: 0`, `pattern: ^[A-Z]{3}$`), in the order
    /// of `DataRule`: for the catalog, messages and findings.
    public var written: [(rule: DataRule, value: String)] {
        var rules: [(DataRule, String)] = []
        if let lower { rules.append((lower.exclusive ? .exclusiveMin : .min, lower.value.ruleText)) }
        if let upper { rules.append((upper.exclusive ? .exclusiveMax : .max, upper.value.ruleText)) }
        if let minLength { rules.append((.minLength, String(minLength))) }
        if let maxLength { rules.append((.maxLength, String(maxLength))) }
        if let pattern { rules.append((.pattern, pattern)) }
        if let format { rules.append((.format, format.rawValue)) }
        if let minItems { rules.append((.minItems, String(minItems))) }
        if let maxItems { rules.append((.maxItems, String(maxItems))) }
        if uniqueItems { rules.append((.uniqueItems, "true")) }
        if let minProperties { rules.append((.minProperties, String(minProperties))) }
        if let maxProperties { rules.append((.maxProperties, String(maxProperties))) }
        return rules
    }
}

extension Literal {
    /// A bound's text as a contract would write it.
    public var ruleText: String {
        switch self {
        case .int(let value): String(value)
        case .float(let value): value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : "\(value)"
        case .decimal(let value): value.text
        case .timestamp(let value): value.description
        case .date(let value): value.description
        case .string(let value): value
        default: "\(self)"
        }
    }
}

extension Literal {
    /// The order of two range bounds, or of a value and a bound, by the runtime's own
    /// comparison (`RangeRuleValue`); nil when they are of kinds that do not compare.
    public static func ruleOrder(_ a: Literal, _ b: Literal) -> Int? {
        switch (a, b) {
        case (.int(let x), .int(let y)): Int64.ruleOrder(x, y)
        case (.float(let x), .float(let y)): Double.ruleOrder(x, y)
        // A promoted field (int → double) compares its old integer bounds as numbers.
        case (.int(let x), .float(let y)): Double.ruleOrder(Double(x), y)
        case (.float(let x), .int(let y)): Double.ruleOrder(x, Double(y))
        case (.decimal(let x), .decimal(let y)): ExactDecimal.ruleOrder(x, y)
        case (.timestamp(let x), .timestamp(let y)): Timestamp.ruleOrder(x, y)
        case (.date(let x), .date(let y)): LocalDate.ruleOrder(x, y)
        default: nil
        }
    }
}

extension CheckedRules {
    /// The violation of these rules by `value`, nil when it passes (or is null), decided by the
    /// runtime's own rule types: a default the checker accepts, or an example the catalog shows,
    /// is one the generated validator accepts.
    public func violation(of value: Literal, field: String) -> EventRuleViolation? {
        do throws(EventRuleViolation) {
            switch value {
            case .int(let number):
                try range { if case .int(let bound) = $0 { bound } else { nil } }.check(number, field: field)
            case .float(let number):
                try range { if case .float(let bound) = $0 { bound } else if case .int(let bound) = $0 { Double(bound) } else { nil } }
                    .check(number, field: field)
            case .decimal(let number):
                try range { if case .decimal(let bound) = $0 { bound } else { nil } }.check(number, field: field)
            case .timestamp(let time):
                try range { if case .timestamp(let bound) = $0 { bound } else { nil } }.check(time, field: field)
            case .date(let date):
                try range { if case .date(let bound) = $0 { bound } else { nil } }.check(date, field: field)
            case .string(let text):
                try StringRules(
                    minLength: minLength, maxLength: maxLength, pattern: pattern.flatMap { try? EventPattern($0) }, format: format
                ).check(text, field: field)
            case .array(let items):
                try ItemRules(minItems: minItems, maxItems: maxItems, uniqueItems: uniqueItems).check(items, field: field)
            case .map(let entries):
                try PropertyRules(minProperties: minProperties, maxProperties: maxProperties)
                    .check(Dictionary(entries.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first }), field: field)
            default:
                break
            }
            return nil
        } catch {
            return error
        }
    }

    /// The range rules as the runtime's `RangeRules`, bounds read from their literals.
    private func range<Value: RangeRuleValue>(_ read: (Literal) -> Value?) -> RangeRules<Value> {
        func bound(_ bound: RuleBound?, exclusive: Bool) -> Value? {
            bound.flatMap { $0.exclusive == exclusive ? read($0.value) : nil }
        }
        return RangeRules(
            min: bound(lower, exclusive: false), max: bound(upper, exclusive: false),
            exclusiveMin: bound(lower, exclusive: true), exclusiveMax: bound(upper, exclusive: true))
    }
}
