import ContractModel
import EventCore

/// Masks the values of fields tagged `pii` or `secret` in a payload read by its contract, so
/// what an operator prints, pastes into a ticket or keeps in a terminal's scrollback holds no
/// personal data or secret unless they ask for it (`--reveal`).
///
/// A field is masked when any version of the contract tags it: a tag added later to a field
/// of an older version still applies to that version's events, which hold the same data.
enum SensitiveFields {
    /// What a masked value is printed as: the tags that masked it.
    static func placeholder(_ tags: [String]) -> JSONValue {
        .string("<masked: \(tags.filter { SensitivityTag.masked.contains($0) }.joined(separator: ", "))>")
    }

    /// Whether the contract tags anything `pii` or `secret`: then a payload's raw bytes are
    /// not printed either.
    static func hasSensitiveFields(_ contract: CheckedContract) -> Bool {
        contract.versions.contains { version in
            (version.fields + version.types.flatMap(\.fields)).contains(where: \.isSensitive)
        }
    }

    /// `value` with every sensitive field's value replaced by `placeholder`.
    static func mask(_ value: JSONValue, by contract: CheckedContract) -> JSONValue {
        contract.versions.reduce(value) { masked, version in mask(masked, fields: version.fields, in: version, depth: 0) }
    }

    private static func mask(_ value: JSONValue, fields: [CheckedField], in version: CheckedVersion, depth: Int) -> JSONValue {
        guard case .object(let members) = value, depth < 64 else { return value }
        return .object(members.map { name, member in
            guard let field = fields.first(where: { $0.name == name }) else { return (name, member) }
            if field.isSensitive, member != .null { return (name, placeholder(field.tags)) }
            return (name, mask(member, as: field.type, in: version, depth: depth + 1))
        })
    }

    private static func mask(_ value: JSONValue, as type: TypeExpression, in version: CheckedVersion, depth: Int) -> JSONValue {
        switch (type, value) {
        case (.optional(let wrapped), _): return mask(value, as: wrapped, in: version, depth: depth)
        case (.array(let element), .array(let items)): return .array(items.map { mask($0, as: element, in: version, depth: depth + 1) })
        case (.map(let valueType), .object(let members)):
            return .object(members.map { ($0.0, mask($0.1, as: valueType, in: version, depth: depth + 1)) })
        case (.named(let name), _):
            guard let record = version.type(named: name), !record.isEnumeration else { return value }
            return mask(value, fields: record.fields, in: version, depth: depth + 1)
        default: return value
        }
    }
}
