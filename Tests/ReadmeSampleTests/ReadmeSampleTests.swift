import EventTestSupport
import Foundation
import Testing
import ToolTestSupport

/// The README's Swift samples are compiled: `ReadmeSamples.swift` holds each one as the body of a
/// function, and this test demands that it is exactly what the README says today. After editing
/// a sample, rewrite the file with `EVENTC_UPDATE_README_SAMPLES=1 swift test --filter ReadmeSampleTests`.
/// Blocks marked ```swift package-manifest (Package.swift fragments) are not compiled here.
@Suite("README samples")
struct ReadmeSampleTests {
    static let samplesFile = repositoryRoot.appendingPathComponent("Tests/ReadmeSampleTests/ReadmeSamples.swift")

    /// Each ```swift block of `readme`, in order.
    static func swiftBlocks(_ readme: String) -> [[String]] {
        var blocks: [[String]] = []
        var current: [String]?
        for line in readme.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if current == nil, line == "```swift" {
                current = []
            } else if current != nil, line == "```" {
                blocks.append(current ?? [])
                current = nil
            } else {
                current?.append(line)
            }
        }
        return blocks
    }

    /// The samples file for `readme`: imports hoisted, each block a function; blocks that import
    /// the Kafka transport compile only with the `Kafka` trait.
    static func samplesSource(_ readme: String) -> String {
        var out = """
            // The README's Swift samples, one function each: this target compiling is the check that
            // they compile. Written by ReadmeSampleTests from README.md; do not edit (see that test).

            import EventRuntime
            import EventRuntimeSQLite
            import Foundation
            import GeneratedContracts

            """
        for (index, block) in swiftBlocks(readme).enumerated() {
            let imports = block.filter { $0.hasPrefix("import ") }
            let body = block.filter { !$0.hasPrefix("import ") }.drop { $0.isEmpty }
            let needsKafka = imports.contains("import KafkaTransport")
            out += "\n"
            if needsKafka { out += "#if Kafka\n" }
            for line in imports where !out.contains(line + "\n") { out += line + "\n" }
            out += "func readmeSample\(index + 1)() async throws {\n"
            for line in body { out += line.isEmpty ? "\n" : "    " + line + "\n" }
            out += "}\n"
            if needsKafka { out += "#endif\n" }
        }
        return out
    }

    @Test("ReadmeSamples.swift holds exactly the README's Swift samples, so compiling it compiles them")
    func samplesAreTheReadmes() throws {
        let readme = try String(contentsOf: repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(Self.swiftBlocks(readme).count >= 4, "the README's samples were not found")
        let expected = Self.samplesSource(readme)
        if ProcessInfo.processInfo.environment["EVENTC_UPDATE_README_SAMPLES"] == "1" {
            try expected.write(to: Self.samplesFile, atomically: true, encoding: .utf8)
        }
        let committed = try String(contentsOf: Self.samplesFile, encoding: .utf8)
        #expect(committed == expected, "README samples changed: EVENTC_UPDATE_README_SAMPLES=1 swift test --filter ReadmeSampleTests, then build")
    }
}
