import ContractModel

/// What every construct's generator of one contract file shares: the checked contract, the
/// options, and the spellings that follow from them.
struct GenerationContext {
    let contract: CheckedContract
    let options: GeneratorOptions

    var event: String { contract.event }
    /// Generated types expose the newest version's shape.
    var latest: CheckedVersion { contract.latest }
    var access: String { options.accessLevel.rawValue }


    /// A type's Swift spelling.
    func typeName(_ type: TypeExpression) -> String { SwiftTypes.name(type, in: event) }

    /// A default of the newest shape as Swift.
    func literal(_ value: Literal, as type: TypeExpression) -> String {
        SwiftTypes.literal(value, as: type, in: latest, event: event)
    }

    /// What a field of the newest shape is when a writer did not write it, as Swift: its default,
    /// nil for an optional field; nil when it is required.
    func fallback(_ field: CheckedField) -> String? { field.fallback.map { literal($0, as: field.type) } }

    /// Deprecated fields keep private storage under an underscored name and expose a deprecated
    /// accessor, so the generated code itself never touches a deprecated declaration (no warnings).
    func storageName(_ field: CheckedField) -> String {
        field.deprecated ? "_" + field.name : SwiftNames.identifier(field.name)
    }

    /// Refuses names the generator would not emit, whatever checks ran before: only ASCII
    /// identifiers reach the source, and no field takes a generated member's name.
    func validateNames() throws(GenerationError) {
        func check(_ name: String, _ what: String) throws(GenerationError) {
            guard SwiftNames.isAllowed(name) else {
                throw GenerationError(file: contract.file, "\(what) '\(SwiftLiteral.string(name))' is not an ASCII identifier")
            }
        }
        try check(event, "event name")
        for version in contract.versions {
            for field in version.fields + version.types.flatMap(\.fields) {
                try check(field.name, "field name")
                guard !SwiftNames.reservedMembers.contains(field.name) else {
                    throw GenerationError(file: contract.file, "field name '\(field.name)' clashes with a generated member")
                }
                for alias in field.aliases { try check(alias, "alias") }
                for name in field.type.referencedNames where version.type(named: name) == nil {
                    throw GenerationError(file: contract.file, "type '\(SwiftLiteral.string(name))' is not declared")
                }
            }
            for type in version.types {
                try check(type.name, "type name")
                if case .enumeration(let symbols, _) = type.kind {
                    guard !symbols.isEmpty else { throw GenerationError(file: contract.file, "enum '\(type.name)' has no symbols") }
                    for symbol in symbols { try check(symbol, "enum symbol") }
                }
            }
        }
    }
}
