import ContractModel
import EventCore

/// All contracts as one AsyncAPI 3.0.0 document: a channel per topic with its Kafka binding
/// (partitions, retention, the key's schema), a message per event version with its payload schema,
/// the CloudEvents headers and an example, and a send or receive operation per declared producer
/// and consumer. Tools that speak AsyncAPI (viewers, code generators, registries) read it as is.
public enum AsyncAPIExporter {
    /// The AsyncAPI version written.
    public static let version = "3.0.0"
    /// The Kafka bindings' version written.
    public static let kafkaBindingVersion = "0.4.0"

    /// The document's `info`.
    public struct Info: Sendable {
        /// The title.
        public var title: String
        /// The API's own version.
        public var version: String
        /// A description, when given.
        public var description: String?

        /// `info` with these values.
        public init(title: String = "Event catalog", version: String = "1.0.0", description: String? = nil) {
            self.title = title
            self.version = version
            self.description = description
        }
    }

    /// The document of `contracts` (render it with `rendered()` or `renderedYAML()`).
    public static func document(of contracts: [CheckedContract], info: Info = Info()) -> JSONValue {
        let ordered = contracts.sorted { ($0.topic, $0.event) < ($1.topic, $1.event) }
        var infoMembers: [(String, JSONValue)] = [("title", .string(info.title)), ("version", .string(info.version))]
        if let description = info.description { infoMembers.append(("description", .string(description))) }
        return .object([
            ("asyncapi", .string(version)),
            ("info", .object(infoMembers)),
            ("defaultContentType", .string("application/json")),
            ("channels", .object(channels(ordered))),
            ("operations", .object(operations(ordered))),
            ("components", .object([
                ("messages", .object(ordered.flatMap(messages))),
                ("schemas", .object(ordered.flatMap(schemas))),
            ])),
        ])
    }

    static func messageID(_ contract: CheckedContract, _ version: Int) -> String { "\(contract.event).v\(version)" }

    // MARK: Channels

    /// Contracts may share a topic (the checker makes them agree on partitions, retention, key).
    private static func channels(_ contracts: [CheckedContract]) -> [(String, JSONValue)] {
        var byTopic: [(String, [CheckedContract])] = []
        for contract in contracts {
            if let index = byTopic.firstIndex(where: { $0.0 == contract.topic }) {
                byTopic[index].1.append(contract)
            } else {
                byTopic.append((contract.topic, [contract]))
            }
        }
        return byTopic.map { topic, sharing in
            let first = sharing[0]
            var members: [(String, JSONValue)] = [("address", .string(topic))]
            if sharing.count == 1, let summary = first.summary { members.append(("description", .string(summary))) }
            members.append(("messages", .object(sharing.flatMap { contract in
                contract.versions.map { version in
                    (messageID(contract, version.number), reference("#/components/messages/\(messageID(contract, version.number))"))
                }
            })))
            var topicConfiguration: [(String, JSONValue)] = [("cleanup.policy", .array([.string("delete")]))]
            switch first.retention {
            case .duration(let span): topicConfiguration.append(("retention.ms", .number(String(span.milliseconds))))
            case .forever: topicConfiguration.append(("retention.ms", .number("-1")))
            }
            members.append(("bindings", .object([("kafka", .object([
                ("topic", .string(topic)),
                ("partitions", .number(String(first.partitions))),
                ("topicConfiguration", .object(topicConfiguration)),
                ("bindingVersion", .string(kafkaBindingVersion)),
            ]))])))
            // A topic ([A-Za-z0-9._-]) is a valid channel id as it is.
            return (topic, .object(members))
        }
    }

    // MARK: Operations

    private static func operations(_ contracts: [CheckedContract]) -> [(String, JSONValue)] {
        var operations: [(String, JSONValue)] = []
        for contract in contracts {
            let messages = JSONValue.array(contract.versions.map {
                reference("#/channels/\(pointerEscaped(contract.topic))/messages/\(messageID(contract, $0.number))")
            })
            let channel = reference("#/channels/\(pointerEscaped(contract.topic))")
            for producer in contract.producers {
                operations.append(("\(producer).sends.\(contract.event)", .object([
                    ("action", .string("send")), ("channel", channel),
                    ("summary", .string("\(producer) publishes \(contract.event).")), ("messages", messages),
                ])))
            }
            for consumer in contract.consumers {
                var summary = "\(consumer.service) consumes \(contract.event)"
                if let reads = consumer.reads { summary += ", reading \(reads.joined(separator: ", "))" }
                operations.append(("\(consumer.service).receives.\(contract.event)", .object([
                    ("action", .string("receive")), ("channel", channel), ("summary", .string(summary + ".")),
                    ("messages", messages),
                    ("bindings", .object([("kafka", .object([
                        ("groupId", .object([("type", .string("string")), ("enum", .array([.string(consumer.service)]))])),
                        ("bindingVersion", .string(kafkaBindingVersion)),
                    ]))])),
                ])))
            }
        }
        return operations
    }

    // MARK: Messages and schemas

    private static func messages(_ contract: CheckedContract) -> [(String, JSONValue)] {
        contract.versions.map { version in
            let id = messageID(contract, version.number)
            var members: [(String, JSONValue)] = [
                ("name", .string(contract.event)),
                ("title", .string("\(contract.event) v\(version.number)")),
            ]
            if let summary = contract.summary { members.append(("summary", .string(summary))) }
            // An Avro event's payload is its Avro schema (AsyncAPI's multi-format schema object);
            // a JSON event's, the JSON Schema of its canonical JSON.
            let payload: JSONValue = switch contract.encoding {
            case .json: reference("#/components/schemas/\(id)")
            case .avro: .object([
                ("schemaFormat", .string(avroSchemaFormat)), ("schema", AvroSchemaExporter.schema(of: contract, version: version)),
            ])
            }
            members += [
                ("contentType", .string(contract.encoding.contentType)),
                ("headers", headers(contract, version: version.number)),
                ("payload", payload),
            ]
            var kafka: [(String, JSONValue)] = []
            if let key = contract.keyField, let field = version.field(named: key) {
                kafka.append(("key", PayloadSchemaBuilder(version: version, referencePrefix: "").schema(of: field.type)))
            }
            kafka.append(("bindingVersion", .string(kafkaBindingVersion)))
            members.append(("bindings", .object([("kafka", .object(kafka))])))
            members.append(("examples", .array([.object([
                ("name", .string("example")),
                ("headers", exampleHeaders(contract, version: version.number)),
                ("payload", ExamplePayload.value(of: version)),
            ])])))
            return (id, .object(members))
        }
    }

    /// The payload's schema and its named types, as components: `Event.vN` and `Event.vN.Type`.
    private static func schemas(_ contract: CheckedContract) -> [(String, JSONValue)] {
        contract.versions.flatMap { version -> [(String, JSONValue)] in
            let id = messageID(contract, version.number)
            let builder = PayloadSchemaBuilder(version: version, referencePrefix: "#/components/schemas/\(id).")
            var payload: [(String, JSONValue)] = [("title", .string("\(contract.event) v\(version.number)"))]
            payload += builder.objectMembers(version.fields)
            return [(id, .object(payload))] + builder.definitions().map { ("\(id).\($0.0)", $0.1) }
        }
    }

    /// The CloudEvents Kafka binding's headers, as the runtime's publisher writes them.
    private static func headers(_ contract: CheckedContract, version: Int) -> JSONValue {
        func string(_ description: String, _ extra: (String, JSONValue)...) -> JSONValue {
            .object([("type", .string("string")), ("description", .string(description))] + extra)
        }
        return .object([
            ("type", .string("object")),
            ("properties", .object([
                ("ce_id", string("The event's id; consumers deduplicate on it.", ("format", .string("uuid")))),
                ("ce_type", string("The event type.", ("const", .string(contract.event)))),
                ("ce_source", string("The publishing service.")),
                ("ce_time", string("When the event occurred.", ("format", .string("date-time")))),
                ("ce_specversion", string("The CloudEvents version.", ("const", .string("1.0")))),
                ("ce_contractversion", string("The contract version of the payload.", ("const", .string(String(version))))),
                ("content-type", string("The payload's media type.", ("const", .string(contract.encoding.contentType)))),
            ])),
            ("required", .array(["ce_id", "ce_type", "ce_source", "ce_time", "ce_specversion", "ce_contractversion"].map { .string($0) })),
        ])
    }

    private static func exampleHeaders(_ contract: CheckedContract, version: Int) -> JSONValue {
        .object([
            ("ce_id", .string(ExamplePayload.exampleUUID)),
            ("ce_type", .string(contract.event)),
            ("ce_source", .string(contract.producers.first ?? contract.owner)),
            ("ce_time", .string("2026-03-14T09:26:53Z")),
            ("ce_specversion", .string("1.0")),
            ("ce_contractversion", .string(String(version))),
            ("content-type", .string(contract.encoding.contentType)),
        ])
    }

    /// AsyncAPI's name for Avro schemas (the `schemaFormat` of a multi-format schema object).
    static let avroSchemaFormat = "application/vnd.apache.avro;version=1.9.0"

    private static func reference(_ pointer: String) -> JSONValue { .object([("$ref", .string(pointer))]) }

    /// A JSON Pointer token: `~` and `/` escaped (RFC 6901).
    static func pointerEscaped(_ token: String) -> String {
        token.replacing("~", with: "~0").replacing("/", with: "~1")
    }
}
