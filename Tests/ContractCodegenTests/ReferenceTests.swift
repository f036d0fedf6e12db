import ContractChecker
import ContractCodegen
import ContractModel
import ContractParser
import Foundation
import Testing
import ToolTestSupport

/// The generator's output for the contracts beside this file is committed under
/// Tests/GeneratedReferenceTests/Reference (both modes), where it is also compiled and exercised,
/// and Tests/GeneratedTypesReferenceTests/Reference (the `types` mode), compiled by a target that
/// depends on EventCore alone. These tests regenerate both and demand the same bytes. After an
/// intended change, regenerate with `EVENTC_UPDATE_REFERENCE=1 swift test --filter ReferenceTests`
/// and review the diff.
@Suite("Reference output")
struct ReferenceTests {
    static let contractsPath = "Tests/ContractCodegenTests/Contracts"
    static let referenceDirectory = repositoryRoot.appendingPathComponent("Tests/GeneratedReferenceTests/Reference")
    static let typesReferenceDirectory = repositoryRoot.appendingPathComponent("Tests/GeneratedTypesReferenceTests/Reference")

    static func contracts() throws -> [CheckedContract] {
        let names = try FileManager.default.contentsOfDirectory(atPath: repositoryRoot.appendingPathComponent(contractsPath).path)
            .filter { $0.hasSuffix(".yaml") }.sorted()
        let files = try names.map { name in
            SourceFile(path: "\(contractsPath)/\(name)",
                       bytes: Array(try Data(contentsOf: repositoryRoot.appendingPathComponent("\(contractsPath)/\(name)"))))
        }
        let report = CheckPipeline().run(files, resolving: true)
        #expect(report.errorCount == 0, "\(report.diagnostics)")
        #expect(report.checked.count == files.count && report.checkFailures.isEmpty)
        return report.checked
    }

    @Test("generated files equal the committed reference, byte for byte, in both modes and in the types mode", arguments: [
        (Set(GeneratorOptions.Mode.allCases), referenceDirectory), (Set([GeneratorOptions.Mode.types]), typesReferenceDirectory),
    ])
    func matchesReference(modes: Set<GeneratorOptions.Mode>, directory: URL) throws {
        let generated = try ContractGenerator(options: GeneratorOptions(modes: modes)).generate(try Self.contracts())
        let update = ProcessInfo.processInfo.environment["EVENTC_UPDATE_REFERENCE"] == "1"
        for file in generated {
            let url = directory.appendingPathComponent(file.name)
            if update { try Data(file.contents.utf8).write(to: url) }
            let reference = try String(contentsOf: url, encoding: .utf8)
            #expect(reference == file.contents, "\(file.name) differs from the reference; see the type comment")
        }
        let committed = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        #expect(committed == generated.map(\.name).sorted())
    }

    @Test("the types mode imports no processor and declares no handler; the handlers mode only the handlers, and an empty catalog file")
    func modesSplitTypesFromHandlers() throws {
        let types = try ContractGenerator(options: GeneratorOptions(modes: [.types])).generate(try Self.contracts())
        let handlers = try ContractGenerator(options: GeneratorOptions(imports: ["MyEventTypes"], modes: [.handlers]))
            .generate(try Self.contracts())
        #expect(types.map(\.name) == handlers.map(\.name), "the same files, so the build plugin can declare them up front")
        for file in types {
            #expect(!file.contents.contains("import EventProcessing") && !file.contents.contains("Handler"), "\(file.name)")
        }
        let reading = try #require(handlers.first { $0.name == "Reading.swift" }).contents
        #expect(reading.contains("import EventProcessing\nimport Foundation\nimport MyEventTypes\n"))
        #expect(reading.contains("public protocol ReadingHandler: Sendable"))
        #expect(!reading.contains("struct Reading"))
        let catalog = try #require(handlers.first { $0.name == ContractGenerator.catalogFileName }).contents
        #expect(!catalog.contains("enum EventCatalog"))
    }

    @Test("the same input gives the same bytes, whatever order the contracts come in")
    func deterministic() throws {
        let contracts = try Self.contracts()
        #expect(try ContractGenerator().generate(contracts) == ContractGenerator().generate(contracts.reversed()))
    }

    @Test("access level and imports are configurable")
    func options() throws {
        let files = try ContractGenerator(options: GeneratorOptions(accessLevel: .package, imports: ["Logging", "Atomics"]))
            .generate(try Self.contracts())
        let reading = try #require(files.first { $0.name == "Reading.swift" }).contents
        #expect(reading.contains("package struct Reading: EventContract"))
        #expect(!reading.contains("public "))
        #expect(reading.contains("import Atomics\nimport Logging\n"))
    }

    @Test("only an `encoding: avro` contract specialises its Avro codec in the generated type")
    func avroCodecSpecialisedOnlyWhereAvroIsTheEncoding() throws {
        let files = try ContractGenerator().generate(try Self.contracts())
        let shipment = try #require(files.first { $0.name == "Shipment.swift" }).contents
        let reading = try #require(files.first { $0.name == "Reading.swift" }).contents
        for requirement in ["func encode(to writer: inout AvroWriter)", "static func decode(from reader: inout AvroReader)"] {
            #expect(shipment.contains(requirement), "Shipment (encoding: avro) lacks \(requirement)")
            // A JSON contract leaves Avro to the runtime's unspecialised default: built once,
            // not once per event (Benchmarks/build-scale).
            #expect(!reading.contains(requirement), "Reading (encoding: json) implements \(requirement)")
        }
    }

    @Test("hostile docs, defaults and names never become code")
    func hostileTextIsInert() throws {
        let everything = try #require(try ContractGenerator().generate(try Self.contracts()).first { $0.name == "Everything.swift" })
        for line in everything.contents.split(separator: "\n") {
            let trimmed = line.drop { $0 == " " }
            // Text from the contract appears only in comments or inside string literals.
            if trimmed.contains("injected") { #expect(trimmed.hasPrefix("///"), "\(line)") }
            #expect(!line.unicodeScalars.contains { $0.value == 0x202E || $0 == "\r" }, "control or bidi text in \(line)")
        }
        #expect(everything.contents.contains(#"interpolation \\(x) newline\u{a} end""#))
    }

    @Test("names outside the ASCII identifier allowlist are refused even without lint", arguments: [
        "naïve", "bad name", "x\u{202E}y", "9lives", "a-b",
    ])
    func unsafeNamesAreRefused(name: String) throws {
        let text = "event: Sample\nowner: o\ntopic: t\nkey: none\nversions: [{ version: 1, fields: { \"\(name)\": string } }]\n"
        let parsed = ContractFileParser.parse(text, file: "s/Sample.yaml")
        let contract = try CheckedContract.unchecked(try #require(parsed.contract))
        #expect(throws: GenerationError.self) { try ContractGenerator().generate([contract]) }
    }

    @Test("a field named like a generated member is refused", arguments: ["partitionKey", "validate", "traverse"])
    func reservedMembersAreRefused(_ name: String) throws {
        let text = "event: Sample\nowner: o\ntopic: t\nkey: none\nversions: [{ version: 1, fields: { \(name): string } }]\n"
        let contract = try CheckedContract.unchecked(try #require(ContractFileParser.parse(text, file: "s/Sample.yaml").contract))
        #expect(throws: GenerationError.self) { try ContractGenerator().generate([contract]) }
    }

    @Test("two contract files with one stem cannot share an output file")
    func outputNamesAreUnique() throws {
        let text = "event: A\nowner: o\ntopic: t\nkey: none\nversions: [{ version: 1, fields: { id: string } }]\n"
        let a = try CheckedContract.unchecked(try #require(ContractFileParser.parse(text, file: "x/Same.yaml").contract))
        let b = try CheckedContract.unchecked(
            try #require(ContractFileParser.parse(text.replacingOccurrences(of: "event: A", with: "event: B"), file: "y/Same.yaml").contract))
        #expect(throws: GenerationError.self) { try ContractGenerator().generate([a, b]) }
        #expect(ContractGenerator.outputName(for: "Contracts/payments/PaymentCompleted.yaml") == "PaymentCompleted.swift")
    }
}
