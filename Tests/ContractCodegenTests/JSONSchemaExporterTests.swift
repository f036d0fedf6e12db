import ContractChecker
import ContractCodegen
import Foundation
import Testing
import ToolTestSupport

@Suite("JSON Schema export")
struct JSONSchemaExporterTests {
    static func paymentSchema(version: Int = 3) throws -> [String: Any] {
        let contract = try #require(try CheckedFixtures.contracts(under: "Contracts").first { $0.event == "PaymentCompleted" })
        return try ExporterFixtures.parse(JSONSchemaExporter.schema(of: contract, version: try #require(contract.version(version))).rendered())
    }

    @Test("a 2020-12 object schema: every field required, unknown fields allowed, named types in $defs")
    func documentShape() throws {
        let schema = try Self.paymentSchema()
        #expect(schema["$schema"] as? String == "https://json-schema.org/draft/2020-12/schema")
        #expect(schema["$id"] as? String == "urn:eventcontracts:payments:PaymentCompleted:v3")
        #expect(schema["required"] as? [String] == ["orderId", "paymentId", "total", "capturedAt", "method", "note", "installments"])
        #expect(schema["additionalProperties"] as? Bool == true)
        let definitions = try #require(schema["$defs"] as? [String: Any])
        #expect((definitions["Method"] as? [String: Any])?["enum"] as? [String] == ["card", "transfer", "points", "wallet"])
        let money = try #require(definitions["Money"] as? [String: Any])
        #expect(money["required"] as? [String] == ["amount", "currency"])
    }

    @Test("each type as the encoder writes it: formats, patterns, ranges, nullable optionals, wire defaults")
    func fieldSchemas() throws {
        let properties = try #require(try Self.paymentSchema()["properties"] as? [String: [String: Any]])
        #expect(properties["paymentId"]?["format"] as? String == "uuid")
        #expect(properties["capturedAt"]?["format"] as? String == "date-time")
        #expect(properties["capturedAt"]?["description"] as? String == "When the payment provider captured the funds.")
        #expect(properties["total"]?["$ref"] as? String == "#/$defs/Money")
        #expect(properties["method"]?["default"] as? String == "card")
        #expect(properties["installments"]?["maximum"] as? Int == Int(Int32.max))
        #expect(properties["installments"]?["default"] as? Int == 1)
        let note = try #require(properties["note"]?["anyOf"] as? [[String: Any]])
        #expect(note.map { $0["type"] as? String } == ["string", "null"])
        #expect(properties["note"]?["default"] is NSNull)
        let money = try #require((try Self.paymentSchema()["$defs"] as? [String: Any])?["Money"] as? [String: Any])
        let amount = try #require((money["properties"] as? [String: [String: Any]])?["amount"])
        #expect(amount["type"] as? String == "string")
        #expect((amount["pattern"] as? String).map { "-12.50".range(of: $0, options: .regularExpression) != nil } == true)
    }

    @Test("the schema says which encoding the event uses on the wire, as an annotation validators ignore")
    func encodingAnnotation() throws {
        #expect(try Self.paymentSchema()["x-eventcontracts-encoding"] as? String == "avro")
        let contracts = try CheckedFixtures.contracts(under: "Contracts")
        let order = try #require(contracts.first { $0.event == "OrderCreated" })
        let schema = try ExporterFixtures.parse(JSONSchemaExporter.schema(of: order, version: order.latest).rendered())
        #expect(schema["x-eventcontracts-encoding"] as? String == "json")
    }

    @Test("an older version's schema describes that version")
    func olderVersion() throws {
        let schema = try Self.paymentSchema(version: 1)
        #expect(schema["required"] as? [String] == ["orderId", "paymentId", "total", "capturedAt"])
        #expect((schema["$defs"] as? [String: Any]).map { Set($0.keys) } == ["Money", "Method"])
    }

    /// RefundIssued: rules on a record, an array, an optional string, a timestamp.
    static func refundSchema() throws -> [String: Any] {
        let contract = try #require(try CheckedFixtures.contracts(under: "Contracts").first { $0.event == "RefundIssued" })
        return try ExporterFixtures.parse(JSONSchemaExporter.schema(of: contract, version: contract.latest).rendered())
    }

    @Test("data rules become JSON Schema keywords; what JSON carries as text is annotated; tags are kept")
    func dataRules() throws {
        let schema = try Self.refundSchema()
        let properties = try #require(schema["properties"] as? [String: [String: Any]])
        #expect(properties["skus"]?["minItems"] as? Int == 1)
        #expect(properties["skus"]?["uniqueItems"] as? Bool == true)
        #expect(properties["note"]?["maxLength"] as? Int == 500, "on an optional field, beside its anyOf: it constrains strings, null passes")
        #expect(properties["note"]?["x-eventcontracts-tags"] as? [String] == ["pii"])
        #expect((properties["refundedAt"]?["x-eventcontracts-rules"] as? [String: String])?["min"] == "2020-01-01T00:00:00Z")
        let money = try #require((schema["$defs"] as? [String: Any])?["Money"] as? [String: Any])
        let fields = try #require(money["properties"] as? [String: [String: Any]])
        #expect(fields["currency"]?["pattern"] as? String == "^[A-Z]{3}$")
        #expect((fields["amount"]?["x-eventcontracts-rules"] as? [String: String])?["exclusiveMin"] == "0")
        #expect(fields["amount"]?["pattern"] != nil, "the decimal's own pattern stays")
    }

    @Test("an int's rule replaces its type's range rather than adding a second minimum")
    func intRuleReplacesRange() throws {
        let source = """
            event: Sample
            owner: team
            summary: A sample.
            topic: samples
            key: id
            versions:
              - version: 1
                fields: { id: string, quantity: { type: int, min: 1 } }
            """
        let contract = try #require(try CheckedFixtures.contracts([(path: "s/Sample.yaml", bytes: Data(source.utf8))]).first)
        let schema = try ExporterFixtures.parse(JSONSchemaExporter.schema(of: contract, version: contract.latest).rendered())
        let quantity = try #require((schema["properties"] as? [String: [String: Any]])?["quantity"])
        #expect(quantity["minimum"] as? Int == 1)
        #expect(quantity["maximum"] as? Int == Int(Int32.max))
    }

    @Test("Avro exports carry tags as confluent:tags and rules as eventcontracts.rules; the schemas generated code embeds do not")
    func avroAnnotations() throws {
        let contract = try #require(try CheckedFixtures.contracts(under: "Contracts").first { $0.event == "RefundIssued" })
        let exported = AvroSchemaExporter.schema(of: contract, version: contract.latest).compact()
        #expect(exported.contains(#""confluent:tags":["pii"]"#))
        #expect(exported.contains(#""eventcontracts.rules":{"minItems":"1","uniqueItems":"true"}"#))
        let embedded = AvroSchemaExporter.schema(of: contract, version: contract.latest, docs: false).compact()
        #expect(!embedded.contains("confluent:tags") && !embedded.contains("eventcontracts.rules"))
    }
}
