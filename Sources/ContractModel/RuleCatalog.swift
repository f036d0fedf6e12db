/// Every rule `eventc` can report, with a one-line summary. The test that demands a fixture per
/// rule and the one that demands a row in the Rules article (the compiler's DocC catalog) both read
/// this list, so a rule cannot exist undocumented.
public struct RuleDescription: Hashable, Sendable {
    /// The rule's id, as diagnostics and fixtures name it.
    public var id: RuleID
    /// Whether it fails a check (error) or only reports (warning).
    public var severity: Severity
    /// What it reports, in one line (the Rules article's table shows it).
    public var summary: String
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

    // Compatibility: between the versions of a contract, and against a baseline.
    /// `COMPAT_MISSING_DEFAULT` (its severity and summary: `RuleCatalog.all`).
    public static let compatMissingDefault: RuleID = "COMPAT_MISSING_DEFAULT"
    /// `COMPAT_TYPE_MISMATCH` (its severity and summary: `RuleCatalog.all`).
    public static let compatTypeMismatch: RuleID = "COMPAT_TYPE_MISMATCH"
    /// `COMPAT_OPTIONAL_TO_REQUIRED` (its severity and summary: `RuleCatalog.all`).
    public static let compatOptionalToRequired: RuleID = "COMPAT_OPTIONAL_TO_REQUIRED"
    /// `COMPAT_ENUM_SYMBOL_MISSING` (its severity and summary: `RuleCatalog.all`).
    public static let compatEnumSymbolMissing: RuleID = "COMPAT_ENUM_SYMBOL_MISSING"
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
        .init(id: .yamlSyntax, severity: .error, summary: "The file is not valid YAML."),
        .init(id: .yamlInvalidUTF8, severity: .error, summary: "The file is not valid UTF-8."),
        .init(id: .yamlFileTooLarge, severity: .error, summary: "The file is larger than the 4 MiB cap."),
        .init(id: .yamlNestingTooDeep, severity: .error, summary: "Mappings and sequences nest deeper than 64 levels."),
        .init(id: .yamlAliasLimit, severity: .error, summary: "Aliases are used too often or expand to too many nodes (an alias bomb)."),
        .init(id: .yamlUndefinedAlias, severity: .error, summary: "An alias names an anchor that is not defined before it."),
        .init(id: .yamlMultipleDocuments, severity: .error, summary: "A contract file holds exactly one YAML document."),
        .init(id: .yamlUnsupportedTag, severity: .error, summary: "An explicit tag other than YAML's core tags (e.g. !!python/object)."),
        .init(id: .yamlComplexKey, severity: .error, summary: "A mapping key is a mapping or a sequence; keys are scalars."),
        .init(id: .duplicateKey, severity: .error, summary: "A key appears twice in one mapping."),
        .init(id: .unknownKey, severity: .error, summary: "A key the contract language does not define (with a did-you-mean hint)."),
        .init(id: .missingRequired, severity: .error, summary: "A required key (event, owner, topic, key, versions, fields, type, kind…) is missing."),
        .init(id: .wrongShape, severity: .error, summary: "A value has the wrong YAML shape (a sequence where a mapping belongs…)."),
        .init(id: .invalidValue, severity: .error, summary: "A scalar is not a valid value for its key (an unknown mode, NO for a bool…)."),
        .init(id: .invalidType, severity: .error, summary: "A type expression cannot be read (array<, string??…)."),
        .init(id: .invalidDuration, severity: .error, summary: "A duration is not <number><ms|s|m|h|d> (or forever, for retention)."),
        .init(id: .invalidEventName, severity: .error, summary: "The event name is not UpperCamelCase ASCII."),
        .init(id: .invalidFieldName, severity: .error, summary: "A field name is not lowerCamelCase ASCII."),
        .init(id: .invalidTypeName, severity: .error, summary: "A named type is not UpperCamelCase ASCII."),
        .init(id: .invalidSymbol, severity: .error, summary: "An enum symbol is not an ASCII identifier."),
        .init(id: .invalidNamespace, severity: .error, summary: "The namespace is not lowercase letters, digits, '-' and '.'."),
        .init(id: .reservedFieldName, severity: .error, summary: "A field uses an envelope name (eventId, eventType, version, occurredAt, key)."),
        .init(id: .duplicateField, severity: .error, summary: "Two fields share a name, or a field's alias names another field."),
        .init(id: .duplicateType, severity: .error, summary: "Two named types share a name, or a type is named like the event."),
        .init(id: .duplicateSymbol, severity: .error, summary: "An enum lists a symbol twice."),
        .init(id: .duplicateEvent, severity: .error, summary: "Two contracts declare the same event name."),
        .init(id: .unknownType, severity: .error, summary: "A type expression names a type that is neither built in nor declared."),
        .init(id: .recursiveType, severity: .error, summary: "A record contains itself without an optional or collection to end the recursion."),
        .init(id: .invalidDefault, severity: .error, summary: "A default does not fit its type (including an enum default that is not a symbol)."),
        .init(id: .versionSequence, severity: .error, summary: "Version numbers are not 1, 2, 3 … in order."),
        .init(id: .invalidTopic, severity: .error, summary: "A topic name is not [A-Za-z0-9._-]{1,249} (or is '.' or '..')."),
        .init(id: .partitionsOutOfRange, severity: .error, summary: "partitions is not in 1...10000."),
        .init(id: .retryOutOfRange, severity: .error, summary: "Retry settings out of range (attempts 1...100, initial ≤ max, multiplier 1...10)."),
        .init(id: .dlqSameAsTopic, severity: .error, summary: "The dead-letter topic is the event's own topic."),
        .init(id: .keyFieldMissing, severity: .error, summary: "The partition key names a field that some version lacks."),
        .init(id: .keyFieldType, severity: .error, summary: "The partition key field is optional, not a scalar identifier type, or changes type."),
        .init(id: .keyNone, severity: .warning, summary: "key: none — events spread over partitions and lose their order."),
        .init(id: .topicConflict, severity: .error, summary: "Contracts sharing a topic disagree on partitions, retention or the key's type."),
        .init(id: .databaseColumnField, severity: .warning, summary: "A field leaks a database row (createdAt, updatedAt, deleted, jpaVersion, password…)."),
        .init(id: .missingSummary, severity: .warning, summary: "The contract has no summary."),
        .init(id: .deprecatedWithoutDoc, severity: .warning, summary: "A deprecated field has no doc saying what replaces it."),
        .init(id: .invalidServiceName, severity: .error, summary: "A producer or consumer is not a service name: lowercase letters, digits, '-' and '.'."),
        .init(id: .duplicateService, severity: .error, summary: "A service is listed twice among the producers, or twice among the consumers."),
        .init(id: .unknownReadField, severity: .error, summary: "A consumer's reads: names a field that no version of the event has."),
        .init(
            id: .avroUnrepresentableDefault, severity: .error,
            summary: "A default Avro's mapping cannot carry: a decimal beyond decimal(38, 18), a timestamp outside 1677-2262."),
        .init(id: .compatMissingDefault, severity: .error, summary: "A reader field that the writer does not write has no default."),
        .init(id: .compatTypeMismatch, severity: .error, summary: "A field's type changed other than by an Avro promotion (int → long, float, double; long → float, double; float → double)."),
        .init(id: .compatOptionalToRequired, severity: .error, summary: "A writer's optional (T?) is read as required (T): null cannot be read."),
        .init(id: .compatEnumSymbolMissing, severity: .error, summary: "The writer's enum has a symbol the reader's lacks, and the reader's enum has no default."),
        .init(id: .breakingDeclared, severity: .warning, summary: "A version declares a deliberate break; its compatibility errors are reported as warnings."),
        .init(id: .breakingReasonMissing, severity: .error, summary: "breaking: without a reason; say why the break is acceptable."),
        .init(id: .keyChanged, severity: .error, summary: "The partition key changed or was removed against the baseline."),
        .init(id: .topicChanged, severity: .error, summary: "The topic changed against the baseline."),
        .init(id: .partitionsDecreased, severity: .error, summary: "The partition count went down against the baseline; Kafka cannot shrink a topic."),
        .init(id: .partitionsIncreased, severity: .warning, summary: "The partition count went up: keys move to other partitions and per-key order breaks for keys in flight."),
        .init(id: .compatibilityWeakened, severity: .warning, summary: "The compatibility mode is weaker than the baseline's."),
        .init(id: .retentionShortened, severity: .warning, summary: "Retention is shorter than the baseline's; consumers that replay lose history."),
        .init(
            id: .encodingChanged, severity: .warning,
            summary: "The encoding changed (json ↔ avro): consumers built before runtime API 4 read only JSON, so upgrade them first."),
        .init(id: .versionEdited, severity: .error, summary: "A published version was edited in place (the message shows the diff)."),
        .init(id: .versionRemoved, severity: .error, summary: "A published version was removed."),
        .init(id: .contractRemoved, severity: .error, summary: "A published contract was removed (a moved file with the same event is not a removal)."),
        .init(id: .baselineUnreadable, severity: .warning, summary: "A baseline contract could not be read, so it was not compared."),
    ]

    /// The rule with `id`, nil for an id no rule has.
    public static func description(of id: RuleID) -> RuleDescription? { all.first { $0.id == id } }
}
