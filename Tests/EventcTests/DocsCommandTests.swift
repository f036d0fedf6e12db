import ContractChecker
import Foundation
import Testing

@testable import eventc

@Suite("eventc docs and export jsonschema|asyncapi")
struct DocsCommandTests {
    static let contract = ExportAvroCommandTests.contract

    /// A scratch folder holding `c/P.yaml`.
    static func scratch() throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("eventc-docs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("c"), withIntermediateDirectories: true)
        try Data(contract.utf8).write(to: root.appendingPathComponent("c/P.yaml"))
        return root
    }

    static func contents(of folder: URL) throws -> [String: Data] {
        let paths = try FileManager.default.subpathsOfDirectory(atPath: folder.path)
        var contents: [String: Data] = [:]
        for path in paths {
            var isFolder: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: folder.appendingPathComponent(path).path, isDirectory: &isFolder)
            if exists, !isFolder.boolValue { contents[path] = try Data(contentsOf: folder.appendingPathComponent(path)) }
        }
        return contents
    }

    @Test("docs writes the site, the same bytes each time, and leaves files it did not write alone")
    func docs() throws {
        let root = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: root) }
        let site = root.appendingPathComponent("site")
        try FileManager.default.createDirectory(at: site, withIntermediateDirectories: true)
        try Data("mine".utf8).write(to: site.appendingPathComponent("notes.txt"))
        let first = DocsRun(paths: [root.appendingPathComponent("c").path], output: site.path, title: "Payments").execute()
        #expect(first.exitCode == 0, "\(first.errorOutput)")
        #expect(first.output == "wrote the catalog of 1 events to \(site.path)/index.html\n")
        let written = try Self.contents(of: site)
        #expect(written["notes.txt"] == Data("mine".utf8))
        #expect(written["events/pay-ments/PaymentCompleted.html"] != nil)
        #expect(written["schemas/pay-ments/PaymentCompleted.v1.schema.json"] != nil)
        #expect(String(decoding: written["index.html"] ?? Data(), as: UTF8.self).contains("<title>Payments</title>"))
        _ = DocsRun(paths: [root.appendingPathComponent("c").path], output: site.path, title: "Payments").execute()
        #expect(try Self.contents(of: site) == written)
    }

    @Test("contracts with errors are reported and nothing is written")
    func refusesErrors() throws {
        let root = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: root) }
        try Data("event: x\n".utf8).write(to: root.appendingPathComponent("c/Bad.yaml"))
        let out = root.appendingPathComponent("out").path
        for outcome in [DocsRun(paths: [root.path + "/c"], output: out, title: "t").execute(),
                        ExportSchemasRun(language: .jsonSchema, paths: [root.path + "/c"], output: out).execute(),
                        ExportAsyncAPIRun(paths: [root.path + "/c"], output: out + "/a.yaml").execute()] {
            #expect(outcome.exitCode == 1)
            #expect(outcome.output.contains("Bad.yaml"))
        }
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test("an output that cannot be written is a usage error naming it")
    func unwritableOutput() throws {
        let root = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: root) }
        let blocker = root.appendingPathComponent("file")
        try Data().write(to: blocker)
        let outcome = DocsRun(paths: [root.path + "/c"], output: blocker.path, title: "t").execute()
        #expect(outcome.exitCode == 2)
        #expect(outcome.errorOutput.contains("cannot write to \(blocker.path)"))
    }

    @Test("export jsonschema writes a 2020-12 schema per version")
    func jsonSchema() throws {
        let root = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: root) }
        let outcome = ExportSchemasRun(language: .jsonSchema, paths: [root.path + "/c"], output: root.path + "/out").execute()
        #expect(outcome.exitCode == 0)
        let url = root.appendingPathComponent("out/pay-ments/PaymentCompleted.v1.schema.json")
        let schema = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        #expect(schema["$schema"] as? String == "https://json-schema.org/draft/2020-12/schema")
        let properties = try #require(schema["properties"] as? [String: [String: Any]])
        #expect(properties["at"]?["default"] as? String == "1970-01-01T23:00:00.250Z")
        #expect(properties["raw"]?["default"] as? String == "AP8=")
    }

    @Test("export asyncapi writes YAML or JSON of the same document")
    func asyncAPI() throws {
        let root = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: root) }
        let yaml = ExportAsyncAPIRun(paths: [root.path + "/c"], output: root.path + "/out/api.yaml", title: "Pay", apiVersion: "3.1.0").execute()
        #expect(yaml.exitCode == 0)
        let text = try String(contentsOf: root.appendingPathComponent("out/api.yaml"), encoding: .utf8)
        #expect(text.hasPrefix("asyncapi: \"3.0.0\"\ninfo:\n  title: \"Pay\"\n  version: \"3.1.0\"\n"))
        let json = ExportAsyncAPIRun(paths: [root.path + "/c"], output: root.path + "/out/api.json", format: .json).execute()
        #expect(json.exitCode == 0)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: root.appendingPathComponent("out/api.json"))) as? [String: Any])
        #expect((document["channels"] as? [String: Any])?.keys.sorted() == ["t"])
    }
}
