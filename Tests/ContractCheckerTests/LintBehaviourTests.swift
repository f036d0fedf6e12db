import ContractChecker
import ContractModel
import ContractParser
import Foundation
import Testing
import ToolTestSupport

/// Rule behaviour beyond the one-fixture-per-rule files: what must *not* be reported, and the
/// finer points of scopes and keys.
@Suite("Lint behaviour")
struct LintBehaviourTests {
    private func check(_ files: [(String, String)]) -> [Diagnostic] {
        CheckPipeline().run(files.map { SourceFile(path: $0.0, bytes: Array($0.1.utf8)) }).diagnostics
    }

    private func contract(_ body: String, head: String = "event: Sample\nowner: team\nsummary: s.\ntopic: samples\nkey: id\n")
        -> [Diagnostic]
    {
        check([("samples/Sample.yaml", head + body)])
    }

    @Test("the example contracts under Contracts/ are lint-clean, warnings included")
    func exampleContractsAreClean() throws {
        let root = repositoryRoot.appendingPathComponent("Contracts").path
        let files = try ContractSources.files(in: [root])
        #expect(files.count >= 7)
        let report = CheckPipeline().run(try files.map { SourceFile(path: $0, bytes: try ContractSources.read($0)) })
        #expect(report.diagnostics.isEmpty, "\(report.diagnostics)")
        #expect(report.contracts.count == files.count)
        let orders = report.contracts.filter { $0.topic?.value == "orders" }.compactMap(\.event?.value).sorted()
        #expect(orders == ["OrderApproved", "OrderCancelled", "OrderCreated"])
        #expect(report.contracts.first { $0.event?.value == "PaymentCompleted" }.map { $0.versions.count >= 2 } == true)
    }

    @Test("the retry and partition limits are stated from the ranges the runtime enforces")
    func limitsAreStatedFromTheRuntimesRanges() {
        let multiplier = contract("delivery:\n  retry: { multiplier: 12 }\nversions:\n  - version: 1\n    fields: { id: string }\n")
        #expect(multiplier.map(\.message) == ["retry multiplier must be between 1 and 10, found 12"])
        let partitions = contract("partitions: 10001\nversions:\n  - version: 1\n    fields: { id: string }\n")
        #expect(partitions.map(\.message) == ["partitions must be between 1 and 10000, found 10001"])
    }

    @Test("recursion through an optional or a collection is fine; mutual recursion without one is not")
    func recursionBreaks() {
        let fine = contract("""
            types:
              Node: { kind: record, fields: { next: Node?, children: array<Node>, byName: map<Node> } }
            versions: [{ version: 1, fields: { id: string, tree: Node } }]
            """)
        #expect(fine.isEmpty, "\(fine)")
        let mutual = contract("""
            types:
              A: { kind: record, fields: { b: B } }
              B: { kind: record, fields: { a: A } }
            versions: [{ version: 1, fields: { id: string, a: A } }]
            """)
        #expect(mutual.map(\.rule) == [.recursiveType, .recursiveType])
        #expect(mutual.first?.message.contains("A → B") == true)
    }

    @Test("a version's own type shadows the shared one only in that version")
    func versionTypesShadow() {
        let diagnostics = contract("""
            types:
              Tier: { kind: enum, symbols: [gold] }
            versions:
              - version: 1
                fields: { id: string, tier: { type: Tier, default: gold } }
              - version: 2
                types:
                  Tier: { kind: enum, symbols: [gold, platinum] }
                fields: { id: string, tier: { type: Tier, default: platinum } }
            """)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
    }

    @Test("a problem in a shared type is reported once, not once per version")
    func sharedProblemsReportedOnce() {
        let diagnostics = contract("""
            types:
              Money: { kind: record, fields: { amount: Decimal } }
            versions:
              - { version: 1, fields: { id: string, total: Money } }
              - { version: 2, fields: { id: string, total: Money } }
              - { version: 3, fields: { id: string, total: Money } }
            """)
        #expect(diagnostics.map(\.rule) == [.unknownType])
        #expect(diagnostics.first?.hint?.hasPrefix("did you mean 'decimal'?") == true)
    }

    @Test("an unknown type's hint names the built-in other languages call by another name, and lists the built-ins", arguments: [
        ("integer", "int"), ("datetime", "timestamp"), ("boolean", "bool"), ("guid", "uuid"), ("int64", "long"), ("Mony", "Money"),
    ])
    func unknownTypeHints(written: String, meant: String) {
        let diagnostics = contract("""
            types:
              Money: { kind: record, fields: { amount: decimal } }
            versions:
              - { version: 1, fields: { id: string, x: \(written) } }
            """)
        let hint = diagnostics.first { $0.rule == .unknownType }?.hint ?? ""
        #expect(hint.hasPrefix("did you mean '\(meant)'?"), "\(hint)")
        #expect(hint.contains("built-in types: bool, int, long, float, double, string, bytes, decimal, uuid, timestamp, date"))
        #expect(hint.contains("declared here: Money"))
    }

    @Test("a key may be an enum, an int, a long or a uuid; not a float, bytes or record", arguments: [
        ("string", true), ("int", true), ("long", true), ("uuid", true), ("Region", true),
        ("double", false), ("bytes", false), ("bool", false), ("Money", false), ("array<string>", false),
    ])
    func keyTypes(type: String, allowed: Bool) {
        let diagnostics = contract("""
            types:
              Region: { kind: enum, symbols: [kr, jp] }
              Money: { kind: record, fields: { amount: decimal } }
            versions: [{ version: 1, fields: { id: "\(type)" } }]
            """)
        #expect(diagnostics.map(\.rule) == (allowed ? [] : [.keyFieldType]), "\(diagnostics)")
    }

    @Test("the envelope names are reserved in events, not in nested records")
    func envelopeNamesOnlyAtTopLevel() {
        let diagnostics = contract("""
            types:
              Ref: { kind: record, fields: { key: string, version: int } }
            versions: [{ version: 1, fields: { id: string, ref: Ref } }]
            """)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
    }

    @Test("events that share a topic and agree on everything are fine")
    func agreeingTopicSharersAreFine() {
        let a = "event: A\nowner: o\nsummary: s.\ntopic: orders\nkey: orderId\npartitions: 3\nversions: [{ version: 1, fields: { orderId: string } }]\n"
        let b = "event: B\nowner: o\nsummary: s.\ntopic: orders\nkey: orderRef\npartitions: 3\nversions: [{ version: 1, fields: { orderRef: string } }]\n"
        let c = "event: C\nowner: o\nsummary: s.\ntopic: orders\nkey: orderId\nretention: 1d\npartitions: 3\nversions: [{ version: 1, fields: { orderId: string } }]\n"
        #expect(check([("o/a.yaml", a), ("o/b.yaml", b)]).isEmpty)
        let conflict = check([("o/a.yaml", a), ("o/c.yaml", c)])
        #expect(conflict.map(\.rule) == [.topicConflict])
        #expect(conflict.first?.location.file == "o/c.yaml")
    }

    @Test("name hints suggest the conventional spelling")
    func nameHints() {
        let diagnostics = contract(
            "versions: [{ version: 1, fields: { id: string, order_total: long } }]\n",
            head: "event: order_created\nowner: team\nsummary: s.\ntopic: samples\nkey: id\n")
        #expect(diagnostics.map(\.hint) == ["did you mean 'OrderCreated'?", "did you mean 'orderTotal'?"])
    }

    @Test("every problem in every file is reported in one run, in a stable order")
    func everythingInOneRunDeterministically() {
        let files = [
            ("b/B.yaml", "event: b\nowner: o\ntopic: 'bad topic'\nkey: id\nversions: [{ version: 2, fields: { id: string } }]\n"),
            ("a/A.yaml", "event: A\nowner: o\nsummary: s.\ntopic: t\nkey: id\nversions: [{ version: 1, fields: { id: Strin } }]\n"),
        ]
        let first = check(files)
        #expect(first.map(\.rule) == [.unknownType, .invalidEventName, .missingSummary, .invalidTopic, .versionSequence])
        #expect(first == check(files.reversed()))
    }
}

@Suite("Parallel parsing")
struct ParallelParsingTests {
    @Test("parsing on every core returns what parsing one by one does, in the files' order")
    func matchesSerialParsing() {
        let files = (0..<200).map { index in
            let text = index % 7 == 0 ? "event: [broken \(index)\n"
                : "event: E\(index)\nowner: o\ntopic: t\(index)\nkey: id\nversions: [{ version: 1, fields: { id: string } }]\n"
            return SourceFile(path: "p/E\(index).yaml", bytes: Array(text.utf8))
        }
        let parallel = ParallelParsing.parse(files)
        let serial = files.map { ContractFileParser.parse($0.bytes, file: $0.path) }
        #expect(parallel.map(\.contract) == serial.map(\.contract))
        #expect(parallel.map(\.diagnostics) == serial.map(\.diagnostics))
        #expect(parallel[1].contract?.event?.value == "E1")
    }
}
