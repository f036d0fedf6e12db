import ContractModel

/// Warnings from the articles on event design: publish facts, not database rows; say what an
/// event means; say what replaces a deprecated field.
public struct DesignRule: LintRule {
    /// The rule ids it reports.
    public var ids: [RuleID] { [.databaseColumnField, .missingSummary, .deprecatedWithoutDoc] }

    /// Bookkeeping columns of a table that mean nothing to a consumer (lowercased).
    static let databaseColumns: Set<String> = [
        "createdat", "updatedat", "modifiedat", "deletedat", "lastmodified", "lastmodifiedat", "lastupdated",
        "createdby", "updatedby", "modifiedby", "lastmodifiedby", "deleted", "isdeleted", "deletedflag",
        "rowversion", "lockversion", "jpaversion", "optlock",
    ]

    /// The rule.
    public init() {}

    static func isDatabaseColumn(_ name: String) -> Bool {
        // Field names are short ASCII (lint enforces it), so lowercase the bytes directly.
        let lowered = name.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }
        return databaseColumns.contains(String(decoding: lowered, as: UTF8.self))
            || containsPassword(lowered) || (name.hasSuffix("Version") && name != "Version")
    }

    private static let password = Array("password".utf8)

    private static func containsPassword(_ lowered: [UInt8]) -> Bool {
        guard lowered.count >= password.count else { return false }
        return (0...(lowered.count - password.count)).contains { start in
            lowered[start..<start + password.count].elementsEqual(password)
        }
    }

    /// Every problem it finds in `contract`.
    public func check(_ contract: Contract, context: LintContext) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        if contract.summary == nil, let event = contract.event {
            diagnostics.append(.warning(
                .missingSummary, "contract '\(event.value)' has no summary", at: event.location,
                hint: "add 'summary:' with one sentence on the fact this event records; it becomes the type's doc"))
        }
        for site in context.fieldSites {
            let field = site.field
            if Self.isDatabaseColumn(field.name) {
                diagnostics.append(.warning(
                    .databaseColumnField, "field '\(field.name)' looks like a database column, not part of the fact",
                    at: field.location,
                    hint: "publish what happened; occurredAt and the version travel in the envelope, and secrets never do"))
            }
            if field.deprecated, (field.doc ?? "").allSatisfy(\.isWhitespace) {
                diagnostics.append(.warning(
                    .deprecatedWithoutDoc, "field '\(field.name)' is deprecated but has no doc", at: field.location,
                    hint: "add 'doc:' saying what replaces it and when it goes"))
            }
        }
        return diagnostics
    }
}
