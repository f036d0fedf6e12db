import ContractModel
import ContractParser
import EventCore

/// Reads a field's data rules against its type: which rules the type takes, each range bound
/// parsed by the runtime's own parsers (as defaults are), each pattern compiled by the runtime's
/// `EventPattern`. What it accepts is what generated validators run.
struct DataRuleResolver {
    /// The problems found, most specific first.
    private(set) var diagnostics: [Diagnostic] = []

    /// The rules of `field`, with every rule the checks refused left out.
    mutating func resolve(_ field: Field) -> CheckedRules {
        var rules = CheckedRules()
        guard let type = field.type?.nonOptional, !field.rules.isEmpty else { return rules }
        for written in field.rules {
            guard applies(written.rule, to: type) else {
                diagnostics.append(.error(
                    .ruleTypeMismatch, "'\(written.rule.rawValue)' does not apply to '\(field.name)', a field of type '\(type)'",
                    at: written.keyLocation, hint: Self.applicableHint(type)))
                continue
            }
            apply(written, of: field, type: type, to: &rules)
        }
        checkRanges(field, rules)
        return rules
    }

    private func applies(_ rule: DataRule, to type: TypeExpression) -> Bool {
        switch rule {
        case .min, .max, .exclusiveMin, .exclusiveMax:
            guard case .primitive(let primitive) = type else { return false }
            return Self.rangeTypes.contains(primitive)
        case .minLength, .maxLength, .pattern, .format: return type == .primitive(.string)
        case .minItems, .maxItems, .uniqueItems:
            if case .array = type { return true }
            return false
        case .minProperties, .maxProperties:
            if case .map = type { return true }
            return false
        }
    }

    static let rangeTypes: Set<PrimitiveType> = [.int, .long, .float, .double, .decimal, .timestamp, .date]

    private static func applicableHint(_ type: TypeExpression) -> String {
        switch type {
        case .primitive(.string): "a string takes minLength, maxLength, pattern and format"
        case .primitive(let primitive) where rangeTypes.contains(primitive): "a \(primitive.rawValue) takes min, max, exclusiveMin and exclusiveMax"
        case .array: "an array takes minItems, maxItems and uniqueItems"
        case .map: "a map takes minProperties and maxProperties"
        default: "a field of this type takes no data rules; put them on the fields of its record"
        }
    }

    private mutating func apply(_ written: WrittenRule, of field: Field, type: TypeExpression, to rules: inout CheckedRules) {
        guard case .scalar(let text, let plain) = written.value.content else { return }  // the decoder reported it
        let count = Int(text)
        switch written.rule {
        case .min, .exclusiveMin, .max, .exclusiveMax:
            guard case .primitive(let primitive) = type, let value = bound(text, plain: plain, primitive, written, field) else { return }
            let isLower = written.rule == .min || written.rule == .exclusiveMin
            let exclusive = written.rule == .exclusiveMin || written.rule == .exclusiveMax
            if (isLower ? rules.lower : rules.upper) != nil {
                diagnostics.append(.error(
                    .ruleRangeEmpty, "'\(field.name)' has both '\(isLower ? "min" : "max")' and '\(isLower ? "exclusiveMin" : "exclusiveMax")'",
                    at: written.keyLocation, hint: "keep one bound on each side"))
                return
            }
            let bound = RuleBound(value: value, exclusive: exclusive)
            if isLower { rules.lower = bound } else { rules.upper = bound }
        case .minLength: rules.minLength = count
        case .maxLength: rules.maxLength = count
        case .minItems: rules.minItems = count
        case .maxItems: rules.maxItems = count
        case .minProperties: rules.minProperties = count
        case .maxProperties: rules.maxProperties = count
        case .uniqueItems: rules.uniqueItems = text == "true"
        case .format: rules.format = StringFormat(rawValue: text)
        case .pattern:
            do {
                _ = try EventPattern(text)
                rules.pattern = text
            } catch {
                var at = written.value.location
                // Point into a one-line pattern; a quote adds one column.
                if !text.contains("\n") { at.column += error.offset + (plain ? 0 : 1) }
                diagnostics.append(.error(
                    .invalidPattern, "the pattern of '\(field.name)' cannot be used: \(error.message)", at: at,
                    hint: "patterns are the ECMA-262 subset every JSON Schema validator reads alike: literals, ., [ ], \\d \\w \\s, groups, |, quantifiers, ^ and $"))
            }
        }
    }

    /// A range bound read as a value of the field's type.
    private mutating func bound(_ text: String, plain: Bool, _ primitive: PrimitiveType, _ written: WrittenRule, _ field: Field) -> Literal? {
        let value: Literal?
        switch primitive {
        case .int, .long:
            value = plain && ScalarSyntax.isInteger(text) ? Int64(text).flatMap { primitive == .long || Int32(exactly: $0) != nil ? .int($0) : nil } : nil
        case .float, .double:
            value = plain ? ScalarSyntax.finiteNumber(text).map { .float($0) } : nil
        case .decimal: value = ExactDecimal(text).map { .decimal($0) }
        case .timestamp: value = Timestamp(rfc3339: Array(text.utf8)).map { .timestamp($0) }
        case .date: value = LocalDate(iso: text).map { .date($0) }
        default: value = nil
        }
        if value == nil {
            diagnostics.append(.error(
                .ruleTypeMismatch, "'\(written.rule.rawValue)' of '\(field.name)' must be a value of type '\(primitive.rawValue)', found '\(text)'",
                at: written.value.location, hint: Self.boundHint(primitive)))
        }
        return value
    }

    private static func boundHint(_ primitive: PrimitiveType) -> String {
        switch primitive {
        case .int: "write a whole number that fits 32 bits, without quotes"
        case .long: "write a whole number, without quotes"
        case .float, .double: "write a number, without quotes"
        case .decimal: "write a number such as 0 or \"0.01\""
        case .timestamp: "write an RFC 3339 timestamp such as 2024-01-31T09:00:00Z"
        default: "write a date as YYYY-MM-DD"
        }
    }

    /// Bounds that leave no value: `min` above `max`, `minLength` above `maxLength`…
    private mutating func checkRanges(_ field: Field, _ rules: CheckedRules) {
        func report(_ rule: DataRule, _ message: String) {
            let location = field.rules.first { $0.rule == rule }?.keyLocation ?? field.location
            diagnostics.append(.error(.ruleRangeEmpty, "no value of '\(field.name)' can pass: \(message)", at: location,
                                      hint: "swap the bounds, or widen one"))
        }
        if let lower = rules.lower, let upper = rules.upper, let order = Literal.ruleOrder(lower.value, upper.value),
            order > 0 || (order == 0 && (lower.exclusive || upper.exclusive))
        {
            report(upper.exclusive ? .exclusiveMax : .max, "the lower bound \(lower.value.ruleText) is not below the upper bound \(upper.value.ruleText)")
        }
        for (low, high, lowRule, highRule) in [
            (rules.minLength, rules.maxLength, DataRule.minLength, DataRule.maxLength),
            (rules.minItems, rules.maxItems, .minItems, .maxItems),
            (rules.minProperties, rules.maxProperties, .minProperties, .maxProperties),
        ] {
            if let low, let high, low > high { report(highRule, "\(lowRule.rawValue) \(low) is above \(highRule.rawValue) \(high)") }
        }
    }
}

/// Where one field's rules refuse values another's allowed: what a reader with `reader`'s
/// rules refuses of data written under `writer`'s. Each finding names the rule on both sides.
enum RuleNarrowing {
    /// Each rule of `reader` that refuses values `writer` allows, as (the writer's rule, the reader's).
    static func narrowings(reader: CheckedRules, writer: CheckedRules) -> [(writer: String, reader: String)] {
        var found: [(writer: String, reader: String)] = []
        func describe(_ bound: RuleBound?, lower: Bool) -> String {
            guard let bound else { return "no \(lower ? "lower" : "upper") bound" }
            return "\(lower ? (bound.exclusive ? "exclusiveMin" : "min") : (bound.exclusive ? "exclusiveMax" : "max")) \(bound.value.ruleText)"
        }
        if let r = reader.lower, isTighter(r, than: writer.lower, lower: true) {
            found.append((describe(writer.lower, lower: true), describe(r, lower: true)))
        }
        if let r = reader.upper, isTighter(r, than: writer.upper, lower: false) {
            found.append((describe(writer.upper, lower: false), describe(r, lower: false)))
        }
        func counts(_ name: DataRule, _ r: Int?, _ w: Int?, isMinimum: Bool) {
            guard let r else { return }
            let tighter = isMinimum ? r > (w ?? 0) : w.map { r < $0 } ?? true
            if tighter { found.append((w.map { "\(name.rawValue) \($0)" } ?? "no \(name.rawValue)", "\(name.rawValue) \(r)")) }
        }
        counts(.minLength, reader.minLength, writer.minLength, isMinimum: true)
        counts(.maxLength, reader.maxLength, writer.maxLength, isMinimum: false)
        counts(.minItems, reader.minItems, writer.minItems, isMinimum: true)
        counts(.maxItems, reader.maxItems, writer.maxItems, isMinimum: false)
        counts(.minProperties, reader.minProperties, writer.minProperties, isMinimum: true)
        counts(.maxProperties, reader.maxProperties, writer.maxProperties, isMinimum: false)
        // Whether one pattern's language contains another's is not decidable cheaply: any new
        // or changed pattern may refuse what the old one allowed.
        if let r = reader.pattern, r != writer.pattern {
            found.append((writer.pattern.map { "pattern \($0)" } ?? "no pattern", "pattern \(r)"))
        }
        if let r = reader.format, r != writer.format {
            found.append((writer.format.map { "format \($0.rawValue)" } ?? "no format", "format \(r.rawValue)"))
        }
        if reader.uniqueItems, !writer.uniqueItems { found.append(("no uniqueItems", "uniqueItems true")) }
        return found
    }

    private static func isTighter(_ reader: RuleBound, than writer: RuleBound?, lower: Bool) -> Bool {
        guard let writer else { return true }
        guard let order = Literal.ruleOrder(reader.value, writer.value) else { return reader != writer }
        if order == 0 { return reader.exclusive && !writer.exclusive }
        return lower ? order > 0 : order < 0
    }
}

/// Checks the data rules and tags of every field: rules the field's type takes, bounds of its
/// type that leave some value, patterns in the subset, defaults that pass their own rules, and
/// no `secret` partition key.
public struct DataRulesRule: LintRule {
    /// The rule ids it reports.
    public var ids: [RuleID] { [.ruleTypeMismatch, .ruleRangeEmpty, .invalidPattern, .ruleDefaultViolation, .secretKey] }

    /// The rule.
    public init() {}

    /// Every problem with the rules and tags of `contract`'s fields.
    public func check(_ contract: Contract, context: LintContext) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        for site in context.fieldSites where !site.field.rules.isEmpty {
            diagnostics += site.ruleDiagnostics
            guard let value = site.resolvedDefault, value != .null,
                let violation = site.resolvedRules.violation(of: value, field: site.field.name)
            else { continue }
            let location = site.field.defaultValue?.location ?? site.field.location
            diagnostics.append(.error(
                .ruleDefaultViolation, "the default of '\(site.field.name)' breaks its own \(violation.rule.rawValue) rule: \(violation.message)",
                at: location, hint: "change the default, or the rule"))
        }
        if case .field(let key)? = contract.key?.value {
            for site in context.versionSites.joined() where site.field.name == key {
                for tag in site.field.tags where tag.value == SensitivityTag.secret {
                    diagnostics.append(.error(
                        .secretKey, "the key field '\(key)' is tagged secret, but a record's key travels in clear to every broker, tool and log",
                        at: tag.location, hint: "key the event by an identifier that is not secret, or drop the tag if the value is not one"))
                }
            }
        }
        return diagnostics
    }
}
