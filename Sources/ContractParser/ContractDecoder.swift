import ContractModel
import EventCore

/// Turns a contract file's YAML tree into the contract IR, reporting every key, shape and scalar
/// that does not follow contract language v1. Semantic rules (names, types, keys, defaults) are the
/// checker's: this stage only decides what the document says.
public enum ContractDecoder {
    /// The keys a contract may have at its top level (the did-you-mean hints choose among them).
    public static let topLevelKeys = [
        "event", "namespace", "owner", "summary", "topic", "partitions", "key", "compatibility", "retention",
        "encoding", "delivery", "producers", "consumers", "types", "versions",
    ]
    static let requiredTopLevelKeys = ["event", "owner", "topic", "key", "versions"]
    static let deliveryKeys = ["acks", "idempotency", "retry", "dlq"]
    static let retryKeys = ["attempts", "backoff", "initial", "multiplier", "max"]
    static let dlqKeys = ["topic", "on"]
    static let versionKeys = ["version", "fields", "types", "breaking"]
    static let fieldKeys = ["type", "default", "doc", "aliases", "deprecated", "tags"] + DataRule.allCases.map(\.rawValue)
    static let recordKeys = ["kind", "doc", "fields"]
    static let enumKeys = ["kind", "doc", "symbols", "default"]
    static let consumerKeys = ["service", "reads"]

    /// The contract `root` describes, and the problems with its shape; nil when it is not a
    /// contract at all.
    public static func decode(_ root: ValueNode?, file: String) -> (contract: Contract?, diagnostics: [Diagnostic]) {
        var context = DecodingContext()
        guard let root else {
            let start = SourceLocation(file: file, line: 1, column: 1)
            context.report(.error(.wrongShape, "the file is empty; a contract is a mapping", at: start,
                                  hint: "start with 'event: MyEvent'"))
            return (nil, context.diagnostics)
        }
        let contract = decodeContract(root, file: file, context: &context)
        return (contract, context.diagnostics)
    }

    /// The folder a contract lives in names its namespace unless it says otherwise, lowercased so
    /// that contracts kept directly in `Contracts/` get `contracts`.
    static func defaultNamespace(for file: String) -> String {
        let parts = file.split(separator: "/", omittingEmptySubsequences: true)
        guard parts.count >= 2 else { return "default" }
        let folder = parts[parts.count - 2]
        return folder == "." || folder == ".." ? "default" : folder.lowercased()
    }

    private static func decodeContract(_ root: ValueNode, file: String, context: inout DecodingContext) -> Contract? {
        guard let map = context.keyedMapping(
            root, what: "the contract", allowed: topLevelKeys, required: requiredTopLevelKeys)
        else { return nil }
        let start = root.location
        var contract = Contract(
            file: file,
            location: start,
            namespace: Located(defaultNamespace(for: file), at: start),
            partitions: Located(Contract.defaultPartitions, at: start),
            compatibility: Located(.backward, at: start),
            retention: Located(Contract.defaultRetention, at: start),
            delivery: .defaults(at: start)
        )
        contract.event = map["event"].flatMap { context.string($0) }
        if let entry = map["namespace"], let namespace = context.string(entry) { contract.namespace = namespace }
        contract.owner = map["owner"].flatMap { context.string($0) }
        contract.summary = map["summary"].flatMap { context.string($0) }
        contract.topic = map["topic"].flatMap { context.string($0) }
        if let entry = map["partitions"], let partitions = context.integer(entry) { contract.partitions = partitions }
        if let entry = map["key"], let key = context.string(entry) {
            contract.key = Located(key.value == "none" ? .none : .field(key.value), at: key.location)
        }
        if let entry = map["compatibility"], let mode = context.choice(entry, of: CompatibilityLevel.self) {
            contract.compatibility = mode
        }
        if let entry = map["retention"], let retention = decodeRetention(entry, context: &context) {
            contract.retention = retention
        }
        if let entry = map["encoding"] { contract.encoding = context.choice(entry, of: EventEncoding.self) }
        if let entry = map["delivery"] {
            contract.delivery = decodeDelivery(entry, context: &context)
        }
        if let entry = map["producers"], let services = context.scalarItems(entry) { contract.producers = services }
        if let entry = map["consumers"] { contract.consumers = decodeConsumers(entry, context: &context) }
        if let entry = map["types"] {
            contract.types = decodeTypes(entry.value, what: "the shared types", context: &context)
        }
        if let entry = map["versions"] {
            contract.versions = decodeVersions(entry, context: &context)
        }
        return contract
    }

    private static func decodeRetention(_ entry: MappingEntry, context: inout DecodingContext) -> Located<Retention>? {
        guard let text = context.string(entry) else { return nil }
        if text.value == "forever" { return Located(.forever, at: text.location) }
        guard let span = TimeSpan.parse(text.value), span.milliseconds > 0 else {
            context.report(.error(
                .invalidDuration, "'retention' is not a duration: '\(text.value)'", at: text.location,
                hint: "write a positive whole number with a unit (30s, 12h, 7d) or 'forever'"))
            return nil
        }
        return Located(.duration(span), at: text.location)
    }

    private static func decodeDelivery(_ entry: MappingEntry, context: inout DecodingContext) -> DeliveryBlock {
        var delivery = DeliveryBlock.defaults(at: entry.keyLocation)
        guard let map = context.keyedMapping(entry.value, what: "delivery", allowed: deliveryKeys) else {
            return delivery
        }
        if let acks = map["acks"].flatMap({ context.choice($0, of: DeliveryPolicy.Acks.self) }) { delivery.acks = acks }
        if let idempotency = map["idempotency"].flatMap({ context.choice($0, of: DeliveryPolicy.Idempotency.self) }) {
            delivery.idempotency = idempotency
        }
        if let retry = map["retry"] {
            delivery.retry = .defaults(at: retry.keyLocation)
            if let retryMap = context.keyedMapping(retry.value, what: "delivery.retry", allowed: retryKeys) {
                if let value = retryMap["attempts"].flatMap({ context.integer($0) }) { delivery.retry.attempts = value }
                if let value = retryMap["backoff"].flatMap({ context.choice($0, of: DeliveryPolicy.Backoff.self) }) {
                    delivery.retry.backoff = value
                }
                if let value = retryMap["initial"].flatMap({ context.duration($0) }) { delivery.retry.initial = value }
                if let value = retryMap["multiplier"].flatMap({ context.number($0) }) {
                    delivery.retry.multiplier = value
                }
                if let value = retryMap["max"].flatMap({ context.duration($0) }) { delivery.retry.max = value }
            }
        }
        if let dlq = map["dlq"] {
            delivery.dlq.location = dlq.keyLocation
            delivery.dlq.on.location = dlq.keyLocation
            if let dlqMap = context.keyedMapping(dlq.value, what: "delivery.dlq", allowed: dlqKeys) {
                delivery.dlq.topic = dlqMap["topic"].flatMap { context.string($0) }
                if let on = dlqMap["on"], let reasons = context.scalarItems(on) {
                    var decoded: [DeliveryPolicy.DeadLetterReason] = []
                    for reason in reasons {
                        guard let value = DeliveryPolicy.DeadLetterReason(rawValue: reason.value) else {
                            let options = DeliveryPolicy.DeadLetterReason.allCases.map(\.rawValue)
                            context.report(.error(
                                .invalidValue,
                                "'\(reason.value)' is not a DLQ reason; use \(options.joined(separator: ", "))",
                                at: reason.location,
                                hint: Suggestion.closest(to: reason.value, among: options).map { "did you mean '\($0)'?" }))
                            continue
                        }
                        if !decoded.contains(value) { decoded.append(value) }
                    }
                    delivery.dlq.on = Located(decoded, at: on.value.location)
                }
            }
        }
        return delivery
    }

    /// `consumers:` items are a service's name, or `{ service: NAME, reads: [FIELD…] }`.
    private static func decodeConsumers(_ entry: MappingEntry, context: inout DecodingContext) -> [ConsumerDeclaration] {
        guard let items = context.sequence(entry) else { return [] }
        var consumers: [ConsumerDeclaration] = []
        for (index, item) in items.enumerated() {
            if case .scalar(let text, _) = item.content, !item.isNull {
                consumers.append(ConsumerDeclaration(service: Located(text, at: item.location)))
                continue
            }
            guard let map = context.keyedMapping(
                item, what: "consumers[\(index)]", allowed: consumerKeys, required: ["service"])
            else { continue }
            guard let service = map["service"].flatMap({ context.string($0) }) else { continue }
            consumers.append(ConsumerDeclaration(service: service, reads: map["reads"].flatMap { context.scalarItems($0) }))
        }
        return consumers
    }

    private static func decodeVersions(_ entry: MappingEntry, context: inout DecodingContext) -> [ContractVersion] {
        guard let items = context.sequence(entry) else { return [] }
        if items.isEmpty {
            context.report(.error(.missingRequired, "'versions' lists no version", at: entry.value.location,
                                  hint: "add '- version: 1' with its fields"))
        }
        var versions: [ContractVersion] = []
        for (index, item) in items.enumerated() {
            let what = "versions[\(index)]"
            guard let map = context.keyedMapping(item, what: what, allowed: versionKeys, required: ["version", "fields"])
            else { continue }
            guard let number = map["version"].flatMap({ context.integer($0) }) else { continue }
            var version = ContractVersion(number: number, location: item.location)
            let label = "version \(number.value)"
            if let types = map["types"] {
                version.types = decodeTypes(types.value, what: "the types of \(label)", context: &context)
            }
            if let fields = map["fields"] {
                version.fields = decodeFields(fields.value, what: "the fields of \(label)", context: &context)
            }
            if let breaking = map["breaking"] {
                var declaration = BreakingDeclaration(location: breaking.keyLocation, reason: nil)
                if let reasonMap = context.keyedMapping(breaking.value, what: "breaking", allowed: ["reason"]) {
                    declaration.reason = reasonMap["reason"].flatMap { context.string($0) }
                }
                version.breaking = declaration
            }
            versions.append(version)
        }
        return versions
    }

    static func decodeFields(_ node: ValueNode, what: String, context: inout DecodingContext) -> [Field] {
        guard let entries = context.entries(of: node, what: what, duplicateRule: .duplicateField) else { return [] }
        return entries.compactMap { decodeField($0, context: &context) }
    }

    private static func decodeField(_ entry: MappingEntry, context: inout DecodingContext) -> Field? {
        let node = entry.value
        switch node.content {
        case .scalar(let text, _) where !node.isNull:
            return Field(
                name: entry.key, location: entry.keyLocation,
                type: decodeType(text, at: node.location, plain: isPlain(node), context: &context),
                typeLocation: node.location)
        case .mapping:
            let what = "field '\(entry.key)'"
            guard let map = context.keyedMapping(node, what: what, allowed: fieldKeys, required: ["type"]) else {
                return nil
            }
            var field = Field(name: entry.key, location: entry.keyLocation, type: nil, typeLocation: node.location)
            if let typeEntry = map["type"], let text = context.string(typeEntry) {
                field.type = decodeType(text.value, at: text.location, plain: isPlain(typeEntry.value), context: &context)
                field.typeLocation = text.location
            }
            field.defaultValue = map["default"]?.value
            field.doc = map["doc"].flatMap { context.string($0) }?.value
            if let aliases = map["aliases"] { field.aliases = context.scalarItems(aliases) ?? [] }
            if let deprecated = map["deprecated"].flatMap({ context.bool($0) }) { field.deprecated = deprecated.value }
            field.rules = DataRule.allCases.compactMap { rule in
                map[rule.rawValue].flatMap { decodeRule(rule, $0, context: &context) }
            }.sorted { $0.keyLocation < $1.keyLocation }
            if let tags = map["tags"] { field.tags = context.scalarItems(tags) ?? [] }
            return field
        default:
            context.report(.error(
                .missingRequired, "field '\(entry.key)' needs a type", at: node.location,
                hint: "write '\(entry.key): string' or '\(entry.key): { type: string, default: … }'"))
            return nil
        }
    }

    /// A data rule whose value has the rule's shape (a count is an integer of 0 or more, a format
    /// one of the formats…); a range rule's bound is typed by the field, so the checker reads it.
    private static func decodeRule(_ rule: DataRule, _ entry: MappingEntry, context: inout DecodingContext) -> WrittenRule? {
        let written = WrittenRule(rule: rule, keyLocation: entry.keyLocation, value: entry.value)
        switch rule {
        case .min, .max, .exclusiveMin, .exclusiveMax:
            guard case .scalar = entry.value.content, !entry.value.isNull else {
                context.report(.error(.wrongShape, "'\(rule.rawValue)' must be a number, decimal, timestamp or date, found \(entry.value.shapeName)",
                                      at: entry.value.location))
                return nil
            }
            return written
        case .minLength, .maxLength, .minItems, .maxItems, .minProperties, .maxProperties:
            guard let count = context.integer(entry) else { return nil }
            guard count.value >= 0 else {
                context.report(.error(.invalidValue, "'\(rule.rawValue)' must be 0 or more, found \(count.value)", at: count.location))
                return nil
            }
            return written
        case .uniqueItems:
            return context.bool(entry).map { _ in written }
        case .pattern:
            return context.string(entry).map { _ in written }
        case .format:
            return context.choice(entry, of: StringFormat.self).map { _ in written }
        }
    }

    private static func isPlain(_ node: ValueNode) -> Bool {
        if case .scalar(_, plain: true) = node.content { return true }
        return false
    }

    private static func decodeType(_ text: String, at location: SourceLocation, plain: Bool,
                                   context: inout DecodingContext) -> TypeExpression?
    {
        switch context.parseType(text) {
        case .success(let type):
            return type
        case .failure(let error):
            var at = location
            // Point into a one-line scalar; a quote adds one column.
            if !text.contains("\n") { at.column += error.offset + (plain ? 0 : 1) }
            context.report(.error(
                .invalidType, "cannot read type '\(text)': \(error.message)", at: at,
                hint: "types are bool, int, long, float, double, string, bytes, decimal, uuid, timestamp, date, "
                    + "a name from 'types:', array<T>, map<T>, and T? for optional"))
            return nil
        }
    }

    static func decodeTypes(_ node: ValueNode, what: String, context: inout DecodingContext) -> [NamedType] {
        guard let entries = context.entries(of: node, what: what, duplicateRule: .duplicateType) else { return [] }
        var types: [NamedType] = []
        for entry in entries {
            let name = Located(entry.key, at: entry.keyLocation)
            let typeWhat = "type '\(entry.key)'"
            guard case .mapping(let items) = entry.value.content else {
                context.report(.error(
                    .wrongShape, "\(typeWhat) must be a mapping with a 'kind', found \(entry.value.shapeName)",
                    at: entry.value.location,
                    hint: "write '{ kind: record, fields: { … } }' or '{ kind: enum, symbols: [ … ] }'"))
                continue
            }
            let kindEntry = items.first { $0.key == "kind" }
            let kind = kindEntry.flatMap { context.choice($0, of: NamedTypeKind.self) }
            let allowed = kind?.value == .enumeration ? enumKeys : recordKeys
            let required = kind?.value == .enumeration ? ["kind", "symbols"] : ["kind", "fields"]
            guard let map = context.keyedMapping(
                entry.value, what: typeWhat, allowed: kind == nil ? recordKeys + enumKeys : allowed,
                required: kind == nil ? ["kind"] : required,
                unknownHint: kind?.value == .enumeration
                    ? "an enum has kind, doc, symbols and default" : "a record has kind, doc and fields")
            else { continue }
            guard let kind else { continue }
            let doc = map["doc"].flatMap { context.string($0) }?.value
            switch kind.value {
            case .record:
                let fields = map["fields"].map {
                    decodeFields($0.value, what: "the fields of \(typeWhat)", context: &context)
                } ?? []
                types.append(NamedType(name: name, kind: .record(fields: fields), doc: doc))
            case .enumeration:
                let symbols = map["symbols"].flatMap { context.scalarItems($0) } ?? []
                let defaultSymbol = map["default"].flatMap { context.string($0) }
                types.append(NamedType(name: name, kind: .enumeration(symbols: symbols, defaultSymbol: defaultSymbol),
                                       doc: doc))
            }
        }
        return types
    }
}

/// The `kind:` of a named type, as written.
enum NamedTypeKind: String, CaseIterable {
    case record
    case enumeration = "enum"
}
