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
        // Rules are part of what a version promises its readers; tags only classify the data,
        // so tagging a published field is not an edit.
        for rule in field.rules { text += " \(rule.rule.rawValue) \(canonical(rule.value))" }
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

    /// Where, in the new version, its first edit is, for `VERSION_EDITED` to point at: a field
    /// added or declared differently (its own line), or, for a field whose own declaration is the
    /// same but whose named type changed, the first field or symbol of that type that differs.
    /// nil when the edit is only a removal (there is nothing left to point at).
    public static func firstEdit(old: SchemaVersion, new: SchemaVersion) -> SourceLocation? {
        var visiting: Set<String> = []
        return firstEdit(old: old.version.fields, new: new.version.fields, old.scope, new.scope, &visiting)
    }

    private static func firstEdit(
        old: [Field], new: [Field], _ oldScope: TypeScope, _ newScope: TypeScope, _ visiting: inout Set<String>
    ) -> SourceLocation? {
        for field in new {
            guard let was = old.first(where: { $0.name == field.name }) else { return field.location }
            if ownDeclaration(was) != ownDeclaration(field) { return field.location }
            for name in field.type?.referencedNames ?? [] where visiting.insert(name).inserted {
                if let edit = firstEdit(inType: name, oldScope, newScope, &visiting) { return edit }
            }
        }
        return nil
    }

    private static func firstEdit(inType name: String, _ oldScope: TypeScope, _ newScope: TypeScope, _ visiting: inout Set<String>)
        -> SourceLocation?
    {
        guard let now = newScope[name] else { return nil }
        guard let was = oldScope[name] else { return now.name.location }
        guard describe(.named(name), in: oldScope) != describe(.named(name), in: newScope) else { return nil }
        switch (was.kind, now.kind) {
        case (.record(let wasFields), .record(let nowFields)):
            return firstEdit(old: wasFields, new: nowFields, oldScope, newScope, &visiting) ?? now.name.location
        case (.enumeration(let wasSymbols, let wasDefault), .enumeration(let nowSymbols, let nowDefault)):
            if let changed = nowSymbols.indices.first(where: { $0 >= wasSymbols.count || wasSymbols[$0].value != nowSymbols[$0].value }) {
                return nowSymbols[changed].location
            }
            if wasDefault?.value != nowDefault?.value, let nowDefault { return nowDefault.location }
            return now.name.location
        default:
            return now.name.location
        }
    }

    /// A field as written, without what its named types hold.
    private static func ownDeclaration(_ field: Field) -> String {
        "\(field.type.map(\.description) ?? "?") = \(field.defaultValue.map(canonical) ?? "") [\(field.aliases.map(\.value).joined(separator: ","))]"
    }
}
