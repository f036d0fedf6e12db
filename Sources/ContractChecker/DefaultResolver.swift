import ContractModel
import ContractParser
import EventCore

/// Reads a default written in YAML as a value of its field's type. The type decides what each
/// scalar means: `no` is the string "no" for a string field and an error for a bool. Text scalars
/// (decimal, bytes, uuid, timestamp, date) are parsed by the runtime's own parsers, so a default
/// the checker accepts is exactly what generated decoders accept, and it is parsed here once.
public struct DefaultResolver {
    /// The named types a default may be of (records and enums in the version's scope).
    public let scope: TypeScope
    /// Where problems are reported, most specific first.
    public private(set) var diagnostics: [Diagnostic] = []

    /// A resolver for defaults whose types are named in `scope`.
    public init(scope: TypeScope) { self.scope = scope }

    /// The literal, or nil when the default does not fit (the reasons are in `diagnostics`).
    public mutating func resolve(_ node: ValueNode, as type: TypeExpression, path: String) -> Literal? {
        resolve(node, type, path: path, depth: 0)
    }

    private mutating func fail(_ node: ValueNode, _ message: String, hint: String? = nil) -> Literal? {
        diagnostics.append(.error(.invalidDefault, message, at: node.location, hint: hint))
        return nil
    }

    private mutating func resolve(_ node: ValueNode, _ type: TypeExpression, path: String, depth: Int) -> Literal? {
        // Records may nest optional copies of themselves; a default cannot be deeper than the YAML
        // reader's cap, but a type cycle must not recurse past it either.
        guard depth <= 64 else { return fail(node, "default for '\(path)' nests too deeply") }
        if case .optional(let wrapped) = type {
            return node.isNull ? .null : resolve(node, wrapped, path: path, depth: depth)
        }
        if node.isNull {
            return fail(node, "default for '\(path)' is null, but '\(type)' is not optional",
                        hint: "make the type '\(type)?', give a value, or quote \"null\" if you mean the string")
        }
        switch type {
        case .optional:
            return nil  // handled above
        case .primitive(let primitive):
            return resolvePrimitive(node, primitive, path: path)
        case .array(let element):
            guard case .sequence(let items) = node.content else {
                return fail(node, "default for '\(path)' must be a sequence for '\(type)', found \(node.shapeName)",
                            hint: "write [] for an empty array")
            }
            var values: [Literal] = []
            var ok = true
            for (index, item) in items.enumerated() {
                if let value = resolve(item, element, path: "\(path)[\(index)]", depth: depth + 1) {
                    values.append(value)
                } else {
                    ok = false
                }
            }
            return ok ? .array(values) : nil
        case .map(let valueType):
            guard case .mapping(let entries) = node.content else {
                return fail(node, "default for '\(path)' must be a mapping for '\(type)', found \(node.shapeName)",
                            hint: "write {} for an empty map")
            }
            var values: [LiteralEntry] = []
            var seen: Set<String> = []
            var ok = true
            for entry in entries {
                guard seen.insert(entry.key).inserted else {
                    diagnostics.append(.error(.duplicateKey, "key '\(entry.key)' appears twice in the default for '\(path)'",
                                              at: entry.keyLocation))
                    ok = false
                    continue
                }
                if let value = resolve(entry.value, valueType, path: "\(path).\(entry.key)", depth: depth + 1) {
                    values.append(LiteralEntry(key: entry.key, value: value))
                } else {
                    ok = false
                }
            }
            return ok ? .map(values) : nil
        case .named(let name):
            guard let named = scope[name] else { return nil }  // UNKNOWN_TYPE reports it
            switch named.kind {
            case .enumeration(let symbols, _):
                guard case .scalar(let text, _) = node.content else {
                    return fail(node, "default for '\(path)' must be a symbol of enum '\(name)', found \(node.shapeName)")
                }
                guard symbols.contains(where: { $0.value == text }) else {
                    return fail(node, "'\(text)' is not a symbol of enum '\(name)'",
                                hint: symbolHint(text, symbols: symbols.map(\.value)))
                }
                return .symbol(text)
            case .record(let fields):
                return resolveRecord(node, name: name, fields: fields, path: path, depth: depth)
            }
        }
    }

    private mutating func resolveRecord(_ node: ValueNode, name: String, fields: [Field], path: String, depth: Int)
        -> Literal?
    {
        guard case .mapping(let entries) = node.content else {
            return fail(node, "default for '\(path)' must be a mapping of record '\(name)', found \(node.shapeName)")
        }
        var ok = true
        var given: [String: MappingEntry] = [:]
        for entry in entries {
            if given[entry.key] != nil {
                diagnostics.append(.error(.duplicateKey, "key '\(entry.key)' appears twice in the default for '\(path)'",
                                          at: entry.keyLocation))
                ok = false
            } else if !fields.contains(where: { $0.name == entry.key }) {
                diagnostics.append(.error(
                    .invalidDefault, "record '\(name)' has no field '\(entry.key)' (in the default for '\(path)')",
                    at: entry.keyLocation,
                    hint: Suggestion.closest(to: entry.key, among: fields.map(\.name)).map { "did you mean '\($0)'?" }))
                ok = false
            } else {
                given[entry.key] = entry
            }
        }
        var values: [LiteralEntry] = []
        for field in fields {
            guard let type = field.type else {
                ok = false
                continue
            }
            let fieldPath = "\(path).\(field.name)"
            if let entry = given[field.name] {
                if let value = resolve(entry.value, type, path: fieldPath, depth: depth + 1) {
                    values.append(LiteralEntry(key: field.name, value: value))
                } else {
                    ok = false
                }
            } else if let own = field.defaultValue {
                // The record's own default; its problems are reported where it is written.
                var inner = DefaultResolver(scope: scope)
                if let value = inner.resolve(own, type, path: fieldPath, depth: depth + 1) {
                    values.append(LiteralEntry(key: field.name, value: value))
                } else {
                    ok = false
                }
            } else if type.isOptional {
                values.append(LiteralEntry(key: field.name, value: .null))
            } else {
                diagnostics.append(.error(
                    .invalidDefault, "the default for '\(path)' does not give field '\(field.name)' of record '\(name)'",
                    at: node.location, hint: "add '\(field.name): …', or give '\(field.name)' a default in '\(name)'"))
                ok = false
            }
        }
        return ok ? .record(values) : nil
    }

    private mutating func resolvePrimitive(_ node: ValueNode, _ primitive: PrimitiveType, path: String) -> Literal? {
        guard case .scalar(let text, let plain) = node.content else {
            return fail(node, "default for '\(path)' must be a \(primitive.rawValue) scalar, found \(node.shapeName)")
        }
        let quotedNumber = node.tag == "!!str"
            ? "remove the !!str tag: it makes the value a string"
            : "write it without quotes: a quoted value is a string"
        switch primitive {
        case .string:
            return .string(text)
        case .bool:
            guard plain else { return fail(node, "default for '\(path)' must be true or false", hint: quotedNumber) }
            switch ScalarSyntax.bool(text) {
            case .valid(let value): return .bool(value)
            case .yaml11(let meant):
                return fail(node, "'\(text)' is not a bool here (default for '\(path)')",
                            hint: "write '\(meant)': YAML 1.1 spellings such as yes/no/on/off are not booleans here")
            case .invalid:
                return fail(node, "'\(text)' is not a bool (default for '\(path)')", hint: "write true or false")
            }
        case .int, .long:
            guard plain else { return fail(node, "default for '\(path)' must be an integer", hint: quotedNumber) }
            guard ScalarSyntax.isInteger(text), let value = Int64(text) else {
                return fail(node, "'\(text)' is not an integer (default for '\(path)')", hint: ScalarSyntax.leadingZerosHint(text))
            }
            if primitive == .int, Int32(exactly: value) == nil {
                return fail(node, "\(text) does not fit a 32-bit int (default for '\(path)')",
                            hint: "use 'long' for 64-bit values")
            }
            return .int(value)
        case .float, .double:
            guard plain else { return fail(node, "default for '\(path)' must be a number", hint: quotedNumber) }
            guard let value = ScalarSyntax.finiteNumber(text) else {
                return fail(node, "'\(text)' is not a finite number (default for '\(path)')",
                            hint: "JSON cannot carry NaN or infinity; write a number such as 0.5")
            }
            if primitive == .float, !Float(value).isFinite {
                return fail(node, "\(text) does not fit a 32-bit float (default for '\(path)')",
                            hint: "use 'double'")
            }
            return .float(value)
        case .decimal:
            guard let decimal = ExactDecimal(text) else {
                return fail(node, "'\(text)' is not a decimal number (default for '\(path)')",
                            hint: "write digits with an optional '.', such as 0 or \"19.99\"")
            }
            return .decimal(decimal)
        case .bytes:
            guard let bytes = Base64.decode(text) else {
                return fail(node, "'\(text)' is not base64 (default for '\(path)')",
                            hint: "bytes travel as standard base64 with padding, such as \"AQID\"")
            }
            return .bytes(bytes)
        case .uuid:
            guard let uuid = UUIDText.parse(Array(text.utf8)) else {
                return fail(node, "'\(text)' is not a UUID (default for '\(path)')",
                            hint: "write 8-4-4-4-12 hex digits, such as 00000000-0000-0000-0000-000000000000")
            }
            return .uuid(uuid)
        case .timestamp:
            guard let timestamp = Timestamp(rfc3339: Array(text.utf8)) else {
                return fail(node, "'\(text)' is not an RFC 3339 timestamp (default for '\(path)')",
                            hint: "write it like 2024-01-31T09:00:00Z")
            }
            return .timestamp(timestamp)
        case .date:
            guard let date = LocalDate(iso: text) else {
                return fail(node, "'\(text)' is not a date (default for '\(path)')", hint: "write YYYY-MM-DD")
            }
            return .date(date)
        }
    }

    private func symbolHint(_ text: String, symbols: [String]) -> String {
        if let near = Suggestion.closest(to: text, among: symbols) { return "did you mean '\(near)'?" }
        return "symbols: \(symbols.joined(separator: ", "))"
    }
}

/// Field defaults and enum defaults must fit their types.
public struct DefaultValueRule: LintRule {
    /// `INVALID_DEFAULT`.
    public var ids: [RuleID] { [.invalidDefault] }

    /// The rule.
    public init() {}

    /// Every field default that does not fit its type, and every enum default that is not a symbol.
    public func check(_ contract: Contract, context: LintContext) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        for site in context.fieldSites { diagnostics += site.defaultDiagnostics }
        for type in context.allTypes {
            guard case .enumeration(let symbols, let defaultSymbol?) = type.kind,
                !symbols.contains(where: { $0.value == defaultSymbol.value })
            else { continue }
            let near = Suggestion.closest(to: defaultSymbol.value, among: symbols.map(\.value))
            diagnostics.append(.error(
                .invalidDefault, "enum '\(type.name.value)' defaults to '\(defaultSymbol.value)', which is not one of its symbols",
                at: defaultSymbol.location,
                hint: near.map { "did you mean '\($0)'?" } ?? "pick one of: \(symbols.map(\.value).joined(separator: ", "))"))
        }
        return diagnostics
    }
}
