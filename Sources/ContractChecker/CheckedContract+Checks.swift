import ContractModel
import EventCore

/// Building the checked form from what the checks computed.
extension CheckedContract {
    /// The checked form of `contract`, from the lint context the checks ran with (its defaults are
    /// resolved there, once).
    init(_ context: LintContext) throws(CheckedContractError) {
        let contract = context.contract
        func require<Value>(_ value: Value?, _ what: String) throws(CheckedContractError) -> Value {
            guard let value else { throw CheckedContractError(file: contract.file, missing: what) }
            return value
        }
        let topic = try require(contract.topic?.value, "topic")
        let keyField: String?
        switch try require(contract.key?.value, "key") {
        case .field(let name): keyField = name
        case .none: keyField = nil
        }
        guard !contract.versions.isEmpty else { throw CheckedContractError(file: contract.file, missing: "versions") }
        var versions: [CheckedVersion] = []
        for (index, (version, scope)) in context.versionScopes.enumerated() {
            let typeSites = context.typeSites[index]
            var types: [CheckedType] = []
            for type in scope.values.sorted(by: { $0.name.location < $1.name.location }) {
                types.append(try Self.type(type, sites: typeSites[type.name.value] ?? [], file: contract.file))
            }
            versions.append(CheckedVersion(
                number: version.number.value,
                fields: try context.versionSites[index].map { site throws(CheckedContractError) in
                    try Self.field(site, file: contract.file)
                },
                types: types,
                breakingReason: version.breaking?.reason?.value))
        }
        self.init(
            file: contract.file, event: try require(contract.event?.value, "event"), namespace: contract.namespace.value,
            owner: try require(contract.owner?.value, "owner"), summary: contract.summary?.value, topic: topic,
            partitions: contract.partitions.value, keyField: keyField, compatibility: contract.compatibility.value,
            retention: contract.retention.value, encoding: contract.encoding?.value ?? .json, declaresEncoding: contract.encoding != nil,
            delivery: Self.policy(contract.delivery, topic: topic), versions: versions, producers: contract.producers.map(\.value),
            consumers: contract.consumers.map { CheckedConsumer(service: $0.service.value, reads: $0.reads?.map(\.value)) },
            source: contract)
    }

    /// What changed from each version to the next, with the verdict of each direction. Computed
    /// when asked: only the catalog needs it, so `generate` and the exporters do not pay for it.
    public var changes: [VersionChange] { Self.changes(source, versions: versions) }

    private static func changes(_ contract: Contract, versions: [CheckedVersion]) -> [VersionChange] {
        zip(zip(contract.versions, contract.versions.dropFirst()), zip(versions, versions.dropFirst())).map { raw, checked in
            let (old, new) = (SchemaVersion(contract, raw.0), SchemaVersion(contract, raw.1))
            let oldNames = Set(checked.0.fields.map(\.name))
            let newNames = Set(checked.1.fields.map(\.name))
            return VersionChange(
                from: checked.0.number, to: checked.1.number,
                addedFields: checked.1.fields.map(\.name).filter { !oldNames.contains($0) },
                removedFields: checked.0.fields.map(\.name).filter { !newNames.contains($0) },
                changedFields: checked.1.fields.filter { field in
                    checked.0.field(named: field.name).map { $0.type != field.type || $0.defaultValue != field.defaultValue
                        || $0.aliases != field.aliases || $0.deprecated != field.deprecated || $0.rules != field.rules } ?? false
                }.map(\.name),
                changedTypes: checked.1.types.filter { type in checked.0.type(named: type.name).map { $0 != type } ?? false }
                    .map(\.name),
                backwardProblems: SchemaCompatibility.canRead(reader: new, writer: old).map(\.message),
                forwardProblems: SchemaCompatibility.canRead(reader: old, writer: new).map(\.message))
        }
    }

    /// The `delivery:` block as the runtime's policy.
    static func policy(_ block: DeliveryBlock, topic: String) -> DeliveryPolicy {
        DeliveryPolicy(
            acks: block.acks.value, idempotency: block.idempotency.value, retryAttempts: block.retry.attempts.value,
            backoff: block.retry.backoff.value, initialBackoffMilliseconds: block.retry.initial.value.milliseconds,
            backoffMultiplier: block.retry.multiplier.value, maxBackoffMilliseconds: block.retry.max.value.milliseconds,
            deadLetterTopic: block.dlq.resolvedTopic(for: topic), deadLetterOn: Set(block.dlq.on.value))
    }

    private static func field(_ site: FieldSite, file: String) throws(CheckedContractError) -> CheckedField {
        let field = site.field
        guard let type = field.type else { throw CheckedContractError(file: file, missing: "the type of field '\(field.name)'") }
        if field.defaultValue != nil, site.resolvedDefault == nil {
            throw CheckedContractError(file: file, missing: "the default of field '\(field.name)'")
        }
        return CheckedField(
            name: field.name, type: type, defaultValue: site.resolvedDefault, doc: field.doc, aliases: field.aliases.map(\.value),
            deprecated: field.deprecated, rules: site.resolvedRules, tags: field.tags.map(\.value))
    }

    private static func type(_ type: NamedType, sites: [FieldSite], file: String) throws(CheckedContractError) -> CheckedType {
        switch type.kind {
        case .enumeration(let symbols, let defaultSymbol):
            return CheckedType(
                name: type.name.value, kind: .enumeration(symbols: symbols.map(\.value), defaultSymbol: defaultSymbol?.value),
                doc: type.doc)
        case .record:
            let fields = try sites.map { site throws(CheckedContractError) in try field(site, file: file) }
            return CheckedType(name: type.name.value, kind: .record(fields: fields), doc: type.doc)
        }
    }
}

/// The checked form for tools that look at contracts the checks refused, and the changes between versions.
extension CheckedContract {
    /// `contract` in checked form without running the checks: for tools and tests that must see
    /// what later stages do with a contract the checks would refuse (the generator still checks
    /// every name it emits). Throws when something the checks require is missing.
    public static func unchecked(_ contract: Contract) throws(CheckedContractError) -> CheckedContract {
        try CheckedContract(LintContext(contract))
    }
}
