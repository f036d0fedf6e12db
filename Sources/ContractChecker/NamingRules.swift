import ContractModel

/// Names become Swift identifiers and wire names, so they are plain ASCII in the case Swift expects:
/// events and types UpperCamelCase, fields lowerCamelCase, symbols identifiers.
public struct NamingRule: LintRule {
    /// The rule ids it reports.
    public var ids: [RuleID] {
        [.invalidEventName, .invalidFieldName, .invalidTypeName, .invalidSymbol, .invalidNamespace,
         .reservedFieldName]
    }

    /// Envelope attributes carried in CloudEvents headers, never in the payload.
    public static let envelopeNames: Set<String> = ["eventId", "eventType", "version", "occurredAt", "key"]
    /// UpperCamelCase names that mean something else to Swift.
    static let swiftTypeNames: Set<String> = ["Self", "Type", "Protocol", "Any", "AnyObject"]

    /// The rule.
    public init() {}

    /// Every problem it finds in `contract`.
    public func check(_ contract: Contract, context: LintContext) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        if let event = contract.event, !Self.isEventName(event.value) {
            diagnostics.append(.error(
                .invalidEventName, "event name '\(event.value)' must be UpperCamelCase ASCII, such as OrderCreated",
                at: event.location, hint: Self.upperCamelHint(event.value)))
        }
        let namespace = contract.namespace
        if !Self.isNamespace(namespace.value) {
            diagnostics.append(.error(
                .invalidNamespace,
                "namespace '\(namespace.value)' must be lowercase letters and digits, separated by '-' or '.'",
                at: namespace.location,
                hint: namespace.location == contract.location
                    ? "the namespace defaults to the folder's name; set 'namespace:' or rename the folder" : nil))
        }
        for type in context.allTypes {
            if !Self.isUpperCamel(type.name.value) || Self.swiftTypeNames.contains(type.name.value) {
                diagnostics.append(.error(
                    .invalidTypeName, "type name '\(type.name.value)' must be UpperCamelCase ASCII, such as Money",
                    at: type.name.location, hint: Self.upperCamelHint(type.name.value)))
            }
            if case .enumeration(let symbols, _) = type.kind {
                for symbol in symbols where !Self.isIdentifier(symbol.value) {
                    diagnostics.append(.error(
                        .invalidSymbol,
                        "symbol '\(symbol.value)' of enum '\(type.name.value)' must be an ASCII identifier "
                            + "(letters, digits and '_', not starting with a digit)",
                        at: symbol.location))
                }
            }
        }
        for site in context.fieldSites {
            let name = site.field.name
            if !Self.isLowerCamel(name) {
                diagnostics.append(.error(
                    .invalidFieldName, "field name '\(name)' must be lowerCamelCase ASCII, such as orderId",
                    at: site.field.location, hint: Self.lowerCamelHint(name)))
            }
            if site.isEventField, Self.envelopeNames.contains(name) {
                diagnostics.append(.error(
                    .reservedFieldName,
                    "'\(name)' is an envelope attribute (carried in the ce_* headers), not a field",
                    at: site.field.location,
                    hint: "remove it: every event already has eventId, eventType, version, occurredAt and its key"))
            }
        }
        return diagnostics
    }

    /// Whether `name` may name an event (`INVALID_EVENT_NAME` otherwise): UpperCamelCase ASCII,
    /// and not a name Swift reserves for itself.
    public static func isEventName(_ name: String) -> Bool {
        isUpperCamel(name) && !swiftTypeNames.contains(name)
    }

    static func isUpperCamel(_ name: String) -> Bool {
        guard let first = name.utf8.first, isUpper(first) else { return false }
        return name.utf8.allSatisfy { isUpper($0) || isLower($0) || isDigit($0) }
    }

    static func isLowerCamel(_ name: String) -> Bool {
        guard let first = name.utf8.first, isLower(first) else { return false }
        return name.utf8.allSatisfy { isUpper($0) || isLower($0) || isDigit($0) }
    }

    static func isIdentifier(_ name: String) -> Bool {
        guard let first = name.utf8.first, !isDigit(first) else { return false }
        return name.utf8.allSatisfy { isUpper($0) || isLower($0) || isDigit($0) || $0 == UInt8(ascii: "_") }
    }

    static func isNamespace(_ name: String) -> Bool {
        let parts = name.split(omittingEmptySubsequences: false) { $0 == "." || $0 == "-" }
        guard let first = name.utf8.first, isLower(first) else { return false }
        return parts.allSatisfy { !$0.isEmpty && $0.utf8.allSatisfy { isLower($0) || isDigit($0) } }
    }

    private static func isUpper(_ byte: UInt8) -> Bool { byte >= 0x41 && byte <= 0x5A }
    private static func isLower(_ byte: UInt8) -> Bool { byte >= 0x61 && byte <= 0x7A }
    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    /// `order_created` → `OrderCreated`, when the name is ASCII words that can be joined.
    private static func words(_ name: String) -> [String] {
        name.split { !($0.isASCII && ($0.isLetter || $0.isNumber)) }.map(String.init)
    }

    private static func upperCamelHint(_ name: String) -> String? {
        let joined = words(name).map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
        return isUpperCamel(joined) && joined != name && !swiftTypeNames.contains(joined)
            ? "did you mean '\(joined)'?" : nil
    }

    private static func lowerCamelHint(_ name: String) -> String? {
        let parts = words(name)
        guard let first = parts.first else { return nil }
        let joined = first.prefix(1).lowercased() + first.dropFirst()
            + parts.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
        return isLowerCamel(joined) && joined != name ? "did you mean '\(joined)'?" : nil
    }
}
