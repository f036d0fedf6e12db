import ContractChecker
import ContractModel
import ContractParser
import Foundation
import Testing
import ToolTestSupport

@Suite("Rule fixtures")
struct RuleFixtureTests {
    @Test("each fixture reports exactly the rule ids and locations it expects", arguments: try RuleFixture.all())
    func fixtureReportsExpectedDiagnostics(_ fixture: RuleFixture) {
        let report = CheckPipeline().run(fixture.files)
        let found = Set(report.diagnostics.map {
            RuleFixture.Expectation(file: $0.location.file, rule: $0.rule.rawValue, line: $0.location.line,
                                    column: $0.location.column)
        })
        #expect(!fixture.expectations.isEmpty, "fixture \(fixture.name) expects nothing")
        #expect(fixture.expectations.contains { $0.rule == fixture.name }, "a fixture expects its own rule")
        #expect(found == fixture.expectations, """
            missing: \(fixture.expectations.subtracting(found).sorted { $0.description < $1.description })
            unexpected: \(report.diagnostics.filter { d in !fixture.expectations.contains {
                $0.rule == d.rule.rawValue && $0.line == d.location.line && $0.column == d.location.column } })
            """)
    }

    /// Rules whose input cannot sensibly live in a fixture file, each with a test of its own.
    static let testedInCode: Set<RuleID> = [.yamlFileTooLarge]

    @Test("every rule in the catalog has a fixture")
    func everyRuleHasAFixture() throws {
        let names = Set(try RuleFixture.all().map(\.name) + BreakingFixture.all().map(\.name))
        for rule in RuleCatalog.all where !Self.testedInCode.contains(rule.id) {
            #expect(names.contains(rule.id.rawValue), "no fixture for \(rule.id)")
        }
    }

    @Test("every id a lint rule can report is in the catalog")
    func lintIdsAreCatalogued() {
        let catalogued = Set(RuleCatalog.all.map(\.id))
        for id in Linter().ids {
            #expect(catalogued.contains(id), "\(id) is reported but not catalogued")
        }
    }

    @Test("catalogued severities match what the rules report")
    func severitiesMatchCatalog() throws {
        for fixture in try RuleFixture.all() {
            let report = CheckPipeline().run(fixture.files)
            // A version that declares `breaking:` lowers its compatibility errors to warnings.
            for diagnostic in report.diagnostics where !(diagnostic.compatibility != nil && diagnostic.severity == .warning) {
                #expect(RuleCatalog.description(of: diagnostic.rule)?.severity == diagnostic.severity,
                        "\(diagnostic.rule) in \(fixture.name)")
            }
        }
    }
}

@Suite("Documentation")
struct DocumentationTests {
    static let rulesArticle = "Sources/eventc/eventc.docc/Rules.md"

    /// Where the Rules article's generated part begins: everything after this line is written
    /// from `RuleCatalog.all`, so the article, `eventc explain` and the checker share one text.
    static let generatedMarker = "<!-- Written from RuleCatalog by DocumentationTests: EVENTC_UPDATE_RULES_ARTICLE=1 swift test --filter DocumentationTests -->"

    @Test("the Rules article shows every catalogued rule, its severity, text and example, as the catalog says")
    func rulesArticleIsTheCatalog() throws {
        let url = repositoryRoot.appendingPathComponent(Self.rulesArticle)
        let article = try Documentation.file(Self.rulesArticle).text
        guard let marker = article.range(of: Self.generatedMarker + "\n") else {
            Issue.record("\(Self.rulesArticle) lacks the marker line \(Self.generatedMarker)")
            return
        }
        let expected = String(article[..<marker.upperBound]) + Self.renderRules(RuleCatalog.all)
        if ProcessInfo.processInfo.environment["EVENTC_UPDATE_RULES_ARTICLE"] == "1" {
            try expected.write(to: url, atomically: true, encoding: .utf8)
        }
        #expect(article == expected, "the Rules article differs from RuleCatalog: EVENTC_UPDATE_RULES_ARTICLE=1 swift test --filter DocumentationTests")
        for rule in RuleCatalog.all {
            #expect(article.contains("\n### \(rule.id)\n"), "\(Self.rulesArticle) has no section for \(rule.id)")
        }
    }

    /// The index table, then a section per rule (its anchor is its id) with the rule's text and
    /// example. A bad example's block starts with a comment naming the rule, so the check of the
    /// documentation's whole contracts knows it for a deliberate error.
    static func renderRules(_ rules: [RuleDescription]) -> String {
        var out = "\n| id | severity |\n|---|---|\n"
        for rule in rules { out += "| <doc:Rules#\(rule.id)> | \(rule.severity.rawValue) |\n" }
        for rule in rules {
            out += "\n### \(rule.id)\n\n"
            out += "\(rule.severity == .error ? "Error" : "Warning"). \(rule.summary)\n"
            guard let example = rule.example else { continue }
            out += "\n```yaml\n# reported as \(rule.id)\n\(example.bad)\n```\n"
            out += "\n```yaml\n# fixed\n\(example.fixed)\n```\n"
        }
        return out
    }

    /// A whole contract in the documentation (a ```yaml block whose first line that is not a
    /// comment starts with `event:`) is what a reader copies first: it must check without an
    /// error, as it is printed. The Rules article's examples are fragments, checked against the
    /// rules' fixtures instead (`RuleExampleTests`); their blocks start `# reported as` or `# fixed`.
    @Test("every whole contract the documentation shows passes eventc check")
    func documentedContractsCheck() throws {
        var checked = 0
        for file in try Documentation.files() {
            for block in Documentation.codeBlocks(file.text, languages: ["yaml"]) where Self.isWholeContract(block.lines) {
                let text = block.lines.joined(separator: "\n") + "\n"
                // Its namespace, unless it names one, is its folder's: "documentation".
                let report = CheckPipeline().run([SourceFile(path: "documentation/excerpt.yaml", bytes: Array(text.utf8))])
                let errors = report.diagnostics.filter { $0.severity == .error }
                #expect(errors.isEmpty, "the contract at \(file.path):\(block.firstLine) does not check: \(errors)")
                checked += 1
            }
        }
        #expect(checked >= 3, "the documentation's contracts were not found")
    }

    /// The tutorials' contracts are the repository's own (`tutorial-OrderApproved.yaml` is
    /// `Contracts/…/OrderApproved.yaml`), so the tutorials' Swift, compiled against the code
    /// generated from `Contracts/`, is the code a reader's contracts give.
    @Test("each contract a tutorial shows is the repository's contract of that name")
    func tutorialContractsAreTheRepositorys() throws {
        let contracts = try FileManager.default.subpathsOfDirectory(atPath: repositoryRoot.appendingPathComponent("Contracts").path)
        let tutorialContracts = try Documentation.tutorialFiles().filter { $0.path.hasSuffix(".yaml") }
        #expect(tutorialContracts.count >= 2, "the tutorials' contracts were not found")
        for tutorial in tutorialContracts {
            let name = String(URL(fileURLWithPath: tutorial.path).lastPathComponent.dropFirst("tutorial-".count))
            let original = try #require(contracts.first { $0.hasSuffix("/" + name) }, "no contract \(name) in Contracts/")
            #expect(tutorial.text == (try Documentation.file("Contracts/" + original).text), "\(tutorial.path) differs from Contracts/\(original)")
        }
    }

    /// Every YAML excerpt (a fragment of a contract, a CI step, a config file) is YAML that
    /// `eventc`'s own reader reads, unless it is a Rules example of a deliberate error.
    @Test("every YAML excerpt in the documentation reads as YAML, but the Rules article's deliberate errors")
    func yamlExcerptsParse() throws {
        var read = 0
        for file in try Documentation.files() {
            for block in Documentation.codeBlocks(file.text, languages: ["yaml"]) where block.lines.first?.hasPrefix("# reported as") != true {
                let result = YAMLReader.read(Array((block.lines.joined(separator: "\n") + "\n").utf8), file: "\(file.path):\(block.firstLine)")
                #expect(result.diagnostics.isEmpty, "\(file.path):\(block.firstLine) is not YAML: \(result.diagnostics)")
                read += 1
            }
        }
        #expect(read >= 20, "the documentation's YAML excerpts were not found")
    }

    static func isWholeContract(_ lines: [String]) -> Bool {
        if let first = lines.first, first.hasPrefix("# reported as") || first == "# fixed" { return false }
        return lines.first { !$0.hasPrefix("#") }?.hasPrefix("event:") == true
    }
}
