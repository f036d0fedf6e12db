import ContractParser
import EventCore
import Foundation
import Testing

/// The schema is written from the decoder's key lists; these tests hold it to them. Whether it
/// refuses only what `eventc check` refuses is checked with Python's jsonschema, in
/// ContractCheckerTests' `ContractLanguageSchemaDifferentialTests`.
@Suite("Contract language schema")
struct ContractLanguageSchemaTests {
    static let schema = ContractLanguageSchema.document

    /// The keys of an object schema's `properties`, in order.
    static func keys(_ schema: JSONValue?) -> [String] {
        guard case .object(let members)? = schema?["properties"] else { return [] }
        return members.map(\.0)
    }

    static func definition(_ name: String) -> JSONValue? { schema["$defs"]?[name] }

    @Test("every object lists exactly the keys the decoder allows, in its order, and closes the rest")
    func keysAreTheDecoders() {
        #expect(Self.keys(Self.schema) == ContractDecoder.topLevelKeys)
        #expect(Self.keys(Self.schema["properties"]?["delivery"]) == ["acks", "idempotency", "retry", "dlq"])
        #expect(Self.keys(Self.schema["properties"]?["delivery"]?["properties"]?["retry"]) == ["attempts", "backoff", "initial", "multiplier", "max"])
        #expect(Self.keys(Self.definition("version")) == ["version", "fields", "types", "breaking"])
        #expect(Self.keys(Self.definition("field")) == ["type", "default", "doc", "aliases", "deprecated", "tags"] + DataRule.allCases.map(\.rawValue))
        #expect(Self.keys(Self.definition("record")) == ["kind", "doc", "fields"])
        #expect(Self.keys(Self.definition("enum")) == ["kind", "doc", "symbols", "default"])
        for object in [Self.schema, Self.definition("version"), Self.definition("field"), Self.definition("consumer")] {
            #expect(object?["additionalProperties"] == .bool(false))
        }
    }

    @Test("every key has a description, so an editor shows what it means")
    func everyKeyIsDescribed() {
        let objects: [JSONValue?] = [
            Self.schema, Self.schema["properties"]?["delivery"], Self.schema["properties"]?["delivery"]?["properties"]?["retry"],
            Self.definition("field"), Self.definition("enum"),
        ]
        for object in objects {
            guard case .object(let members)? = object?["properties"] else { continue }
            for (key, value) in members where key != "kind" && key != "fields" && key != "types" {
                #expect(value["description"]?.stringValue?.isEmpty == false, "\(key) has no description")
            }
        }
    }

    @Test("choices are the runtime's enums")
    func choicesAreTheRuntimes() {
        #expect(Self.schema["properties"]?["compatibility"]?["enum"] == .array(CompatibilityLevel.allCases.map { .string($0.rawValue) }))
        #expect(Self.schema["properties"]?["encoding"]?["enum"] == .array(EventEncoding.allCases.map { .string($0.rawValue) }))
        let idempotency = Self.schema["properties"]?["delivery"]?["properties"]?["idempotency"]?["enum"]
        #expect(idempotency == .array(DeliveryPolicy.Idempotency.allCases.map { .string($0.rawValue) }))
    }
}
