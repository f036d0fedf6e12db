import ContractModel
import EventCore

/// Contract language v1 as a JSON Schema (2020-12), for editors: the YAML language server reads it
/// from a file's `# yaml-language-server: $schema=…` line and completes keys, enum values and
/// types. `eventc schema` prints it; `Schemas/contract-v1.schema.json` is a copy a test keeps equal.
///
/// It is written from the decoder's own key lists and the runtime's enums, so a key the decoder
/// learns appears here too. It refuses only what `eventc check` refuses as well (an unknown or
/// missing key, a value of the wrong shape, a choice that is not one of its values), and leaves
/// the rest to `eventc`: names, type expressions, defaults and compatibility need more than a
/// schema can say. Text values accept any scalar, as the decoder does (`owner: 42` is the text
/// "42"), so a YAML 1.2 reader's numbers and booleans are not refused where `eventc` takes text.
public enum ContractLanguageSchema {
    /// The schema document.
    public static var document: JSONValue {
        .object([
            ("$schema", .string("https://json-schema.org/draft/2020-12/schema")),
            ("title", .string("EventContracts contract (language v1)")),
            ("description", .string("One event per file: its versioned fields, partition key, topic, owner, compatibility mode and delivery policy. `eventc check` checks everything this schema cannot.")),
            ("type", .string("object")),
            ("required", strings(ContractDecoder.requiredTopLevelKeys)),
            ("properties", properties(ContractDecoder.topLevelKeys, topLevel)),
            ("additionalProperties", .bool(false)),
            ("$defs", .object(definitions)),
        ])
    }

    /// What each top-level key holds.
    private static let topLevel: [String: JSONValue] = [
        "event": text("The event's name and its Swift type's: UpperCamelCase ASCII.", pattern: "^[A-Z][A-Za-z0-9]*$"),
        "namespace": text("Lowercase letters and digits separated by '-' or '.'; default: the folder's name."),
        "owner": text("The team that owns the event."),
        "summary": text("One sentence on the fact the event records; it documents the generated type."),
        "topic": text("The Kafka topic: 1 to 249 of A-Z a-z 0-9 . _ -", pattern: "^[A-Za-z0-9._-]{1,249}$"),
        "partitions": integer("The topic's partition count (default 6).", minimum: 1, maximum: 10_000),
        "key": text("The field whose value orders the events (one of its versions' fields), or none."),
        "compatibility": choice("Which versions must read which (default BACKWARD).", CompatibilityLevel.allCases.map(\.rawValue)),
        "retention": text("How long the log keeps an event: 100ms, 30s, 5m, 12h, 7d (default) or forever."),
        "encoding": choice("How events are written on the wire (default json).", EventEncoding.allCases.map(\.rawValue)),
        "delivery": .object([
            ("description", .string("How events are acknowledged, deduplicated, retried and dead-lettered.")),
            ("type", .string("object")),
            ("properties", properties(ContractDecoder.deliveryKeys, delivery)),
            ("additionalProperties", .bool(false)),
        ]),
        "producers": list("The services that publish the event: [order-service]."),
        "consumers": .object([
            ("description", .string("The services that read it: a name, or { service, reads: [fields] }.")),
            ("type", .string("array")),
            ("items", .object([("anyOf", .array([reference("text"), reference("consumer")]))])),
        ]),
        "types": reference("types"),
        "versions": .object([
            ("description", .string("Every version, 1, 2, 3… in order, each with its full field set.")),
            ("type", .string("array")),
            ("items", reference("version")),
        ]),
    ]

    /// What each key of `delivery:` holds.
    private static let delivery: [String: JSONValue] = [
        "acks": choice("Producer acknowledgements (default all).", DeliveryPolicy.Acks.allCases.map(\.rawValue)),
        "idempotency": choice("How consumers make a redelivery harmless (default inbox).", DeliveryPolicy.Idempotency.allCases.map(\.rawValue)),
        "retry": .object([
            ("description", .string("How often and how patiently a failing handler is retried.")),
            ("type", .string("object")),
            ("properties", properties(ContractDecoder.retryKeys, retry)),
            ("additionalProperties", .bool(false)),
        ]),
        "dlq": .object([
            ("description", .string("Where records that cannot be handled go (default <topic>.dlq), and for which reasons.")),
            ("type", .string("object")),
            ("properties", properties(ContractDecoder.dlqKeys, [
                "topic": text("The dead-letter topic; not the event's own."),
                "on": .object([
                    ("type", .string("array")),
                    ("items", choice("A reason to dead-letter.", DeliveryPolicy.DeadLetterReason.allCases.map(\.rawValue))),
                ]),
            ])),
            ("additionalProperties", .bool(false)),
        ]),
    ]

    /// What each key of `retry:` holds.
    private static let retry: [String: JSONValue] = [
        "attempts": integer("Handler runs before dead-lettering, the first included (default 5).", minimum: 1, maximum: 100),
        "backoff": choice("How the wait grows (default exponential).", DeliveryPolicy.Backoff.allCases.map(\.rawValue)),
        "initial": text("The first wait: 100ms (default), 1s…"),
        "multiplier": .object([("description", .string("What an exponential backoff multiplies the wait by (default 2).")), ("type", .string("number"))]),
        "max": text("The longest wait (default 10s)."),
    ]

    /// The named parts: text, lists, types, fields, versions, consumers.
    private static var definitions: [(String, JSONValue)] {
        [
            ("text", .object([
                ("description", .string("Text: any scalar, read as written.")),
                ("type", strings(["string", "number", "integer", "boolean"])),
            ])),
            ("consumer", .object([
                ("type", .string("object")),
                ("required", strings(["service"])),
                ("properties", properties(ContractDecoder.consumerKeys, [
                    "service": text("The service's name: order-service."),
                    "reads": list("The top-level fields it reads; only changes to them affect it."),
                ])),
                ("additionalProperties", .bool(false)),
            ])),
            ("types", .object([
                ("description", .string("Named records and enums, by UpperCamelCase name.")),
                ("type", .string("object")),
                ("additionalProperties", .object([("oneOf", .array([reference("record"), reference("enum")]))])),
            ])),
            ("record", namedType(kind: "record", keys: ContractDecoder.recordKeys, required: ["kind", "fields"], [
                "fields": reference("fields"),
            ])),
            ("enum", namedType(kind: "enum", keys: ContractDecoder.enumKeys, required: ["kind", "symbols"], [
                "symbols": list("The enum's symbols, in order."),
                "default": text("The symbol a reader uses for one it does not know: what lets symbols be added later."),
            ])),
            ("fields", .object([
                ("description", .string("Fields by lowerCamelCase name: a type (string, array<Money>?…) or the long form.")),
                ("type", .string("object")),
                ("additionalProperties", .object([("anyOf", .array([reference("text"), reference("field")]))])),
            ])),
            ("field", .object([
                ("type", .string("object")),
                ("required", strings(["type"])),
                ("properties", properties(ContractDecoder.fieldKeys, [
                    "type": text("bool, int, long, float, double, string, bytes, decimal, uuid, timestamp, date, array<T>, map<T>, T?, or a named type."),
                    "default": .object([("description", .string("The value a reader uses when the writer did not write the field; typed by the field."))]),
                    "doc": text("What the field means; it documents the generated property."),
                    "aliases": list("Names the field had before: a rename keeps reading old data."),
                    "deprecated": .object([("description", .string("Mark the field deprecated (say in doc what replaces it).")), ("type", .string("boolean"))]),
                    "tags": list("pii and secret (masked by tools unless asked), or a team's own tags."),
                    "min": bound("The least value allowed (numbers, decimals, timestamps, dates)."),
                    "max": bound("The greatest value allowed."),
                    "exclusiveMin": bound("A value the field must be greater than."),
                    "exclusiveMax": bound("A value the field must be less than."),
                    "minLength": integer("The fewest characters (Unicode scalars) of a string.", minimum: 0, maximum: nil),
                    "maxLength": integer("The most characters (Unicode scalars) of a string.", minimum: 0, maximum: nil),
                    "pattern": text("A regular expression the string must contain a match of (anchor it with ^…$); an ECMA-262 subset."),
                    "format": choice("A format the string must be in.", StringFormat.allCases.map(\.rawValue)),
                    "minItems": integer("The fewest elements of an array.", minimum: 0, maximum: nil),
                    "maxItems": integer("The most elements of an array.", minimum: 0, maximum: nil),
                    "uniqueItems": .object([("description", .string("Whether an array's elements must all differ.")), ("type", .string("boolean"))]),
                    "minProperties": integer("The fewest entries of a map.", minimum: 0, maximum: nil),
                    "maxProperties": integer("The most entries of a map.", minimum: 0, maximum: nil),
                ])),
                ("additionalProperties", .bool(false)),
            ])),
            ("version", .object([
                ("type", .string("object")),
                ("required", strings(["version", "fields"])),
                ("properties", properties(ContractDecoder.versionKeys, [
                    "version": integer("The version's number: 1, 2, 3… in order.", minimum: 1, maximum: nil),
                    "fields": reference("fields"),
                    "types": reference("types"),
                    "breaking": .object([
                        ("description", .string("A deliberate break, reviewed: its compatibility errors become warnings.")),
                        ("type", .string("object")),
                        ("properties", .object([("reason", text("Why the break is acceptable."))])),
                        ("additionalProperties", .bool(false)),
                    ]),
                ])),
                ("additionalProperties", .bool(false)),
            ])),
        ]
    }

    /// The properties of an object with `keys`, in their order, each as `definitions` says (a key
    /// without a definition accepts anything, so the schema never refuses a key the decoder takes).
    private static func properties(_ keys: [String], _ definitions: [String: JSONValue]) -> JSONValue {
        .object(keys.map { ($0, definitions[$0] ?? .object([])) })
    }

    private static func namedType(kind: String, keys: [String], required: [String], _ specific: [String: JSONValue]) -> JSONValue {
        var definitions = specific
        definitions["kind"] = .object([("const", .string(kind))])
        definitions["doc"] = text("What the type means.")
        return .object([
            ("type", .string("object")),
            ("required", strings(required)),
            ("properties", properties(keys, definitions)),
            ("additionalProperties", .bool(false)),
        ])
    }

    private static func text(_ description: String, pattern: String? = nil) -> JSONValue {
        var members: [(String, JSONValue)] = [("description", .string(description)), ("$ref", .string("#/$defs/text"))]
        if let pattern { members.append(("pattern", .string(pattern))) }
        return .object(members)
    }

    /// A range rule's bound: a number, or the text of a decimal, timestamp or date.
    private static func bound(_ description: String) -> JSONValue {
        .object([("description", .string(description)), ("type", .array([.string("number"), .string("string")]))])
    }

    private static func integer(_ description: String, minimum: Int, maximum: Int?) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("description", .string(description)), ("type", .string("integer")), ("minimum", .number(String(minimum))),
        ]
        if let maximum { members.append(("maximum", .number(String(maximum)))) }
        return .object(members)
    }

    private static func choice(_ description: String, _ values: [String]) -> JSONValue {
        .object([("description", .string(description)), ("enum", strings(values))])
    }

    private static func list(_ description: String) -> JSONValue {
        .object([("description", .string(description)), ("type", .string("array")), ("items", reference("text"))])
    }

    private static func reference(_ name: String) -> JSONValue { .object([("$ref", .string("#/$defs/\(name)"))]) }

    private static func strings(_ values: [String]) -> JSONValue { .array(values.map(JSONValue.string)) }
}
