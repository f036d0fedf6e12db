import ContractModel

/// `producers:` and `consumers:` name services the way namespaces are named (they become page
/// names, AsyncAPI operation ids and SVG labels), each once, and a consumer's `reads:` names
/// fields the event has: a typo there would make `eventc breaking` say a change is harmless.
public struct ServiceRule: LintRule {
    /// The rule ids it reports.
    public var ids: [RuleID] { [.invalidServiceName, .duplicateService, .unknownReadField] }

    /// The rule.
    public init() {}

    /// Every problem it finds in `contract`.
    public func check(_ contract: Contract, context: LintContext) -> [Diagnostic] {
        var diagnostics = Self.names(contract.producers, role: "producer")
        diagnostics += Self.names(contract.consumers.map(\.service), role: "consumer")
        let fieldNames = Set(contract.versions.flatMap { $0.fields.map(\.name) })
        for consumer in contract.consumers {
            for field in consumer.reads ?? [] where !fieldNames.contains(field.value) {
                diagnostics.append(.error(
                    .unknownReadField,
                    "consumer '\(consumer.service.value)' reads '\(field.value)', which no version of the event has",
                    at: field.location,
                    hint: Suggestion.closest(to: field.value, among: fieldNames.sorted()).map { "did you mean '\($0)'?" }
                        ?? "list the top-level fields it reads, from: \(fieldNames.sorted().joined(separator: ", "))"))
            }
        }
        return diagnostics
    }

    private static func names(_ services: [Located<String>], role: String) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        var seen: Set<String> = []
        for service in services {
            if !NamingRule.isNamespace(service.value) {
                diagnostics.append(.error(
                    .invalidServiceName,
                    "\(role) '\(service.value)' must be lowercase letters and digits, separated by '-' or '.'",
                    at: service.location, hint: "name the service as it is deployed, such as order-service"))
            }
            if !seen.insert(service.value).inserted {
                diagnostics.append(.error(
                    .duplicateService, "\(role) '\(service.value)' is listed twice", at: service.location,
                    hint: "list each service once; a consumer's reads: lists every field it reads"))
            }
        }
        return diagnostics
    }
}
