import ContractModel

/// The key decides the partition, and so the order consumers see: it must exist in every version,
/// be present on every event (not optional), and keep one scalar type so it keeps hashing the same.
public struct PartitionKeyRule: LintRule {
    /// The rule ids it reports.
    public var ids: [RuleID] { [.keyFieldMissing, .keyFieldType, .keyNone] }

    /// Types whose text form is a stable identifier. Floats print differently across languages,
    /// bytes have no text, and a bool key would use two partitions.
    public static let keyPrimitives: Set<PrimitiveType> = [.string, .int, .long, .uuid]

    /// The rule.
    public init() {}

    /// Every problem it finds in `contract`.
    public func check(_ contract: Contract, context: LintContext) -> [Diagnostic] {
        guard let key = contract.key else { return [] }  // MISSING_REQUIRED already
        guard case .field(let name) = key.value else {
            return [.warning(
                .keyNone, "key: none — events spread over partitions and lose their order", at: key.location,
                hint: "name the field whose events must stay in order (orderId, productId…) unless order truly does not matter")]
        }
        var diagnostics: [Diagnostic] = []
        var firstType: (type: TypeExpression, version: Int)?
        for (version, scope) in context.versionScopes {
            guard let field = version.field(named: name) else {
                diagnostics.append(.error(
                    .keyFieldMissing, "key '\(name)' is not a field of version \(version.number.value) (line \(version.number.location.line))",
                    at: key.location,
                    hint: Suggestion.closest(to: name, among: version.fields.map(\.name)).map { "did you mean '\($0)'?" }
                        ?? "every version must carry the key field"))
                continue
            }
            guard let type = field.type else { continue }
            if !Self.isKeyType(type, scope: scope) {
                diagnostics.append(.error(
                    .keyFieldType,
                    "key field '\(name)' is '\(type)'; a key must be a non-optional string, int, long, uuid or enum",
                    at: field.typeLocation,
                    hint: type.isOptional ? "an event without a key loses its order; make it '\(type.nonOptional)'" : nil))
            } else if let first = firstType, first.type != type {
                diagnostics.append(.error(
                    .keyFieldType,
                    "key field '\(name)' is '\(first.type)' in version \(first.version) but '\(type)' in version \(version.number.value)",
                    at: field.typeLocation, hint: "a key that changes type hashes to other partitions; keep its type"))
            }
            if firstType == nil { firstType = (type, version.number.value) }
        }
        return diagnostics
    }

    static func isKeyType(_ type: TypeExpression, scope: TypeScope) -> Bool {
        switch type {
        case .primitive(let primitive): keyPrimitives.contains(primitive)
        case .named(let name): if case .enumeration? = scope[name]?.kind { true } else { scope[name] == nil }
        default: false
        }
    }
}
