import ContractModel

/// `validate()`: the contract's data rules as code, reflection-free. Each field's rules are one
/// `static let` the runtime interprets (`RangeRules`, `StringRules`, `ItemRules`,
/// `PropertyRules`: small non-generic checks, so a contracts library does not compile a
/// specialised check per field), and `validate()` hands each field to its rules and each record
/// that has rules to its own `validate()`. A failure deeper down gets its path on the way out
/// (`lines[2].sku`), so the success path builds no strings.
struct ValidatorGenerator {
    let context: GenerationContext

    /// The records of the newest version whose `validate()` checks something: those with rules,
    /// and those holding such a record.
    static func validatingRecords(_ version: CheckedVersion) -> Set<String> {
        var found: Set<String> = []
        var changed = true
        while changed {
            changed = false
            for type in version.types where !found.contains(type.name) {
                let validates = type.fields.contains { !$0.rules.isEmpty || $0.type.referencedNames.contains(where: found.contains) }
                if validates {
                    found.insert(type.name)
                    changed = true
                }
            }
        }
        return found
    }

    func render(_ fields: [CheckedField], _ w: inout SwiftWriter) {
        let records = Self.validatingRecords(context.latest)
        // Nothing to check: the protocol's empty `validate()` serves.
        guard fields.contains(where: { !$0.rules.isEmpty || holdsValidatingRecord($0.type, records) }) else { return }
        w.line()
        for field in fields where !field.rules.isEmpty {
            w.line("private static let \(rulesName(field)) = \(rulesValue(field))")
        }
        w.line()
        w.line("/// Checks the contract's data rules: the publisher runs it before sending, the processor after decoding.")
        w.block("\(context.access) func validate() throws(EventRuleViolation)") { w in
            for field in fields {
                statements("self.\(context.storageName(field))", field.type, field: field, path: field.name, depth: 0, records, &w)
            }
        }
    }

    private func rulesName(_ field: CheckedField) -> String { "_\(field.name)Rules" }

    /// The field's rules as a runtime value: a `static let` of generated code.
    private func rulesValue(_ field: CheckedField) -> String {
        let rules = field.rules
        var arguments: [String] = []
        switch field.type.nonOptional {
        case .primitive(let primitive) where rules.hasRange:
            if let lower = rules.lower {
                arguments.append("\(lower.exclusive ? "exclusiveMin" : "min"): \(context.literal(lower.value, as: .primitive(primitive)))")
            }
            if let upper = rules.upper {
                arguments.append("\(upper.exclusive ? "exclusiveMax" : "max"): \(context.literal(upper.value, as: .primitive(primitive)))")
            }
            return "RangeRules<\(SwiftTypes.primitiveName(primitive))>(\(arguments.joined(separator: ", ")))"
        case .array:
            if let minItems = rules.minItems { arguments.append("minItems: \(minItems)") }
            if let maxItems = rules.maxItems { arguments.append("maxItems: \(maxItems)") }
            if rules.uniqueItems { arguments.append("uniqueItems: true") }
            return "ItemRules(\(arguments.joined(separator: ", ")))"
        case .map:
            if let minProperties = rules.minProperties { arguments.append("minProperties: \(minProperties)") }
            if let maxProperties = rules.maxProperties { arguments.append("maxProperties: \(maxProperties)") }
            return "PropertyRules(\(arguments.joined(separator: ", ")))"
        default:
            if let minLength = rules.minLength { arguments.append("minLength: \(minLength)") }
            if let maxLength = rules.maxLength { arguments.append("maxLength: \(maxLength)") }
            if let pattern = rules.pattern { arguments.append("pattern: EventPattern(verified: \(SwiftLiteral.string(pattern)))") }
            if let format = rules.format { arguments.append("format: .\(format.rawValue)") }
            return "StringRules(\(arguments.joined(separator: ", ")))"
        }
    }

    /// Whether a value of `type` holds a record whose `validate()` checks something.
    private func holdsValidatingRecord(_ type: TypeExpression, _ records: Set<String>) -> Bool {
        type.referencedNames.contains(where: records.contains)
    }

    /// The statements that check `value` of `type`: the field's own rules at its outer level
    /// (inside its optional), records' `validate()` wherever they are held. `path` is the field's
    /// name at the outer level and empty inside a container, whose loop adds the subscript.
    private func statements(
        _ value: String, _ type: TypeExpression, field: CheckedField?, path: String, depth: Int, _ records: Set<String>,
        _ w: inout SwiftWriter
    ) {
        let ownRules = field.map { !$0.rules.isEmpty } ?? false
        guard ownRules || holdsValidatingRecord(type, records) else { return }
        let pathLiteral = SwiftLiteral.string(path)
        switch type {
        case .optional(let wrapped):
            w.block("if let value\(depth) = \(value)") { w in
                statements("value\(depth)", wrapped, field: field, path: path, depth: depth + 1, records, &w)
            }
        case .primitive:
            if let field, ownRules { w.line("try Self.\(rulesName(field)).check(\(value), field: \(pathLiteral))") }
        case .array(let element):
            if let field, ownRules { w.line("try Self.\(rulesName(field)).check(\(value), field: \(pathLiteral))") }
            guard holdsValidatingRecord(element, records) else { return }
            w.block("for (index\(depth), item\(depth)) in \(value).enumerated()") { w in
                nested("item\(depth)", element, depth: depth, records, &w, rethrow: "error.nested(in: \(pathLiteral), index: index\(depth))")
            }
        case .map(let valueType):
            if let field, ownRules { w.line("try Self.\(rulesName(field)).check(\(value), field: \(pathLiteral))") }
            guard holdsValidatingRecord(valueType, records) else { return }
            w.block("for (key\(depth), item\(depth)) in \(value)") { w in
                nested("item\(depth)", valueType, depth: depth, records, &w, rethrow: "error.nested(in: \(pathLiteral), key: key\(depth))")
            }
        case .named:
            if path.isEmpty {
                w.line("try \(value).validate()")
            } else {
                nested(value, type, depth: depth, records, &w, rethrow: "error.nested(in: \(pathLiteral))")
            }
        }
    }

    /// Checks `value` and, on a violation, throws it again with the path from here (`rethrow`).
    private func nested(
        _ value: String, _ type: TypeExpression, depth: Int, _ records: Set<String>, _ w: inout SwiftWriter, rethrow: String
    ) {
        w.line("do throws(EventRuleViolation) {")
        w.indented { w in
            if case .named = type {
                w.line("try \(value).validate()")
            } else {
                statements(value, type, field: nil, path: "", depth: depth + 1, records, &w)
            }
        }
        w.line("} catch {")
        w.indented { w in w.line("throw \(rethrow)") }
        w.line("}")
    }
}
