import ContractChecker
import EventcCommandLine
import Foundation
import Testing
import ToolTestSupport

@testable import eventc

@Suite("eventc schema and scaffold contract")
struct SchemaCommandTests {
    @Test("Schemas/contract-v1.schema.json is what eventc schema prints (regenerate: eventc schema --output Schemas/contract-v1.schema.json)")
    func committedSchemaIsCurrent() throws {
        let committed = try String(contentsOf: repositoryRoot.appendingPathComponent("Schemas/contract-v1.schema.json"), encoding: .utf8)
        #expect(committed == SchemaRun.text)
        #expect(SchemaRun(output: nil).execute().output == SchemaRun.text)
    }

    @Test("a scaffolded contract passes check --strict, points at the schema, and is never overwritten")
    func scaffoldsAContract() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("eventc-scaffold-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let output = root.appendingPathComponent("Contracts/orders").path
        let schema = root.appendingPathComponent("Schemas/contract-v1.schema.json").path
        let first = ScaffoldContractRun(event: "OrderPlaced", output: output, owner: "order-team", schema: schema).execute()
        #expect(first.exitCode == EventcExit.clean)
        #expect(first.output == "wrote \(schema)\nwrote \(output)/OrderPlaced.yaml\n")
        let contract = try String(contentsOfFile: output + "/OrderPlaced.yaml", encoding: .utf8)
        #expect(contract.hasPrefix("# yaml-language-server: $schema=../../Schemas/contract-v1.schema.json\n"))
        #expect(contract.contains("topic: orders.order-placed\n"))
        #expect(try String(contentsOfFile: schema, encoding: .utf8) == SchemaRun.text)

        let report = CheckPipeline().run([SourceFile(path: output + "/OrderPlaced.yaml", bytes: Array(contract.utf8))])
        #expect(report.diagnostics.isEmpty, "\(report.diagnostics)")

        try Data("edited".utf8).write(to: URL(fileURLWithPath: output + "/OrderPlaced.yaml"))
        let second = ScaffoldContractRun(event: "OrderPlaced", output: output, owner: "x", schema: schema).execute()
        #expect(second.output == "kept \(output)/OrderPlaced.yaml (exists; yours to edit)\n")
        #expect(try String(contentsOfFile: output + "/OrderPlaced.yaml", encoding: .utf8) == "edited")
    }

    @Test("an event name that is not UpperCamelCase is a usage error, and nothing is written")
    func refusesABadName() {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("eventc-scaffold-\(UUID().uuidString)")
        let outcome = ScaffoldContractRun(event: "order_placed", output: root.path, owner: "t", schema: root.path + "/s.json").execute()
        #expect(outcome.exitCode == EventcExit.usageOrIO)
        #expect(outcome.errorOutput.contains("write it UpperCamelCase"))
        #expect(!FileManager.default.fileExists(atPath: root.path))
    }

    @Test("the schema line's path is relative to the contract's folder")
    func relativePaths() {
        #expect(ScaffoldContractRun.relativePath(from: "Contracts/orders", to: "Schemas/contract-v1.schema.json") == "../../Schemas/contract-v1.schema.json")
        #expect(ScaffoldContractRun.relativePath(from: "Contracts", to: "Contracts/s.json") == "s.json")
        #expect(ScaffoldContractRun.relativePath(from: "/a/b", to: "/a/c/s.json") == "../c/s.json")
    }
}
