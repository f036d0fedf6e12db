// eventc-bench: the project's benchmarks, run in a release build:
//   swift run -c release eventc-bench [group…]
// Each figure is one line `name: value unit`. Machines here are shared and noisy, so every group
// also measures a baseline in the same run and prints the ratio, which is what to compare.

#if canImport(Glibc)
import Glibc
#endif

var groups: [String: () async -> Void] = [
    "broker": BrokerBenchmark.run,
    "check": CheckBenchmark.run,
    "breaking": BreakingBenchmark.run,
    "codec": CodecBenchmark.run,
    "generate": GenerateBenchmark.run,
    "processor": ProcessorBenchmark.run,
    "rules": RulesBenchmark.run,
    "postgres": PostgresBenchmark.run,
]
#if Kafka
groups["kafka"] = KafkaBenchmark.run
#endif

let requested = Array(CommandLine.arguments.dropFirst())
let unknown = requested.filter { groups[$0] == nil }
if !unknown.isEmpty {
    FileOutput.standardError("eventc-bench: unknown group \(unknown.joined(separator: ", ")); groups: \(groups.keys.sorted().joined(separator: ", "))\n")
    exit(2)
}
for name in (requested.isEmpty ? groups.keys.sorted() : requested) {
    await groups[name]?()
}
