import ContractChecker
import ContractModel
import Foundation
import Testing

/// Baseline fixtures: `Fixtures/breaking/RULE/{baseline,working}/…`, expectations in `# expect:`
/// comments of either side. A folder whose name is not a rule id is a case that must be clean.
struct BreakingFixture: CustomStringConvertible {
    var name: String
    var baseline: [SourceFile]
    var working: [SourceFile]
    var expectations: Set<RuleFixture.Expectation>
    var description: String { name }

    static var directory: URL { Bundle.module.resourceURL!.appendingPathComponent("Fixtures/breaking") }

    static func all() throws -> [BreakingFixture] {
        let manager = FileManager.default
        return try manager.contentsOfDirectory(atPath: directory.path).sorted().map { name in
            func files(_ side: String) throws -> [SourceFile] {
                let root = directory.appendingPathComponent("\(name)/\(side)")
                guard let walker = manager.enumerator(atPath: root.path) else { return [] }
                return try (walker.allObjects as? [String] ?? []).filter { $0.hasSuffix(".yaml") }.sorted().map {
                    SourceFile(path: "\(side)/\($0)", bytes: Array(try Data(contentsOf: root.appendingPathComponent($0))))
                }
            }
            let baseline = try files("baseline"), working = try files("working")
            return BreakingFixture(name: name, baseline: baseline, working: working,
                                   expectations: Set((baseline + working).flatMap(RuleFixture.expectations(in:))))
        }
    }
}

@Suite("Breaking fixtures")
struct BreakingFixtureTests {
    @Test("each baseline fixture reports exactly what it expects", arguments: try BreakingFixture.all())
    func fixtureReportsExpectedDiagnostics(_ fixture: BreakingFixture) {
        let report = BreakingPipeline(baselineName: "main").run(baseline: fixture.baseline, working: fixture.working)
        let found = Set(report.diagnostics.map {
            RuleFixture.Expectation(file: $0.location.file, rule: $0.rule.rawValue, line: $0.location.line,
                                    column: $0.location.column)
        })
        if RuleCatalog.description(of: RuleID(fixture.name)) != nil {
            #expect(fixture.expectations.contains { $0.rule == fixture.name }, "fixture \(fixture.name) expects its rule")
        }
        #expect(found == fixture.expectations, "\(report.diagnostics)")
    }
}
