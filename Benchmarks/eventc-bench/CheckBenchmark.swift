import CYAML
import Dispatch
import Foundation
import ContractChecker
import ContractModel

/// `check.contracts_per_s`: parse + lint 1,000 generated contracts of 5 versions × 20 fields.
/// Baseline: libyaml alone pulling every event from the same bytes on the same cores, with no
/// tree, IR or lint; the ratio says what our stages cost on top of the parser we cannot avoid.
enum CheckBenchmark {
    static let contractCount = 1_000

    static func run() {
        let files = (0..<contractCount).map { SourceFile(path: "bench/c\($0)/Event\($0).yaml", bytes: Array(contract($0).utf8)) }
        let pipeline = CheckPipeline()
        let sanity = pipeline.run(files)
        guard sanity.errorCount == 0, sanity.contracts.count == contractCount else {
            FileOutput.standardError("check benchmark: generated contracts are not clean: \(sanity.diagnostics.prefix(3))\n")
            return
        }
        let checkTime = Measure.best { _ = pipeline.run(files) }
        // The pipeline parses on every core, so the baseline does too.
        let workers = ProcessInfo.processInfo.activeProcessorCount
        let libyamlTime = Measure.best {
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                for index in stride(from: worker, to: files.count, by: workers) { _ = libyamlEventCount(files[index].bytes) }
            }
        }
        let perSecond = Double(contractCount) / Measure.seconds(checkTime)
        Measure.figure("check.contracts_per_s", perSecond, "contracts/s")
        Measure.figure("check.total_ms", Measure.seconds(checkTime) * 1000, "ms")
        Measure.figure("check.libyaml_events_contracts_per_s", Double(contractCount) / Measure.seconds(libyamlTime), "contracts/s")
        Measure.figure("check.time_vs_libyaml_events", Measure.seconds(checkTime) / Measure.seconds(libyamlTime), "x")
    }

    /// A realistic contract: shared types, a per-version enum, both field forms, defaults, docs.
    static func contract(_ index: Int) -> String {
        var text = """
            event: Event\(index)
            owner: team-\(index % 17)
            summary: Benchmark event number \(index).
            topic: bench.topic-\(index)
            partitions: 12
            key: entityId
            compatibility: FULL_TRANSITIVE
            retention: 7d
            delivery:
              acks: all
              idempotency: inbox
              retry: { attempts: 5, backoff: exponential, initial: 100ms, multiplier: 2, max: 10s }
            types:
              Money: { kind: record, fields: { amount: decimal, currency: { type: string, default: KRW } } }
              Status: { kind: enum, symbols: [active, paused, closed], default: active }
            versions:

            """
        for version in 1...5 {
            text += "  - version: \(version)\n    fields:\n      entityId: string\n"
            for field in 1..<20 {
                switch field % 5 {
                case 0: text += "      amount\(field): Money\n"
                case 1: text += "      count\(field): { type: long, default: 0, doc: \"Counter \(field).\" }\n"
                case 2: text += "      status\(field): { type: Status, default: active }\n"
                case 3: text += "      tags\(field): array<string>?\n"
                default: text += "      note\(field): { type: string, default: \"none\" }\n"
                }
            }
        }
        return text
    }

    private static func libyamlEventCount(_ bytes: [UInt8]) -> Int {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return 0 }
        defer { yaml_parser_delete(&parser) }
        var count = 0
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            yaml_parser_set_input_string(&parser, base, buffer.count)
            var event = yaml_event_t()
            while yaml_parser_parse(&parser, &event) == 1 {
                let done = event.type == YAML_STREAM_END_EVENT
                yaml_event_delete(&event)
                count += 1
                if done { break }
            }
        }
        return count
    }
}
