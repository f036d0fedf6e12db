import ContractModel

/// Names that would collide after decoding or in generated code. Keys repeated in one YAML mapping
/// are caught while decoding; these are the collisions YAML cannot see.
public struct DuplicateNameRule: LintRule {
    /// The rule ids it reports.
    public var ids: [RuleID] { [.duplicateField, .duplicateType, .duplicateSymbol] }

    /// The rule.
    public init() {}

    /// Every problem it finds in `contract`.
    public func check(_ contract: Contract, context: LintContext) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        for version in contract.versions {
            diagnostics += aliasCollisions(in: version.fields, container: "version \(version.number.value)")
        }
        for type in context.allTypes {
            diagnostics += aliasCollisions(in: type.fields, container: "type '\(type.name.value)'")
            if let event = contract.event, type.name.value == event.value {
                diagnostics.append(.error(
                    .duplicateType, "type '\(type.name.value)' has the event's own name", at: type.name.location,
                    hint: "the generated event struct already uses this name; rename the type"))
            }
            if case .enumeration(let symbols, _) = type.kind {
                var seen: [String: SourceLocation] = [:]
                for symbol in symbols {
                    if let first = seen[symbol.value] {
                        diagnostics.append(.error(
                            .duplicateSymbol,
                            "symbol '\(symbol.value)' is listed twice in enum '\(type.name.value)'; first at \(first.lineColumn)",
                            at: symbol.location))
                    } else {
                        seen[symbol.value] = symbol.location
                    }
                }
            }
        }
        return diagnostics
    }

    /// A field's alias is the name it was written under before: it must not name another field of
    /// the same record, nor be claimed by two fields, or a reader could not tell which one it fills.
    private func aliasCollisions(in fields: [Field], container: String) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        let names = Dictionary(fields.map { ($0.name, $0.location) }, uniquingKeysWith: { first, _ in first })
        var claimed: [String: (field: String, location: SourceLocation)] = [:]
        for field in fields {
            for alias in field.aliases {
                if alias.value == field.name { continue }
                if let other = names[alias.value] {
                    diagnostics.append(.error(
                        .duplicateField,
                        "alias '\(alias.value)' of field '\(field.name)' names another field of \(container) (at \(other.lineColumn))",
                        at: alias.location, hint: "an alias is a field's old name; drop it or rename the other field"))
                } else if let previous = claimed[alias.value], previous.field != field.name {
                    diagnostics.append(.error(
                        .duplicateField,
                        "alias '\(alias.value)' is claimed by fields '\(previous.field)' and '\(field.name)' of \(container)",
                        at: alias.location, hint: "an old name can turn into one field only"))
                } else {
                    claimed[alias.value] = (field.name, alias.location)
                }
            }
        }
        return diagnostics
    }
}

/// Generated event types share one module, so two contracts may not declare the same event.
public struct DuplicateEventRule: CrossContractRule {
    /// The rule ids it reports.
    public var ids: [RuleID] { [.duplicateEvent] }

    /// The rule.
    public init() {}

    /// Every problem it finds among `contracts`.
    public func check(_ contracts: [Contract]) -> [Diagnostic] {
        var first: [String: SourceLocation] = [:]
        var diagnostics: [Diagnostic] = []
        for contract in contracts.sorted(by: { $0.location < $1.location }) {
            guard let event = contract.event else { continue }
            if let previous = first[event.value] {
                diagnostics.append(.error(
                    .duplicateEvent, "event '\(event.value)' is already declared in \(previous)", at: event.location,
                    hint: "each event has one contract file; add a version there instead"))
            } else {
                first[event.value] = event.location
            }
        }
        return diagnostics
    }
}
