import ContractChecker
import ContractCodegen

/// `generate.contracts_per_s`: check and generate Swift for the 1,000 contracts of the check
/// benchmark (5 versions × 20 fields), in memory. Baseline: the check alone, so the ratio is what
/// generation adds.
enum GenerateBenchmark {
    static func run() {
        let files = (0..<CheckBenchmark.contractCount).map {
            SourceFile(path: "bench/c\($0)/Event\($0).yaml", bytes: Array(CheckBenchmark.contract($0).utf8))
        }
        let generator = ContractGenerator()
        let report = CheckPipeline().run(files, resolving: true)
        guard report.errorCount == 0, (try? generator.generate(report.checked)) != nil else {
            FileOutput.standardError("generate benchmark: generation failed\n")
            return
        }
        let total = Measure.best(repetitions: 3) {
            let report = CheckPipeline().run(files, resolving: true)
            _ = try? generator.generate(report.checked)
        }
        let checkOnly = Measure.best(repetitions: 3) { _ = CheckPipeline().run(files) }
        Measure.figure("generate.contracts_per_s", Double(files.count) / Measure.seconds(total), "contracts/s")
        Measure.figure("generate.total_ms", Measure.seconds(total) * 1000, "ms")
        Measure.figure("generate.time_vs_check", Measure.seconds(total) / Measure.seconds(checkOnly), "x")
    }
}
