import ContractModel

/// The diagnostics sink and the typed readers the contract decoder is built from. Each reader
/// reports what is wrong with a value and returns nil, so decoding goes on and every problem in
/// the file is reported in one run.
struct DecodingContext {
    var diagnostics: [Diagnostic] = []
    /// Parsed type expressions by spelling: a contract repeats a handful of them across versions.
    var typeCache: [String: Result<TypeExpression, TypeExpressionError>] = [:]

    mutating func parseType(_ text: String) -> Result<TypeExpression, TypeExpressionError> {
        if let cached = typeCache[text] { return cached }
        let parsed = TypeExpression.parse(text)
        typeCache[text] = parsed
        return parsed
    }

    mutating func report(_ diagnostic: Diagnostic) { diagnostics.append(diagnostic) }

    // MARK: Mappings

    /// The entries of a mapping in order, the first of each duplicated key kept and the repeat
    /// reported with both locations.
    mutating func entries(of node: ValueNode, what: String, duplicateRule: RuleID = .duplicateKey) -> [MappingEntry]? {
        guard case .mapping(let entries) = node.content else {
            report(.error(.wrongShape, "\(what) must be a mapping, found \(node.shapeName)", at: node.location))
            return nil
        }
        // Contract mappings are small: a linear scan beats hashing until they are not.
        let useIndex = entries.count > 16
        var seen: [String: SourceLocation] = [:]
        var firstRepeat: Int?
        for index in entries.indices {
            let key = entries[index].key
            let repeated = useIndex
                ? seen.updateValue(entries[index].keyLocation, forKey: key) != nil
                : entries[..<index].contains { $0.key == key }
            if repeated {
                firstRepeat = index
                break
            }
        }
        // The common case: no repeats, and the node's own array is returned without a copy.
        guard let firstRepeat else { return entries }
        var unique = Array(entries[..<firstRepeat])
        for entry in entries[firstRepeat...] {
            if let first = unique.first(where: { $0.key == entry.key })?.keyLocation {
                report(.error(
                    duplicateRule,
                    "\(Self.noun(for: duplicateRule)) '\(entry.key)' is declared twice in \(what); first at \(first.lineColumn)",
                    at: entry.keyLocation, hint: "remove or rename one of them"))
            } else {
                unique.append(entry)
            }
        }
        return unique
    }

    private static func noun(for rule: RuleID) -> String {
        switch rule {
        case .duplicateField: "field"
        case .duplicateType: "type"
        default: "key"
        }
    }

    /// A mapping with a fixed set of keys: unknown keys and missing required ones are reported.
    mutating func keyedMapping(
        _ node: ValueNode, what: String, allowed: [String], required: [String] = [], unknownHint: String? = nil
    ) -> KeyedMapping? {
        guard let entries = entries(of: node, what: what) else { return nil }
        // Usually every key is allowed, and the entries are used as they are.
        var known = entries
        if !entries.allSatisfy({ allowed.contains($0.key) }) {
            known = entries.filter { allowed.contains($0.key) }
            for entry in entries where !allowed.contains(entry.key) {
                let hint = Suggestion.closest(to: entry.key, among: allowed).map { "did you mean '\($0)'?" } ?? unknownHint
                report(.error(
                    .unknownKey, "unknown key '\(entry.key)' in \(what)", at: entry.keyLocation,
                    hint: hint ?? "allowed keys: \(allowed.joined(separator: ", "))"))
            }
        }
        for key in required where !known.contains(where: { $0.key == key }) {
            report(.error(.missingRequired, "\(what) is missing required key '\(key)'", at: node.location))
        }
        return KeyedMapping(location: node.location, entries: known)
    }

    // MARK: Scalars

    mutating func string(_ entry: MappingEntry) -> Located<String>? {
        let node = entry.value
        guard case .scalar(let text, _) = node.content, !node.isNull else {
            report(.error(.wrongShape, "'\(entry.key)' must be a string, found \(node.shapeName)", at: node.location))
            return nil
        }
        return Located(text, at: node.location)
    }

    mutating func integer(_ entry: MappingEntry) -> Located<Int>? {
        guard let text = plainScalar(entry, expected: "an integer") else { return nil }
        guard ScalarSyntax.isInteger(text), let value = Int(text) else {
            report(.error(
                .invalidValue, "'\(entry.key)' must be an integer, found '\(text)'", at: entry.value.location,
                hint: ScalarSyntax.leadingZerosHint(text)))
            return nil
        }
        return Located(value, at: entry.value.location)
    }

    mutating func number(_ entry: MappingEntry) -> Located<Double>? {
        guard let text = plainScalar(entry, expected: "a number") else { return nil }
        guard let value = ScalarSyntax.finiteNumber(text) else {
            report(.error(.invalidValue, "'\(entry.key)' must be a number, found '\(text)'", at: entry.value.location))
            return nil
        }
        return Located(value, at: entry.value.location)
    }

    mutating func bool(_ entry: MappingEntry) -> Located<Bool>? {
        guard let text = plainScalar(entry, expected: "true or false") else { return nil }
        switch ScalarSyntax.bool(text) {
        case .valid(let value):
            return Located(value, at: entry.value.location)
        case .yaml11(let meant):
            report(.error(
                .invalidValue, "'\(entry.key)' must be true or false, found '\(text)'", at: entry.value.location,
                hint: "write '\(meant)': YAML 1.1 spellings such as yes/no/on/off are not booleans here"))
        case .invalid:
            report(.error(.invalidValue, "'\(entry.key)' must be true or false, found '\(text)'",
                          at: entry.value.location))
        }
        return nil
    }

    mutating func choice<Choice: RawRepresentable & CaseIterable>(_ entry: MappingEntry, of: Choice.Type)
        -> Located<Choice>? where Choice.RawValue == String
    {
        guard let text = string(entry) else { return nil }
        if let value = Choice(rawValue: text.value) { return Located(value, at: text.location) }
        let options = Choice.allCases.map(\.rawValue)
        let caseMatch = options.first { $0.lowercased() == text.value.lowercased() }
        let hint = (caseMatch ?? Suggestion.closest(to: text.value, among: options)).map { "did you mean '\($0)'?" }
        report(.error(
            .invalidValue,
            "'\(entry.key)' must be one of \(options.joined(separator: ", ")); found '\(text.value)'",
            at: text.location, hint: hint))
        return nil
    }

    mutating func duration(_ entry: MappingEntry) -> Located<TimeSpan>? {
        guard let text = string(entry) else { return nil }
        guard let span = TimeSpan.parse(text.value) else {
            report(.error(
                .invalidDuration, "'\(entry.key)' is not a duration: '\(text.value)'", at: text.location,
                hint: "write a whole number with a unit: 100ms, 30s, 5m, 12h, 7d"))
            return nil
        }
        return Located(span, at: text.location)
    }

    mutating func sequence(_ entry: MappingEntry) -> [ValueNode]? {
        guard case .sequence(let items) = entry.value.content else {
            report(.error(
                .wrongShape, "'\(entry.key)' must be a sequence, found \(entry.value.shapeName)",
                at: entry.value.location, hint: "write a list: [a, b] or one '- item' per line"))
            return nil
        }
        return items
    }

    mutating func scalarItems(_ entry: MappingEntry) -> [Located<String>]? {
        guard let items = sequence(entry) else { return nil }
        var values: [Located<String>] = []
        for item in items {
            guard case .scalar(let text, _) = item.content, !item.isNull else {
                report(.error(.wrongShape, "items of '\(entry.key)' must be strings, found \(item.shapeName)",
                              at: item.location))
                continue
            }
            values.append(Located(text, at: item.location))
        }
        return values
    }

    /// Numbers and booleans are written plain: a quoted "12" is a string, and the schema says so.
    private mutating func plainScalar(_ entry: MappingEntry, expected: String) -> String? {
        switch entry.value.content {
        case .scalar(let text, plain: true) where !entry.value.isNull:
            return text
        case .scalar(let text, plain: false):
            let tagged = entry.value.tag == "!!str"
            report(.error(
                .invalidValue, "'\(entry.key)' must be \(expected), found the string \"\(text)\" (\(entry.value.textReason))",
                at: entry.value.location, hint: tagged ? "remove the !!str tag: it makes the value text" : "remove the quotes"))
        default:
            report(.error(.wrongShape, "'\(entry.key)' must be \(expected), found \(entry.value.shapeName)",
                          at: entry.value.location))
        }
        return nil
    }
}

/// A decoded fixed-schema mapping: its location and its known keys, each once. A schema has at
/// most a dozen keys, so lookup is a scan.
struct KeyedMapping {
    var location: SourceLocation
    var entries: [MappingEntry]

    subscript(key: String) -> MappingEntry? { entries.first { $0.key == key } }
}
