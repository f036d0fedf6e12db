import ContractChecker
import ContractCodegen
import ContractModel
import Foundation
import Testing
import ToolTestSupport

@Suite("AsyncAPI export")
struct AsyncAPIExporterTests {
    /// The repository's example contracts, checked.
    static func exampleContracts() throws -> [CheckedContract] {
        try CheckedFixtures.contracts(under: "Contracts")
    }

    @Test("channels per topic with Kafka bindings, a message per version, operations per declared producer and consumer")
    func shape() throws {
        let contracts = try Self.exampleContracts()
        let document = try ExporterFixtures.parse(AsyncAPIExporter.document(of: contracts).rendered())
        #expect(document["asyncapi"] as? String == "3.0.0")
        let channels = try #require(document["channels"] as? [String: Any])
        #expect(Set(channels.keys) == Set(contracts.map(\.topic)))
        let orders = try #require(channels["orders"] as? [String: Any])
        #expect(Set((orders["messages"] as? [String: Any] ?? [:]).keys)
            == ["OrderApproved.v1", "OrderCancelled.v1", "OrderCreated.v1", "OrderCreated.v2", "OrderCreated.v3"])
        let kafka = try #require((orders["bindings"] as? [String: Any])?["kafka"] as? [String: Any])
        #expect(kafka["partitions"] as? Int == contracts.first { $0.topic == "orders" }?.partitions)
        let operations = try #require(document["operations"] as? [String: Any])
        #expect(operations.keys.contains("order-service.sends.OrderCreated"))
        let receive = try #require(operations["payment-service.receives.OrderCreated"] as? [String: Any])
        #expect(receive["action"] as? String == "receive")
        let messages = try #require((document["components"] as? [String: Any])?["messages"] as? [String: Any])
        let payment = try #require(messages["PaymentCompleted.v3"] as? [String: Any])
        let key = (payment["bindings"] as? [String: Any]).flatMap { $0["kafka"] as? [String: Any] }?["key"] as? [String: Any]
        #expect(key?["type"] as? String == "string")
        let headers = try #require(payment["headers"] as? [String: Any])
        let typeHeader = (headers["properties"] as? [String: Any])?["ce_type"] as? [String: Any]
        #expect(typeHeader?["const"] as? String == "PaymentCompleted")
    }

    @Test("an Avro event's messages say application/avro and carry its Avro schema; a JSON event's, its JSON Schema")
    func encodings() throws {
        let contracts = try Self.exampleContracts()
        let document = try ExporterFixtures.parse(AsyncAPIExporter.document(of: contracts).rendered())
        let messages = try #require((document["components"] as? [String: Any])?["messages"] as? [String: Any])
        let avro = try #require(messages["PaymentCompleted.v2"] as? [String: Any])
        #expect(avro["contentType"] as? String == "application/avro")
        let avroPayload = try #require(avro["payload"] as? [String: Any])
        #expect((avroPayload["schemaFormat"] as? String)?.hasPrefix("application/vnd.apache.avro") == true)
        let schema = try #require(avroPayload["schema"] as? [String: Any])
        #expect(schema["type"] as? String == "record" && schema["name"] as? String == "PaymentCompleted")
        let json = try #require(messages["OrderCreated.v1"] as? [String: Any])
        #expect(json["contentType"] as? String == "application/json")
        #expect(((json["payload"] as? [String: Any])?["$ref"] as? String)?.hasPrefix("#/components/schemas/") == true)
    }

    @Test("every $ref points at something in the document")
    func referencesResolve() throws {
        let document = try ExporterFixtures.parse(AsyncAPIExporter.document(of: try Self.exampleContracts()).rendered())
        var references: [String] = []
        ExporterFixtures.collectReferences(document, into: &references)
        #expect(references.count > 30)
        for reference in references {
            #expect(ExporterFixtures.resolve(reference, in: document) != nil, "unresolved \(reference)")
        }
    }

    @Test("the same contracts give the same bytes")
    func deterministic() throws {
        let first = AsyncAPIExporter.document(of: try Self.exampleContracts()).renderedYAML()
        let second = AsyncAPIExporter.document(of: try Self.exampleContracts().reversed()).renderedYAML()
        #expect(first == second)
    }

    static let parserRoot: String? = {
        let root = ProcessInfo.processInfo.environment["EVENTC_ASYNCAPI_PARSER_ROOT"]
            ?? repositoryRoot.appendingPathComponent(".venv/asyncapi-parser").path
        return FileManager.default.fileExists(atPath: root + "/generator/definitions/3.0.0-without-$id.json") ? root : nil
    }()
    static let python = ExternalTool.python(importing: ["asyncapi_python_parser_jonaslagoni", "yaml", "jsonpath_ng"])

    @Test("an independent AsyncAPI 3.0 parser accepts the document, as YAML and as JSON, and refuses a broken one",
          .enabled(if: python != nil && parserRoot != nil,
                   "needs asyncapi-python-parser-jonaslagoni in .venv and its source in .venv/asyncapi-parser; .ci/run installs both"))
    func independentParserAccepts() async throws {
        let python = try #require(Self.python), root = try #require(Self.parserRoot)
        let script = repositoryRoot.appendingPathComponent("Tests/ContractCodegenTests/asyncapi_check.py").path
        for contracts in [try Self.exampleContracts(), try CheckedFixtures.contracts(under: ReferenceTests.contractsPath)] {
            let document = AsyncAPIExporter.document(of: contracts, info: .init(title: "Test", version: "2.0.0"))
            let input = try JSONSerialization.data(withJSONObject: ["yaml": document.renderedYAML(), "json": document.rendered()])
            let output = try await ExternalTool.run(python, [script, root], input: input)
            let summary = try ExporterFixtures.parse(String(decoding: output, as: UTF8.self))
            #expect(summary["asyncapi"] as? String == "3.0.0")
            #expect((summary["channels"] as? [String])?.count == Set(contracts.map(\.topic)).count)
        }
        // The check can fail: an operation whose action is not send or receive is refused.
        let broken = AsyncAPIExporter.document(of: try Self.exampleContracts()).rendered()
            .replacingOccurrences(of: "\"action\": \"send\"", with: "\"action\": \"publish\"")
        let input = try JSONSerialization.data(withJSONObject: ["yaml": broken, "json": broken])
        await #expect(throws: ExternalTool.Failure.self) { try await ExternalTool.run(python, [script, root], input: input) }
    }
}

/// Walking exported JSON, for the exporter tests.
enum ExporterFixtures {
    static func parse(_ json: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    }

    static func collectReferences(_ value: Any, into references: inout [String]) {
        if let object = value as? [String: Any] {
            if let reference = object["$ref"] as? String { references.append(reference) }
            for member in object.values { collectReferences(member, into: &references) }
        } else if let array = value as? [Any] {
            for item in array { collectReferences(item, into: &references) }
        }
    }

    /// A local JSON Pointer (`#/a/b~1c`), resolved.
    static func resolve(_ reference: String, in document: Any) -> Any? {
        guard reference.hasPrefix("#/") else { return nil }
        var node: Any? = document
        for token in reference.dropFirst(2).split(separator: "/", omittingEmptySubsequences: false) {
            let key = token.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            node = (node as? [String: Any])?[key]
        }
        return node
    }
}

extension AsyncAPIExporterTests {
    @Test("a message's payload schema carries the fields' data rules and tags, as the JSON Schema export does")
    func dataRules() throws {
        let document = try ExporterFixtures.parse(AsyncAPIExporter.document(of: try Self.exampleContracts()).rendered())
        let rendered = String(decoding: try JSONSerialization.data(withJSONObject: document, options: [.sortedKeys]), as: UTF8.self)
        #expect(rendered.contains(#""minItems":1"#) && rendered.contains(#""uniqueItems":true"#))
        #expect(rendered.contains(#""pattern":"^[A-Z]{3}$""#) || rendered.contains(#""pattern":"^[A-Z]{3}\$""#))
        #expect(rendered.contains(#""x-eventcontracts-tags":["pii"]"#))
    }
}
