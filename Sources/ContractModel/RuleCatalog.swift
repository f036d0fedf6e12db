/// Every rule `eventc` can report, with a one-line summary. The test that demands a fixture per
/// rule and the one that demands a row in the Rules article (the compiler's DocC catalog) both read
/// this list, so a rule cannot exist undocumented.
public struct RuleDescription: Hashable, Sendable {
    /// The rule's id, as diagnostics and fixtures name it.
    public var id: RuleID
    /// Whether it fails a check (error) or only reports (warning).
    public var severity: Severity
    /// What it means and what to do, in a sentence or two: the Rules article shows it, and
    /// `eventc explain` prints it.
    public var summary: String
    /// Lines a contract reports it for, and the same lines fixed; nil where no few lines show it
    /// (a file over 4 MiB, a removed contract). A test applies each fix to the rule's fixture and
    /// demands that the finding goes.
    public var example: RuleExample?
}

/// A rule's example: lines of a contract it reports, and the same lines fixed.
public struct RuleExample: Hashable, Sendable {
    /// The lines as the rule's fixture holds them (indentation relative to the first line).
    public var bad: String
    /// What to write instead.
    public var fixed: String

    /// An example.
    public init(bad: String, fixed: String) {
        self.bad = bad
        self.fixed = fixed
    }
}

extension RuleID {
    // YAML reading: the file is not a contract-shaped YAML document.
    /// `YAML_SYNTAX` (its severity and summary: `RuleCatalog.all`).
    public static let yamlSyntax: RuleID = "YAML_SYNTAX"
    /// `YAML_INVALID_UTF8` (its severity and summary: `RuleCatalog.all`).
    public static let yamlInvalidUTF8: RuleID = "YAML_INVALID_UTF8"
    /// `YAML_FILE_TOO_LARGE` (its severity and summary: `RuleCatalog.all`).
    public static let yamlFileTooLarge: RuleID = "YAML_FILE_TOO_LARGE"
    /// `YAML_NESTING_TOO_DEEP` (its severity and summary: `RuleCatalog.all`).
    public static let yamlNestingTooDeep: RuleID = "YAML_NESTING_TOO_DEEP"
    /// `YAML_ALIAS_LIMIT` (its severity and summary: `RuleCatalog.all`).
    public static let yamlAliasLimit: RuleID = "YAML_ALIAS_LIMIT"
    /// `YAML_UNDEFINED_ALIAS` (its severity and summary: `RuleCatalog.all`).
    public static let yamlUndefinedAlias: RuleID = "YAML_UNDEFINED_ALIAS"
    /// `YAML_MULTIPLE_DOCUMENTS` (its severity and summary: `RuleCatalog.all`).
    public static let yamlMultipleDocuments: RuleID = "YAML_MULTIPLE_DOCUMENTS"
    /// `YAML_UNSUPPORTED_TAG` (its severity and summary: `RuleCatalog.all`).
    public static let yamlUnsupportedTag: RuleID = "YAML_UNSUPPORTED_TAG"
    /// `YAML_COMPLEX_KEY` (its severity and summary: `RuleCatalog.all`).
    public static let yamlComplexKey: RuleID = "YAML_COMPLEX_KEY"

    // Decoding: the document does not follow contract language v1.
    /// `DUPLICATE_KEY` (its severity and summary: `RuleCatalog.all`).
    public static let duplicateKey: RuleID = "DUPLICATE_KEY"
    /// `UNKNOWN_KEY` (its severity and summary: `RuleCatalog.all`).
    public static let unknownKey: RuleID = "UNKNOWN_KEY"
    /// `MISSING_REQUIRED` (its severity and summary: `RuleCatalog.all`).
    public static let missingRequired: RuleID = "MISSING_REQUIRED"
    /// `WRONG_SHAPE` (its severity and summary: `RuleCatalog.all`).
    public static let wrongShape: RuleID = "WRONG_SHAPE"
    /// `INVALID_VALUE` (its severity and summary: `RuleCatalog.all`).
    public static let invalidValue: RuleID = "INVALID_VALUE"
    /// `INVALID_TYPE` (its severity and summary: `RuleCatalog.all`).
    public static let invalidType: RuleID = "INVALID_TYPE"
    /// `INVALID_DURATION` (its severity and summary: `RuleCatalog.all`).
    public static let invalidDuration: RuleID = "INVALID_DURATION"

    // Lint: the contract is well-formed but wrong or unwise.
    /// `INVALID_EVENT_NAME` (its severity and summary: `RuleCatalog.all`).
    public static let invalidEventName: RuleID = "INVALID_EVENT_NAME"
    /// `INVALID_FIELD_NAME` (its severity and summary: `RuleCatalog.all`).
    public static let invalidFieldName: RuleID = "INVALID_FIELD_NAME"
    /// `INVALID_TYPE_NAME` (its severity and summary: `RuleCatalog.all`).
    public static let invalidTypeName: RuleID = "INVALID_TYPE_NAME"
    /// `INVALID_SYMBOL` (its severity and summary: `RuleCatalog.all`).
    public static let invalidSymbol: RuleID = "INVALID_SYMBOL"
    /// `INVALID_NAMESPACE` (its severity and summary: `RuleCatalog.all`).
    public static let invalidNamespace: RuleID = "INVALID_NAMESPACE"
    /// `RESERVED_FIELD_NAME` (its severity and summary: `RuleCatalog.all`).
    public static let reservedFieldName: RuleID = "RESERVED_FIELD_NAME"
    /// `DUPLICATE_FIELD` (its severity and summary: `RuleCatalog.all`).
    public static let duplicateField: RuleID = "DUPLICATE_FIELD"
    /// `DUPLICATE_TYPE` (its severity and summary: `RuleCatalog.all`).
    public static let duplicateType: RuleID = "DUPLICATE_TYPE"
    /// `DUPLICATE_SYMBOL` (its severity and summary: `RuleCatalog.all`).
    public static let duplicateSymbol: RuleID = "DUPLICATE_SYMBOL"
    /// `DUPLICATE_EVENT` (its severity and summary: `RuleCatalog.all`).
    public static let duplicateEvent: RuleID = "DUPLICATE_EVENT"
    /// `UNKNOWN_TYPE` (its severity and summary: `RuleCatalog.all`).
    public static let unknownType: RuleID = "UNKNOWN_TYPE"
    /// `RECURSIVE_TYPE` (its severity and summary: `RuleCatalog.all`).
    public static let recursiveType: RuleID = "RECURSIVE_TYPE"
    /// `INVALID_DEFAULT` (its severity and summary: `RuleCatalog.all`).
    public static let invalidDefault: RuleID = "INVALID_DEFAULT"
    /// `VERSION_SEQUENCE` (its severity and summary: `RuleCatalog.all`).
    public static let versionSequence: RuleID = "VERSION_SEQUENCE"
    /// `INVALID_TOPIC` (its severity and summary: `RuleCatalog.all`).
    public static let invalidTopic: RuleID = "INVALID_TOPIC"
    /// `PARTITIONS_OUT_OF_RANGE` (its severity and summary: `RuleCatalog.all`).
    public static let partitionsOutOfRange: RuleID = "PARTITIONS_OUT_OF_RANGE"
    /// `RETRY_OUT_OF_RANGE` (its severity and summary: `RuleCatalog.all`).
    public static let retryOutOfRange: RuleID = "RETRY_OUT_OF_RANGE"
    /// `DLQ_SAME_AS_TOPIC` (its severity and summary: `RuleCatalog.all`).
    public static let dlqSameAsTopic: RuleID = "DLQ_SAME_AS_TOPIC"
    /// `KEY_FIELD_MISSING` (its severity and summary: `RuleCatalog.all`).
    public static let keyFieldMissing: RuleID = "KEY_FIELD_MISSING"
    /// `KEY_FIELD_TYPE` (its severity and summary: `RuleCatalog.all`).
    public static let keyFieldType: RuleID = "KEY_FIELD_TYPE"
    /// `KEY_NONE` (its severity and summary: `RuleCatalog.all`).
    public static let keyNone: RuleID = "KEY_NONE"
    /// `TOPIC_CONFLICT` (its severity and summary: `RuleCatalog.all`).
    public static let topicConflict: RuleID = "TOPIC_CONFLICT"
    /// `DATABASE_COLUMN_FIELD` (its severity and summary: `RuleCatalog.all`).
    public static let databaseColumnField: RuleID = "DATABASE_COLUMN_FIELD"
    /// `MISSING_SUMMARY` (its severity and summary: `RuleCatalog.all`).
    public static let missingSummary: RuleID = "MISSING_SUMMARY"
    /// `DEPRECATED_WITHOUT_DOC` (its severity and summary: `RuleCatalog.all`).
    public static let deprecatedWithoutDoc: RuleID = "DEPRECATED_WITHOUT_DOC"
    /// `INVALID_SERVICE_NAME` (its severity and summary: `RuleCatalog.all`).
    public static let invalidServiceName: RuleID = "INVALID_SERVICE_NAME"
    /// `DUPLICATE_SERVICE` (its severity and summary: `RuleCatalog.all`).
    public static let duplicateService: RuleID = "DUPLICATE_SERVICE"
    /// `UNKNOWN_READ_FIELD` (its severity and summary: `RuleCatalog.all`).
    public static let unknownReadField: RuleID = "UNKNOWN_READ_FIELD"
    /// `AVRO_UNREPRESENTABLE_DEFAULT` (its severity and summary: `RuleCatalog.all`).
    public static let avroUnrepresentableDefault: RuleID = "AVRO_UNREPRESENTABLE_DEFAULT"
    /// `RULE_TYPE_MISMATCH` (its severity and summary: `RuleCatalog.all`).
    public static let ruleTypeMismatch: RuleID = "RULE_TYPE_MISMATCH"
    /// `RULE_RANGE_EMPTY` (its severity and summary: `RuleCatalog.all`).
    public static let ruleRangeEmpty: RuleID = "RULE_RANGE_EMPTY"
    /// `INVALID_PATTERN` (its severity and summary: `RuleCatalog.all`).
    public static let invalidPattern: RuleID = "INVALID_PATTERN"
    /// `RULE_DEFAULT_VIOLATION` (its severity and summary: `RuleCatalog.all`).
    public static let ruleDefaultViolation: RuleID = "RULE_DEFAULT_VIOLATION"
    /// `SECRET_KEY` (its severity and summary: `RuleCatalog.all`).
    public static let secretKey: RuleID = "SECRET_KEY"

    // Compatibility: between the versions of a contract, and against a baseline.
    /// `COMPAT_MISSING_DEFAULT` (its severity and summary: `RuleCatalog.all`).
    public static let compatMissingDefault: RuleID = "COMPAT_MISSING_DEFAULT"
    /// `COMPAT_TYPE_MISMATCH` (its severity and summary: `RuleCatalog.all`).
    public static let compatTypeMismatch: RuleID = "COMPAT_TYPE_MISMATCH"
    /// `COMPAT_OPTIONAL_TO_REQUIRED` (its severity and summary: `RuleCatalog.all`).
    public static let compatOptionalToRequired: RuleID = "COMPAT_OPTIONAL_TO_REQUIRED"
    /// `COMPAT_ENUM_SYMBOL_MISSING` (its severity and summary: `RuleCatalog.all`).
    public static let compatEnumSymbolMissing: RuleID = "COMPAT_ENUM_SYMBOL_MISSING"
    /// `COMPAT_RULE_TIGHTENED` (its severity and summary: `RuleCatalog.all`).
    public static let compatRuleTightened: RuleID = "COMPAT_RULE_TIGHTENED"
    /// `COMPAT_RULE_LOOSENED` (its severity and summary: `RuleCatalog.all`).
    public static let compatRuleLoosened: RuleID = "COMPAT_RULE_LOOSENED"
    /// `BREAKING_DECLARED` (its severity and summary: `RuleCatalog.all`).
    public static let breakingDeclared: RuleID = "BREAKING_DECLARED"
    /// `BREAKING_REASON_MISSING` (its severity and summary: `RuleCatalog.all`).
    public static let breakingReasonMissing: RuleID = "BREAKING_REASON_MISSING"
    /// `KEY_CHANGED` (its severity and summary: `RuleCatalog.all`).
    public static let keyChanged: RuleID = "KEY_CHANGED"
    /// `TOPIC_CHANGED` (its severity and summary: `RuleCatalog.all`).
    public static let topicChanged: RuleID = "TOPIC_CHANGED"
    /// `PARTITIONS_DECREASED` (its severity and summary: `RuleCatalog.all`).
    public static let partitionsDecreased: RuleID = "PARTITIONS_DECREASED"
    /// `PARTITIONS_INCREASED` (its severity and summary: `RuleCatalog.all`).
    public static let partitionsIncreased: RuleID = "PARTITIONS_INCREASED"
    /// `COMPATIBILITY_WEAKENED` (its severity and summary: `RuleCatalog.all`).
    public static let compatibilityWeakened: RuleID = "COMPATIBILITY_WEAKENED"
    /// `RETENTION_SHORTENED` (its severity and summary: `RuleCatalog.all`).
    public static let retentionShortened: RuleID = "RETENTION_SHORTENED"
    /// `ENCODING_CHANGED` (its severity and summary: `RuleCatalog.all`).
    public static let encodingChanged: RuleID = "ENCODING_CHANGED"
    /// `VERSION_EDITED` (its severity and summary: `RuleCatalog.all`).
    public static let versionEdited: RuleID = "VERSION_EDITED"
    /// `VERSION_REMOVED` (its severity and summary: `RuleCatalog.all`).
    public static let versionRemoved: RuleID = "VERSION_REMOVED"
    /// `CONTRACT_REMOVED` (its severity and summary: `RuleCatalog.all`).
    public static let contractRemoved: RuleID = "CONTRACT_REMOVED"
    /// `BASELINE_UNREADABLE` (its severity and summary: `RuleCatalog.all`).
    public static let baselineUnreadable: RuleID = "BASELINE_UNREADABLE"
}

/// The catalog of every rule.
public enum RuleCatalog {
    /// Every rule, in the order the Rules article lists them.
    public static let all: [RuleDescription] = [
        .init(
            id: .yamlSyntax, severity: .error,
            summary: "The file is not valid YAML; the message is libyaml's, with where the construct began, and a tab in the indentation or a line indented unlike its neighbours gets a hint in plain words.",
            example: RuleExample(bad: "owner: [unclosed, list", fixed: "owner: team")),
        .init(
            id: .yamlInvalidUTF8, severity: .error,
            summary: "Save the file as UTF-8; the location is the first bad byte."),
        .init(
            id: .yamlFileTooLarge, severity: .error,
            summary: "Over 4 MiB: split the contract or check it is the file you meant."),
        .init(
            id: .yamlNestingTooDeep, severity: .error,
            summary: "More than 64 levels of mappings and sequences."),
        .init(
            id: .yamlAliasLimit, severity: .error,
            summary: "Over 1,000 alias uses, or aliases expanding past 250,000 nodes (an alias bomb). Write values out."),
        .init(
            id: .yamlUndefinedAlias, severity: .error,
            summary: "`*name` without an `&name` before it, or an alias inside its own anchor.",
            example: RuleExample(bad: "owner: *team", fixed: "owner: team")),
        .init(
            id: .yamlMultipleDocuments, severity: .error,
            summary: "One contract per file: remove the second `---` document.",
            example: RuleExample(bad: "---\nevent: Other", fixed: "# Other goes in a file of its own: Other.yaml")),
        .init(
            id: .yamlUnsupportedTag, severity: .error,
            summary: "Remove the tag (`!!python/object`, `!custom`…); the contract schema types each value.",
            example: RuleExample(bad: "owner: !!python/object/apply:os.system [\"rm -rf /\"]", fixed: "owner: team")),
        .init(
            id: .yamlComplexKey, severity: .error,
            summary: "A mapping key is itself a mapping or a sequence; keys are plain names.",
            example: RuleExample(bad: "? [a, b]\n: value", fixed: "a: value")),
        .init(
            id: .duplicateKey, severity: .error,
            summary: "A key appears twice in one mapping; the message names the first place.",
            example: RuleExample(bad: "key: id\nowner: other-team", fixed: "key: id")),
        .init(
            id: .unknownKey, severity: .error,
            summary: "A key the language does not define; the hint suggests the nearest valid one.",
            example: RuleExample(bad: "partiton: 3", fixed: "partitions: 3")),
        .init(
            id: .missingRequired, severity: .error,
            summary: "`event`, `owner`, `topic`, `key`, `versions`, a version's `version`/`fields`, a field's `type`, a type's `kind`/`fields`/`symbols`.",
            example: RuleExample(bad: "event: Sample\nsummary: A sample without an owner.", fixed: "event: Sample\nowner: payments-team\nsummary: A sample with an owner.")),
        .init(
            id: .wrongShape, severity: .error,
            summary: "A value has the wrong YAML shape (a list where a mapping belongs, an empty file…).",
            example: RuleExample(bad: "delivery: [acks, all]", fixed: "delivery: { acks: all }")),
        .init(
            id: .invalidValue, severity: .error,
            summary: "Not a valid value: an unknown mode or policy, `NO` for a bool (write `false`), a quoted number.",
            example: RuleExample(bad: "compatibility: backwards", fixed: "compatibility: BACKWARD")),
        .init(
            id: .invalidType, severity: .error,
            summary: "A type expression cannot be read (`array<string`, `string??`); the column points into it.",
            example: RuleExample(bad: "tags: array<string", fixed: "tags: array<string>")),
        .init(
            id: .invalidDuration, severity: .error,
            summary: "Write a whole number and a unit: `100ms`, `30s`, `5m`, `12h`, `7d` (or `forever` for retention).",
            example: RuleExample(bad: "retention: 7 days", fixed: "retention: 7d")),
        .init(
            id: .invalidEventName, severity: .error,
            summary: "Event names are UpperCamelCase ASCII (`OrderCreated`).",
            example: RuleExample(bad: "event: order_created", fixed: "event: OrderCreated")),
        .init(
            id: .invalidFieldName, severity: .error,
            summary: "Field names are lowerCamelCase ASCII (`orderId`).",
            example: RuleExample(bad: "Order_Total: long", fixed: "orderTotal: long")),
        .init(
            id: .invalidTypeName, severity: .error,
            summary: "Named types are UpperCamelCase ASCII (`Money`).",
            example: RuleExample(bad: "money: { kind: record, fields: { amount: decimal } }", fixed: "Money: { kind: record, fields: { amount: decimal } }")),
        .init(
            id: .invalidSymbol, severity: .error,
            summary: "Enum symbols are ASCII identifiers (letters, digits, `_`, not starting with a digit).",
            example: RuleExample(bad: "Tier: { kind: enum, symbols: [gold, silver, 3rdClass] }", fixed: "Tier: { kind: enum, symbols: [gold, silver, thirdClass] }")),
        .init(
            id: .invalidNamespace, severity: .error,
            summary: "Lowercase letters and digits separated by `-` or `.`; set `namespace:` if the folder name is not one.",
            example: RuleExample(bad: "namespace: Payments_Team", fixed: "namespace: payments-team")),
        .init(
            id: .reservedFieldName, severity: .error,
            summary: "`eventId`, `eventType`, `version`, `occurredAt`, `key` travel in the envelope; remove the field.",
            example: RuleExample(bad: "occurredAt: timestamp", fixed: "placedAt: timestamp")),
        .init(
            id: .duplicateField, severity: .error,
            summary: "Two fields share a name, or an alias names another field or is claimed twice.",
            example: RuleExample(bad: "amount: long\namount: long", fixed: "amount: long")),
        .init(
            id: .duplicateType, severity: .error,
            summary: "Two types share a name, or a type is named like the event itself.",
            example: RuleExample(bad: "Tier: { kind: enum, symbols: [silver] }", fixed: "Level: { kind: enum, symbols: [silver] }")),
        .init(
            id: .duplicateSymbol, severity: .error,
            summary: "An enum lists a symbol twice.",
            example: RuleExample(bad: "Tier: { kind: enum, symbols: [gold, silver, gold] }", fixed: "Tier: { kind: enum, symbols: [gold, silver] }")),
        .init(
            id: .duplicateEvent, severity: .error,
            summary: "Two contract files declare the same event; add a version to the first instead."),
        .init(
            id: .unknownType, severity: .error,
            summary: "Not a built-in type nor declared under `types:`; the hint suggests the nearest (other languages' names too: `integer` → `int`, `datetime` → `timestamp`) and lists the built-ins and the declared types.",
            example: RuleExample(bad: "total: array<Mony>", fixed: "total: array<long>")),
        .init(
            id: .recursiveType, severity: .error,
            summary: "A record contains itself with no `?`, array or map in between: no finite value exists.",
            example: RuleExample(bad: "Category: { kind: record, fields: { name: string, parent: Category } }", fixed: "Category: { kind: record, fields: { name: string, parent: Category? } }")),
        .init(
            id: .invalidDefault, severity: .error,
            summary: "A default (or an enum's default) does not fit its type; the message says why and where.",
            example: RuleExample(bad: "Tier: { kind: enum, symbols: [gold, silver], default: bronze }", fixed: "Tier: { kind: enum, symbols: [gold, silver], default: silver }")),
        .init(
            id: .versionSequence, severity: .error,
            summary: "Versions are 1, 2, 3 … in order; never renumber or drop a published version.",
            example: RuleExample(bad: "- version: 3", fixed: "- version: 2")),
        .init(
            id: .invalidTopic, severity: .error,
            summary: "The topic or DLQ topic is not a valid Kafka topic name.",
            example: RuleExample(bad: "topic: orders/created", fixed: "topic: orders.created")),
        .init(
            id: .partitionsOutOfRange, severity: .error,
            summary: "`partitions` is 1…10000.",
            example: RuleExample(bad: "partitions: 0", fixed: "partitions: 6")),
        .init(
            id: .retryOutOfRange, severity: .error,
            summary: "`attempts` 1…100, `multiplier` 1…10, `initial` ≤ `max`.",
            example: RuleExample(bad: "retry: { attempts: 0, initial: 30s, max: 10s }", fixed: "retry: { attempts: 5, initial: 1s, max: 10s }")),
        .init(
            id: .dlqSameAsTopic, severity: .error,
            summary: "Dead-lettering into the source topic would redeliver the poison message forever.",
            example: RuleExample(bad: "dlq: { topic: samples }", fixed: "dlq: { topic: samples.dlq }")),
        .init(
            id: .keyFieldMissing, severity: .error,
            summary: "The key names a field that some version lacks (reported at `key:`, naming the version).",
            example: RuleExample(bad: "fields: { orderRef: { type: string, default: none }, note: string? }", fixed: "fields: { orderId: string, note: string? }")),
        .init(
            id: .keyFieldType, severity: .error,
            summary: "The key field is optional, not a `string`/`int`/`long`/`uuid`/enum, or changes type between versions.",
            example: RuleExample(bad: "fields: { orderId: string? }", fixed: "fields: { orderId: string }")),
        .init(
            id: .keyNone, severity: .warning,
            summary: "`key: none` spreads events over partitions and loses their order; name a key unless order truly does not matter.",
            example: RuleExample(bad: "key: none", fixed: "key: id")),
        .init(
            id: .topicConflict, severity: .error,
            summary: "Contracts on one topic must agree on partitions, retention and the key's type.",
            example: RuleExample(bad: "partitions: 6", fixed: "partitions: 12")),
        .init(
            id: .databaseColumnField, severity: .warning,
            summary: "`createdAt`, `updatedAt`, `deleted`, `jpaVersion`, `*Version`, `password`…: publish the fact, not the row.",
            example: RuleExample(bad: "updatedAt: timestamp", fixed: "shippedAt: timestamp")),
        .init(
            id: .missingSummary, severity: .warning,
            summary: "Add a `summary:`; it becomes the generated type's documentation.",
            example: RuleExample(bad: "event: Sample\nowner: team", fixed: "event: Sample\nowner: team\nsummary: An order was placed.")),
        .init(
            id: .deprecatedWithoutDoc, severity: .warning,
            summary: "Say in `doc:` what replaces a deprecated field and when it goes.",
            example: RuleExample(bad: "legacy: { type: string?, deprecated: true }", fixed: "legacy: { type: string?, deprecated: true, doc: Use id instead; removed in version 3. }")),
        .init(
            id: .invalidServiceName, severity: .error,
            summary: "A producer or consumer is named like a namespace: lowercase letters and digits separated by `-` or `.` (`order-service`).",
            example: RuleExample(bad: "producers: [Order_Service]", fixed: "producers: [order-service]")),
        .init(
            id: .duplicateService, severity: .error,
            summary: "A service is listed twice among the producers, or twice among the consumers.",
            example: RuleExample(bad: "- billing\n- billing", fixed: "- billing")),
        .init(
            id: .unknownReadField, severity: .error,
            summary: "A consumer's `reads:` names a field no version has; the hint suggests the nearest.",
            example: RuleExample(bad: "- { service: billing, reads: [id, totl] }", fixed: "- { service: billing, reads: [id, total] }")),
        .init(
            id: .avroUnrepresentableDefault, severity: .error,
            summary: "A default Avro's mapping cannot carry (a decimal beyond `decimal(38, 18)`, a timestamp outside 1677–2262): it would have to be rounded in the Avro schema.",
            example: RuleExample(bad: "fee: { type: decimal, default: \"0.0000000000000000001\" }", fixed: "fee: { type: decimal, default: \"0.000000000000000001\" }")),
        .init(
            id: .ruleTypeMismatch, severity: .error,
            summary: "A data rule the field's type does not take (`min` on a string, `minLength` on an int), or a bound that is not a value of the type (`min: abc` on a decimal). Numbers, decimals, timestamps and dates take `min`/`max`/`exclusiveMin`/`exclusiveMax`; strings `minLength`/`maxLength`/`pattern`/`format`; arrays `minItems`/`maxItems`/`uniqueItems`; maps `minProperties`/`maxProperties`.",
            example: RuleExample(bad: "name: { type: string, min: 1 }", fixed: "name: { type: string, minLength: 1 }")),
        .init(
            id: .ruleRangeEmpty, severity: .error,
            summary: "The rules leave no value: `min` above `max` (or equal with an exclusive bound), `minLength` above `maxLength`, `minItems` above `maxItems`, or both `min` and `exclusiveMin` on one side.",
            example: RuleExample(bad: "quantity: { type: int, min: 10, max: 1 }", fixed: "quantity: { type: int, min: 1, max: 10 }")),
        .init(
            id: .invalidPattern, severity: .error,
            summary: "A `pattern` that does not compile, or uses syntax outside the subset every JSON Schema validator, Java and Python read alike (lookaround, backreferences, named groups, `\\b`, `\\p{…}`, flags); the column points at the construct.",
            example: RuleExample(bad: "code: { type: string, pattern: \"^(?<cc>[A-Z]{2})$\" }", fixed: "code: { type: string, pattern: \"^[A-Z]{2}$\" }")),
        .init(
            id: .ruleDefaultViolation, severity: .error,
            summary: "A field's default breaks the field's own data rule: every reader of an older version would reject the events it fills in.",
            example: RuleExample(bad: "currency: { type: string, default: krw, pattern: \"^[A-Z]{3}$\" }", fixed: "currency: { type: string, default: KRW, pattern: \"^[A-Z]{3}$\" }")),
        .init(
            id: .secretKey, severity: .error,
            summary: "The partition key is tagged `secret`: a record's key travels in clear to every broker, tool and log, and cannot be masked. Key the event by an identifier that is not secret.",
            example: RuleExample(bad: "id: { type: string, tags: [secret] }", fixed: "id: { type: string, tags: [pii] }")),
        .init(
            id: .compatMissingDefault, severity: .error,
            summary: "A reader field the writer does not write has no default (see Schema evolution).",
            example: RuleExample(bad: "fields: { id: string, currency: string }", fixed: "fields: { id: string, currency: { type: string, default: EUR } }")),
        .init(
            id: .compatTypeMismatch, severity: .error,
            summary: "A type changed other than by promotion.",
            example: RuleExample(bad: "fields: { id: string, amount: long }", fixed: "fields: { id: string, amount: int, amountInCents: { type: long, default: 0 } }")),
        .init(
            id: .compatOptionalToRequired, severity: .error,
            summary: "An optional field became required.",
            example: RuleExample(bad: "fields: { id: string, note: string }", fixed: "fields: { id: string, note: string? }")),
        .init(
            id: .compatEnumSymbolMissing, severity: .error,
            summary: "A written enum symbol is unknown to the reader, whose enum has no default.",
            example: RuleExample(bad: "Tier: { kind: enum, symbols: [silver, bronze] }", fixed: "Tier: { kind: enum, symbols: [gold, silver, bronze] }")),
        .init(
            id: .compatRuleTightened, severity: .error,
            summary: "A newer version's data rule refuses values an older version's allowed (a higher `min`, a new `pattern`, a smaller `maxLength`): under BACKWARD modes its readers would dead-letter events already written. The finding names the field and both rules; declare `breaking:` if no such event exists.",
            example: RuleExample(bad: "amount: { type: long, min: 1 }", fixed: "amount: { type: long, min: 0 }")),
        .init(
            id: .compatRuleLoosened, severity: .error,
            summary: "A newer version's data rule allows values an older version's refuses (a lower `min`, a dropped `pattern`, a larger `maxLength`): under FORWARD modes readers still on the older version would dead-letter the new events. The finding names the field and both rules.",
            example: RuleExample(bad: "code: { type: string, maxLength: 8 }", fixed: "code: { type: string, maxLength: 3 }")),
        .init(
            id: .breakingDeclared, severity: .warning,
            summary: "A version declares `breaking:` with a reason; its compatibility errors are shown as warnings.",
            example: RuleExample(bad: "breaking: { reason: \"amount was never filled in; consumers agreed to upgrade first\" }\nfields: { id: string, amount: long }", fixed: "fields: { id: string, amount: string, amountInCents: { type: long, default: 0 } }")),
        .init(
            id: .breakingReasonMissing, severity: .error,
            summary: "`breaking:` needs a non-empty `reason`.",
            example: RuleExample(bad: "breaking: { reason: \"\" }", fixed: "breaking: { reason: \"note was never read; every consumer upgrades first\" }")),
        .init(
            id: .keyChanged, severity: .error,
            summary: "The key changed or was removed against the baseline.",
            example: RuleExample(bad: "key: none", fixed: "key: id")),
        .init(
            id: .topicChanged, severity: .error,
            summary: "The topic changed against the baseline.",
            example: RuleExample(bad: "topic: samples-v2", fixed: "topic: samples")),
        .init(
            id: .partitionsDecreased, severity: .error,
            summary: "Kafka cannot shrink a topic.",
            example: RuleExample(bad: "partitions: 3", fixed: "partitions: 6")),
        .init(
            id: .partitionsIncreased, severity: .warning,
            summary: "Keys move to other partitions; per-key order breaks for keys in flight.",
            example: RuleExample(bad: "partitions: 12", fixed: "partitions: 6")),
        .init(
            id: .compatibilityWeakened, severity: .warning,
            summary: "The mode no longer guarantees what the baseline's did.",
            example: RuleExample(bad: "compatibility: BACKWARD", fixed: "compatibility: FULL")),
        .init(
            id: .retentionShortened, severity: .warning,
            summary: "Consumers that replay lose what falls out of the shorter window.",
            example: RuleExample(bad: "retention: 1d", fixed: "retention: 7d")),
        .init(
            id: .encodingChanged, severity: .warning,
            summary: "The encoding changed (json ↔ avro): consumers read either by content type, but code generated before runtime API 4 reads only JSON, so upgrade consumers first.",
            example: RuleExample(bad: "encoding: avro", fixed: "encoding: json")),
        .init(
            id: .versionEdited, severity: .error,
            summary: "A published version changed in place; reported at the first edited line (a field, or the field or symbol of a type it uses), the message shows the diff.",
            example: RuleExample(bad: "Money: { kind: record, fields: { amount: long } }", fixed: "Money: { kind: record, fields: { amount: decimal } }")),
        .init(
            id: .versionRemoved, severity: .error,
            summary: "A published version is gone."),
        .init(
            id: .contractRemoved, severity: .error,
            summary: "A published contract is gone (a moved file is not a removal)."),
        .init(
            id: .baselineUnreadable, severity: .warning,
            summary: "A baseline file does not parse, so it was not compared."),
    ]

    /// The rule with `id`, nil for an id no rule has.
    public static func description(of id: RuleID) -> RuleDescription? { all.first { $0.id == id } }
}
