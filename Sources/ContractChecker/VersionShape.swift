import ContractModel

/// A version's schema written out structurally, named types expanded, locations and docs left
/// out: two versions with equal shapes read and write the same JSON. Used to tell whether a
/// published version was edited, including through a shared type it uses.
public enum VersionShape {
    /// Each field's canonical description, by field name.
    public static func fields(of schema: SchemaVersion) -> [String: String] {
        var result: [String: String] = [:]
        for field in schema.version.fields {
            var visiting: Set<String> = []
            result[field.name] = describe(field, scope: schema.scope, visiting: &visiting)
        }
        return result
    }

    /// A type written out structurally in `scope`, named types expanded: equal descriptions read
    /// and write the same JSON.
    public static func describe(_ type: TypeExpression, in scope: TypeScope) -> String {
        var visiting: Set<String> = []
        return describe(type, scope: scope, visiting: &visiting)
    }

    private static func describe(_ field: Field, scope: TypeScope, visiting: inout Set<String>) -> String {
        var text = field.type.map { describe($0, scope: scope, visiting: &visiting) } ?? "?"
        if let value = field.defaultValue { text += " = " + canonical(value) }
        if !field.aliases.isEmpty { text += " aliases [" + field.aliases.map(\.value).joined(separator: ", ") + "]" }
        return text
    }

    private static func describe(_ type: TypeExpression, scope: TypeScope, visiting: inout Set<String>) -> String {
        switch type {
        case .primitive(let primitive): return primitive.rawValue
        case .array(let element): return "array<\(describe(element, scope: scope, visiting: &visiting))>"
        case .map(let value): return "map<\(describe(value, scope: scope, visiting: &visiting))>"
        case .optional(let wrapped): return describe(wrapped, scope: scope, visiting: &visiting) + "?"
        case .named(let name):
            guard let named = scope[name], visiting.insert(name).inserted else { return name }
            defer { visiting.remove(name) }
            switch named.kind {
            case .record(let fields):
                let inner = fields.map { "\($0.name): \(describe($0, scope: scope, visiting: &visiting))" }
                return "\(name) { \(inner.joined(separator: ", ")) }"
            case .enumeration(let symbols, let defaultSymbol):
                let fallback = defaultSymbol.map { " default \($0.value)" } ?? ""
                return "\(name) enum [\(symbols.map(\.value).joined(separator: ", "))]\(fallback)"
            }
        }
    }

    /// A default as text, independent of how it was spelled across lines or flow style.
    static func canonical(_ node: ValueNode) -> String {
        switch node.content {
        case .scalar(let text, let plain): plain ? (node.isNull ? "null" : text) : "\"\(text)\""
        case .sequence(let items): "[" + items.map(canonical).joined(separator: ", ") + "]"
        case .mapping(let entries): "{" + entries.map { "\($0.key): \(canonical($0.value))" }.joined(separator: ", ") + "}"
        }
    }

    /// What changed between two shapes, one phrase per field, in a stable order.
    public static func diff(old: [String: String], new: [String: String]) -> [String] {
        var changes: [String] = []
        for name in old.keys.sorted() {
            guard let now = new[name] else {
                changes.append("removed '\(name): \(old[name] ?? "")'")
                continue
            }
            if let was = old[name], was != now { changes.append("changed '\(name)' from '\(was)' to '\(now)'") }
        }
        for name in new.keys.sorted() where old[name] == nil {
            changes.append("added '\(name): \(new[name] ?? "")'")
        }
        return changes
    }
}
