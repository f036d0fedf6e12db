import EventTestSupport
import Foundation
import Testing
import ToolTestSupport

/// The documentation's Swift samples are compiled: `DocumentationSamples.swift` holds each
/// ```swift block of the README and the DocC articles as the body of a function, and this test
/// demands that it is exactly what the documentation says today. After editing a sample, rewrite
/// the file with `EVENTC_UPDATE_DOC_SAMPLES=1 swift test --filter DocumentationSampleTests`.
/// Blocks marked ```swift package-manifest (Package.swift fragments) are not compiled here.
@Suite("Documentation samples")
struct DocumentationSampleTests {
    static let samplesFile = repositoryRoot.appendingPathComponent("Tests/DocumentationSampleTests/DocumentationSamples.swift")

    /// The samples file for `files`: imports hoisted, each block a function named after its
    /// place; blocks that import the Kafka transport compile only with the `Kafka` trait.
    static func samplesSource(_ files: [Documentation.File]) -> String {
        var out = """
            // The documentation's Swift samples, one function each: this target compiling is the
            // check that they compile. Written by DocumentationSampleTests from the README and the
            // DocC articles; do not edit (see that test).

            import EventRuntime
            import EventRuntimeSQLite
            import Foundation
            import GeneratedContracts

            """
        var number = 0
        for file in files {
            for block in Documentation.codeBlocks(file.text, languages: ["swift"]) {
                number += 1
                let lines = block.lines.map { $0.trimmingCharacters(in: .whitespaces).isEmpty ? "" : $0 }
                let imports = lines.filter { $0.trimmingCharacters(in: .whitespaces).hasPrefix("import ") }
                    .map { $0.trimmingCharacters(in: .whitespaces) }
                let body = lines.filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("import ") }.drop { $0.isEmpty }
                let needsKafka = imports.contains("import KafkaTransport")
                out += "\n"
                if needsKafka { out += "#if Kafka\n" }
                for line in imports where !out.contains(line + "\n") { out += line + "\n" }
                out += "// \(file.path)\n"
                out += "func documentationSample\(number)() async throws {\n"
                for line in body { out += line.isEmpty ? "\n" : "    " + line + "\n" }
                out += "}\n"
                if needsKafka { out += "#endif\n" }
            }
        }
        return out
    }

    @Test("DocumentationSamples.swift holds exactly the documentation's Swift samples, so compiling it compiles them")
    func samplesAreTheDocumentations() throws {
        let files = try Documentation.files()
        #expect(files.contains { $0.path.hasSuffix(".docc/ProcessingEvents.md") }, "the DocC articles were not found")
        let blocks = files.flatMap { Documentation.codeBlocks($0.text, languages: ["swift"]) }
        #expect(blocks.count >= 8, "the documentation's samples were not found")
        let expected = Self.samplesSource(files)
        if ProcessInfo.processInfo.environment["EVENTC_UPDATE_DOC_SAMPLES"] == "1" {
            try expected.write(to: Self.samplesFile, atomically: true, encoding: .utf8)
        }
        let committed = try String(contentsOf: Self.samplesFile, encoding: .utf8)
        #expect(committed == expected, "documentation samples changed: EVENTC_UPDATE_DOC_SAMPLES=1 swift test --filter DocumentationSampleTests, then build")
    }
}
