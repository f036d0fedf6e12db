import ContractChecker
import ContractModel
import ContractParser
import EventCore
import Foundation
import Testing
import ToolTestSupport

/// Mutates the valid example contracts thousands of times (byte flips, truncations, deleted and
/// duplicated lines, inserted YAML punctuation) and runs the whole pipeline on each: it must never
/// crash or hang, and a file that fails must say why with a located diagnostic.
@Suite("Robustness")
struct RobustnessTests {
    static let punctuation: [UInt8] = Array("{}[]:,-?&*!|>'\"#%@`\t\n ".utf8) + [0x00, 0xFF, 0xC3, 0xE2]

    static func mutate(_ bytes: [UInt8], using random: inout SplitMix64) -> [UInt8] {
        var bytes = bytes
        for _ in 0..<Int.random(in: 1...4, using: &random) where !bytes.isEmpty {
            switch Int.random(in: 0..<6, using: &random) {
            case 0:
                let index = Int.random(in: 0..<bytes.count, using: &random)
                bytes[index] ^= UInt8(1 << Int.random(in: 0..<8, using: &random))
            case 1:
                bytes.removeLast(Int.random(in: 0..<bytes.count, using: &random))
            case 2, 3:
                var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map(Array.init)
                let index = Int.random(in: 0..<lines.count, using: &random)
                if Bool.random(using: &random) { lines.remove(at: index) } else { lines.insert(lines[index], at: index) }
                bytes = Array(lines.joined(separator: [UInt8(ascii: "\n")]))
            case 4:
                let index = Int.random(in: 0...bytes.count, using: &random)
                bytes.insert(punctuation.randomElement(using: &random) ?? 0, at: index)
            default:
                let index = Int.random(in: 0..<bytes.count, using: &random)
                bytes.remove(at: index)
            }
        }
        return bytes
    }

    @Test("thousands of mutated contracts: no crash, no hang, every failure located")
    func mutatedContractsNeverCrash() throws {
        let seed = ProcessInfo.processInfo.environment["EVENTC_FUZZ_SEED"].flatMap(UInt64.init)
            ?? UInt64.random(in: 0...UInt64.max)
        print("RobustnessTests seed: \(seed) (rerun with EVENTC_FUZZ_SEED=\(seed))")
        var random = SplitMix64(seed: seed)
        let root = repositoryRoot.appendingPathComponent("Contracts").path
        let originals = try ContractSources.files(in: [root]).map { try ContractSources.read($0) }
        let pipeline = CheckPipeline()
        let clock = ContinuousClock()
        var slowest = Duration.zero
        var failing = 0
        for round in 0..<5_000 {
            let original = originals[round % originals.count]
            let mutated = Self.mutate(original, using: &random)
            var report: CheckReport?
            let elapsed = clock.measure {
                report = pipeline.run([SourceFile(path: "m/Mutant.yaml", bytes: mutated)])
            }
            slowest = max(slowest, elapsed)
            guard let report else { continue }
            if report.errorCount > 0 { failing += 1 }
            for diagnostic in report.diagnostics {
                #expect(diagnostic.location.line >= 1 && diagnostic.location.column >= 1,
                        "seed \(seed) round \(round): \(diagnostic)")
                #expect(RuleCatalog.description(of: diagnostic.rule) != nil, "seed \(seed): uncatalogued \(diagnostic.rule)")
            }
            if report.contracts.isEmpty {
                #expect(report.errorCount > 0, "seed \(seed) round \(round): no contract and no error")
            }
        }
        print("RobustnessTests: 5000 mutants, \(failing) with errors, slowest \(slowest)")
        // A hang shows as a test that never ends; this bound catches pathological slowness.
        #expect(slowest < .seconds(2), "seed \(seed): one mutant took \(slowest)")
    }
}
