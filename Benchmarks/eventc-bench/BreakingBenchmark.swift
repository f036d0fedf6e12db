import ContractChecker
import ContractModel
import ContractParser
import Foundation

/// `breaking.contracts_per_s`: 1,000 contracts × 10 versions, FULL_TRANSITIVE, read from a
/// working directory and compared with a baseline directory holding versions 1–9 (a pull request
/// that adds version 10 everywhere): immutability of nine published versions, and version 10
/// against all nine in both directions. Baseline figure: reading and parsing the same files alone,
/// on the same cores, so the ratio is what comparing costs on top.
enum BreakingBenchmark {
    static let contractCount = 1_000
    static let versionCount = 10

    static func run() {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("eventc-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        do {
            for index in 0..<contractCount {
                try write(contract(index, versions: versionCount - 1), to: root.appendingPathComponent("baseline/c\(index)/Event\(index).yaml"))
                try write(contract(index, versions: versionCount), to: root.appendingPathComponent("working/c\(index)/Event\(index).yaml"))
            }
        } catch {
            FileOutput.standardError("breaking benchmark: cannot write fixtures: \(error)\n")
            return
        }
        let baselinePath = root.appendingPathComponent("baseline").path
        let workingPath = root.appendingPathComponent("working").path
        func load(_ path: String) -> [SourceFile] {
            let files = (try? ContractSources.files(in: [path])) ?? []
            return files.compactMap { file in (try? ContractSources.read(file)).map { SourceFile(path: file, bytes: $0) } }
        }
        let pipeline = BreakingPipeline(baselineName: "baseline")
        let sanity = pipeline.run(baseline: load(baselinePath), working: load(workingPath))
        guard sanity.errorCount == 0, sanity.contracts.count == contractCount else {
            FileOutput.standardError("breaking benchmark: fixtures are not clean: \(sanity.diagnostics.prefix(3))\n")
            return
        }
        let breakingTime = Measure.best(repetitions: 3) {
            _ = pipeline.run(baseline: load(baselinePath), working: load(workingPath))
        }
        let parseTime = Measure.best(repetitions: 3) {
            _ = ParallelParsing.parse(load(baselinePath) + load(workingPath))
        }
        Measure.figure("breaking.contracts_per_s", Double(contractCount) / Measure.seconds(breakingTime), "contracts/s")
        Measure.figure("breaking.total_ms", Measure.seconds(breakingTime) * 1000, "ms")
        Measure.figure("breaking.time_vs_read_and_parse", Measure.seconds(breakingTime) / Measure.seconds(parseTime), "x")
    }

    static func write(_ text: String, to url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    /// Each version adds one optional field to the previous one: compatible both ways.
    static func contract(_ index: Int, versions: Int) -> String {
        var text = """
            event: Event\(index)
            owner: team
            summary: Benchmark event \(index).
            topic: bench.topic-\(index)
            key: entityId
            compatibility: FULL_TRANSITIVE
            types:
              Money: { kind: record, fields: { amount: decimal, currency: { type: string, default: KRW } } }
              Status: { kind: enum, symbols: [active, paused, closed], default: active }
            versions:

            """
        for version in 1...versions {
            text += "  - version: \(version)\n    fields:\n      entityId: string\n"
            for field in 1..<(15 + version) {
                let optional = field >= 15 ? "?" : ""
                switch field % 4 {
                case 0: text += "      amount\(field): Money\(optional)\n"
                case 1: text += "      count\(field): { type: long\(optional), default: \(optional.isEmpty ? "0" : "null") }\n"
                case 2: text += "      status\(field): { type: Status\(optional), default: \(optional.isEmpty ? "active" : "null") }\n"
                default: text += "      tags\(field): array<string>?\n"
                }
            }
        }
        return text
    }
}
