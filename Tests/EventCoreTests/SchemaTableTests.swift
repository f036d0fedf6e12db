import EventCore
import Testing

@Suite("Schema ids: derived and from a table")
struct SchemaTableTests {
    /// Two versions of one record.
    private let schemas = EventSchemaSet(schemas: [
        #"{"type":"record","name":"S","fields":[{"name":"a","type":"int"}]}"#,
        #"{"type":"record","name":"S","fields":[{"name":"a","type":"int"},{"name":"b","type":"string","default":""}]}"#,
    ])

    @Test("a table file's ids name its schemas both ways: version to id for publishing, id to schema for reading")
    func resolves() throws {
        let entries = schemas.texts.enumerated().map { index, text in #"{"id": \#(7 + index), "schema": \#(JSONValue.quoted(text))}"# }
        let table = try SchemaTable(json: Array(#"{"schemas": [\#(entries.joined(separator: ","))]}"#.utf8), file: "t.json")
        for version in 1...schemas.versions.count {
            #expect(try table.schemaId(ofVersion: version, in: schemas) == Int32(6 + version))
            #expect(try table.writerSchema(forId: Int32(6 + version), reading: schemas).fingerprint == schemas.versions[version - 1].fingerprint)
        }
        #expect(throws: EventDecodingError.self) { try table.writerSchema(forId: 99, reading: schemas) }
        let partial = SchemaTable([(id: 1, schema: schemas.versions[0].schema)])
        do {
            _ = try partial.schemaId(ofVersion: schemas.versions.count, in: schemas)
            Issue.record("a version the table lacks got an id")
        } catch {
            #expect(error.message.contains("add the version's schema to it"), "\(error)")
        }
    }

    @Test("derived ids are the top 31 bits of each schema's fingerprint, never 0, and read back to the same version")
    func derived() throws {
        for (index, version) in schemas.versions.enumerated() {
            let id = try DerivedSchemaIds().schemaId(ofVersion: index + 1, in: schemas)
            #expect(id == max(1, Int32(truncatingIfNeeded: version.fingerprint >> 33)))
            #expect(try DerivedSchemaIds().writerSchema(forId: id, reading: schemas).version == index + 1)
        }
    }

    @Test("a table file that is not one is refused with the file and what is wrong", arguments: [
        ("[1, 2]", "expected {\"schemas\""),
        ("{\"schemas\": [", "not JSON"),
        ("{\"schemas\": [{\"schema\": \"\\\"int\\\"\"}]}", "schemas[0] has no \"id\""),
        ("{\"schemas\": [{\"id\": -1, \"schema\": \"\\\"int\\\"\"}]}", "schemas[0] has no \"id\""),
        ("{\"schemas\": [{\"id\": 1}]}", "schemas[0] has no \"schema\""),
        ("{\"schemas\": [{\"id\": 1, \"schema\": \"{\\\"type\\\": \\\"nope\\\"}\"}]}", "schemas[0] (id 1)"),
        ("{\"schemas\": [{\"id\": 1, \"schema\": \"\\\"int\\\"\"}, {\"id\": 1, \"schema\": \"\\\"long\\\"\"}]}", "id 1 is given twice"),
    ])
    func refusals(text: String, message: String) {
        do {
            _ = try SchemaTable(json: Array(text.utf8), file: "ids.json")
            Issue.record("\(text) was read")
        } catch {
            #expect(error.file == "ids.json")
            #expect(error.description.hasPrefix("ids.json: "))
            #expect(error.message.contains(message), "\(error)")
        }
    }
}
