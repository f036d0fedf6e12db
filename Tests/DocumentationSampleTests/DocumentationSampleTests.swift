import EventTestSupport
import Foundation
import Testing
import ToolTestSupport

/// The documentation's Swift samples are compiled: `DocumentationSamples.swift` holds each
/// ```swift block of the README and the DocC articles, and each Swift file a tutorial shows
/// (except its Package.swift), as the body of a function, and this test
/// demands that it is exactly what the documentation says today. After editing a sample, rewrite
/// the file with `EVENTC_UPDATE_DOC_SAMPLES=1 swift test --filter DocumentationSampleTests`.
/// Blocks marked ```swift package-manifest (Package.swift fragments) are not compiled here.
@Suite("Documentation samples")
struct DocumentationSampleTests {
    static let samplesFile = repositoryRoot.appendingPathComponent("Tests/DocumentationSampleTests/DocumentationSamples.swift")

    /// The samples file for `files`: imports hoisted, each block a function named after its
    /// place; blocks that import the Kafka transport compile only with the `Kafka` trait.
    static func samplesSource(_ files: [Documentation.File], tutorialCode: [Documentation.File] = []) -> String {
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
        // A tutorial's Swift file is a whole main.swift: top-level code, compiled as one block.
        let tutorialBlocks = tutorialCode.map { file in
            (file, [(firstLine: 1, lines: file.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init))])
        }
        let documentBlocks = files.map { ($0, Documentation.codeBlocks($0.text, languages: ["swift"])) }
        for (file, blocks) in documentBlocks + tutorialBlocks {
            for block in blocks {
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
                for name in topLevelConstants(Array(body)) { out += "    _ = \(name)\n" }
                out += "}\n"
                if needsKafka { out += "#endif\n" }
            }
        }
        return out
    }

    /// The block's top-level constants. In the reader's file they are globals, which the compiler
    /// does not warn about when unused; in the function that compiles them here they would be
    /// unused locals (a tutorial's early step opens a store it uses a step later), so the function
    /// reads each of them once more.
    static func topLevelConstants(_ lines: [String]) -> [String] {
        lines.compactMap { line in
            guard line.hasPrefix("let ") else { return nil }
            return line.dropFirst(4).split(whereSeparator: { !$0.isLetter && !$0.isNumber }).first.map(String.init)
        }
    }

    @Test("DocumentationSamples.swift holds exactly the documentation's Swift samples, so compiling it compiles them")
    func samplesAreTheDocumentations() throws {
        let files = try Documentation.files()
        #expect(files.contains { $0.path.hasSuffix(".docc/ProcessingEvents.md") }, "the DocC articles were not found")
        let blocks = files.flatMap { Documentation.codeBlocks($0.text, languages: ["swift"]) }
        #expect(blocks.count >= 8, "the documentation's samples were not found")
        let tutorialCode = try Documentation.tutorialFiles().filter { $0.path.hasSuffix(".swift") && !$0.path.hasSuffix("-package.swift") }
        #expect(tutorialCode.count >= 5, "the tutorials' code was not found")
        let expected = Self.samplesSource(files, tutorialCode: tutorialCode)
        if ProcessInfo.processInfo.environment["EVENTC_UPDATE_DOC_SAMPLES"] == "1" {
            try expected.write(to: Self.samplesFile, atomically: true, encoding: .utf8)
        }
        let committed = try String(contentsOf: Self.samplesFile, encoding: .utf8)
        #expect(committed == expected, "documentation samples changed: EVENTC_UPDATE_DOC_SAMPLES=1 swift test --filter DocumentationSampleTests, then build")
    }
}

/// The tutorials' Package.swift files are not compiled with the samples (they are manifests);
/// SwiftPM reads each one instead, as it would in the reader's package.
@Suite("Tutorial manifests")
struct TutorialManifestTests {
    static let swift = ExternalTool.executable(named: ["swift"])

    @Test("each tutorial's Package.swift is a manifest SwiftPM reads, running the build plugin",
          .enabled(if: swift != nil, "needs swift on the PATH"))
    func manifestsAreValid() throws {
        let swift = try #require(Self.swift)
        let manifests = try Documentation.tutorialFiles().filter { $0.path.hasSuffix("-package.swift") }
        #expect(manifests.count >= 3, "the tutorials' manifests were not found")
        for manifest in manifests {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tutorial-manifest-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: folder) }
            try FileManager.default.createDirectory(at: folder.appendingPathComponent("Sources/Shop"), withIntermediateDirectories: true)
            try Data(manifest.text.utf8).write(to: folder.appendingPathComponent("Package.swift"))
            let dump = try ExternalTool.run(swift, ["package", "dump-package"], currentDirectory: folder)
            let text = String(decoding: dump, as: UTF8.self)
            #expect(text.contains("\"EventcGenerate\""), "\(manifest.path) does not run the build plugin")
            // 0.x: patches only (a minor version may break), as the README says.
            #expect(text.contains("\"upperBound\" : \"0.10.0\""), "\(manifest.path) does not accept patches only")
        }
    }
}
