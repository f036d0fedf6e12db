import ContractModel
import EventCore

/// A made-up but valid payload of one version, as the generated encoder would write it: the
/// catalog shows it, AsyncAPI carries it as the message's example. Deterministic: a field's
/// default when it has one, otherwise a fixed value of its type (strings from the field's name)
/// or, where the field's data rules refuse that, a value they accept (a bound, the pattern's
/// own example, a format's sample, enough items).
public enum ExamplePayload {
    /// An example payload of `version`, as its JSON encoding writes it.
    public static func value(of version: CheckedVersion) -> JSONValue {
        .object(version.fields.map { ($0.name, WireJSON.value(of: literal(for: $0, in: version, depth: 0), type: $0.type, in: version)) })
    }

    /// Records may nest themselves through optionals and collections: past this depth they end.
    static let maximumDepth = 3

    static func literal(for field: CheckedField, in version: CheckedVersion, depth: Int) -> Literal {
        if let value = field.defaultValue, value != .null { return value }
        let plain = literal(of: field.type, named: field.name, in: version, depth: depth)
        guard !field.rules.isEmpty, plain != .null else { return plain }
        let candidates = [plain] + ruleCandidates(field.rules, plain: plain, named: field.name)
        return candidates.first { field.rules.violation(of: $0, field: field.name) == nil } ?? plain
    }

    static let formatExamples: [StringFormat: String] = [
        .email: "customer@example.com", .hostname: "api.example.com", .ipv4: "192.0.2.10", .ipv6: "2001:db8::10",
        .uri: "https://example.com/orders/1",
    ]

    /// Values the rules may accept where the plain example does not.
    private static func ruleCandidates(_ rules: CheckedRules, plain: Literal, named name: String) -> [Literal] {
        var candidates: [Literal] = []
        for bound in [rules.lower, rules.upper].compactMap({ $0 }) {
            candidates.append(bound.value)
            switch bound.value {
            case .int(let value): candidates += [.int(value + 1), .int(value - 1)]
            case .float(let value): candidates += [.float(value + 0.5), .float(value - 0.5)]
            case .timestamp(let time):
                candidates += [1, -1].map { .timestamp(Timestamp(secondsSince1970: time.secondsSince1970 + $0, nanoseconds: time.nanoseconds)) }
            case .date(let date): candidates += [.date(LocalDate(daysSince1970: date.daysSince1970 + 1)), .date(LocalDate(daysSince1970: date.daysSince1970 - 1))]
            default: break
            }
        }
        if let format = rules.format, let sample = formatExamples[format] { candidates.append(.string(sample)) }
        if let pattern = rules.pattern.flatMap({ try? EventPattern($0) }) { candidates.append(.string(pattern.example)) }
        if case .string(let text) = plain {
            if let maxLength = rules.maxLength { candidates.append(.string(String(text.unicodeScalars.prefix(maxLength).map(Character.init)))) }
            if let minLength = rules.minLength { candidates.append(.string(text + String(repeating: "x", count: max(0, minLength - text.count)))) }
        }
        if case .array(let items) = plain, let first = items.first {
            let count = max(rules.minItems ?? 1, 1)
            candidates.append(.array((0..<count).map { index in Self.distinct(first, index) }))
        }
        if case .map(let entries) = plain, let first = entries.first {
            let count = max(rules.minProperties ?? 1, 1)
            candidates.append(.map((0..<count).map { LiteralEntry(key: $0 == 0 ? first.key : "\(first.key)\($0 + 1)", value: first.value) }))
        }
        return candidates
    }

    /// The `index`th of several example items: strings and numbers made to differ, so
    /// `uniqueItems` holds.
    private static func distinct(_ item: Literal, _ index: Int) -> Literal {
        guard index > 0 else { return item }
        switch item {
        case .string(let text): return .string("\(text)-\(index + 1)")
        case .int(let value): return .int(value + Int64(index))
        default: return item
        }
    }

    static func literal(of type: TypeExpression, named name: String, in version: CheckedVersion, depth: Int) -> Literal {
        switch type {
        case .optional(let wrapped):
            return depth >= maximumDepth ? .null : literal(of: wrapped, named: name, in: version, depth: depth)
        case .array(let element):
            return .array(depth >= maximumDepth ? [] : [literal(of: element, named: name, in: version, depth: depth + 1)])
        case .map(let value):
            return .map(depth >= maximumDepth ? [] : [LiteralEntry(key: "key", value: literal(of: value, named: name, in: version, depth: depth + 1))])
        case .primitive(let primitive):
            return literal(of: primitive, named: name)
        case .named(let typeName):
            guard let named = version.type(named: typeName) else { return .null }
            switch named.kind {
            case .enumeration(let symbols, let defaultSymbol):
                return .symbol(defaultSymbol ?? symbols.first ?? "")
            case .record(let fields):
                return .record(fields.map { LiteralEntry(key: $0.name, value: literal(for: $0, in: version, depth: depth + 1)) })
            }
        }
    }

    static let exampleDecimal = "12.50"
    static let exampleUUID = "0195e2a1-7c4b-7d3e-9f1a-2b3c4d5e6f70"

    private static func literal(of primitive: PrimitiveType, named name: String) -> Literal {
        switch primitive {
        case .bool: .bool(true)
        case .int: .int(1)
        case .long: .int(1_773_480_413)
        case .float: .float(1.5)
        case .double: .float(12.5)
        case .string: .string("\(name)-1")
        case .bytes: .bytes(Array("example".utf8))
        // Both texts are valid; were they not, the string itself is written as it would be.
        case .decimal: ExactDecimal(exampleDecimal).map(Literal.decimal) ?? .string(exampleDecimal)
        case .uuid: UUIDText.parse(Array(exampleUUID.utf8)).map(Literal.uuid) ?? .string(exampleUUID)
        case .timestamp: .timestamp(Timestamp(secondsSince1970: 1_773_480_413, nanoseconds: 0))
        case .date: .date(LocalDate(daysSince1970: 20_526))
        }
    }
}
