import ContractChecker
import ContractModel
import Foundation
import Testing

/// `eventc breaking` names the declared consumers each finding affects.
@Suite("Consumer impact")
struct ConsumerImpactTests {
    static func contract(topic: String = "orders", consumers: String, versions: String) -> String {
        """
        event: OrderPlaced
        owner: order-team
        summary: An order was placed.
        topic: \(topic)
        key: orderId
        compatibility: BACKWARD
        producers: [order-service]
        consumers:
        \(consumers)
        versions:
        \(versions)
        """
    }

    static let versionOne = """
          - version: 1
            fields: { orderId: string, total: int, note: string }
        """
    /// Version 2 adds `channel` without a default: BACKWARD's reader of v2 cannot read v1 data.
    static let versionTwo = versionOne + """

          - version: 2
            fields: { orderId: string, total: int, note: string, channel: string }
        """

    static func run(baseline: String, working: String) -> [Diagnostic] {
        BreakingPipeline(baselineName: "main").run(
            baseline: [SourceFile(path: "base/OrderPlaced.yaml", bytes: Array(baseline.utf8))],
            working: [SourceFile(path: "work/OrderPlaced.yaml", bytes: Array(working.utf8))]
        ).diagnostics
    }

    static let mixedConsumers = """
          - { service: billing, reads: [orderId, total] }
          - { service: shipping, reads: [orderId, channel] }
          - analytics
        """

    @Test("a field finding affects the consumers that read the field and those that did not say what they read")
    func fieldFinding() throws {
        let diagnostics = Self.run(
            baseline: Self.contract(consumers: Self.mixedConsumers, versions: Self.versionOne),
            working: Self.contract(consumers: Self.mixedConsumers, versions: Self.versionTwo))
        let finding = try #require(diagnostics.first { $0.rule == .compatMissingDefault })
        #expect(finding.consumers == ConsumerImpact(affected: ["shipping", "analytics"], unaffected: ["billing"], field: "channel"))
        let text = DiagnosticFormatter.text([finding], sources: [:], fileCount: 1)
        #expect(text.contains("    affects consumers: shipping, analytics (billing does not read 'channel')\n"))
        let github = DiagnosticFormatter.github([finding], fileCount: 1)
        #expect(github.contains("%0Aaffects consumers: shipping, analytics (billing does not read 'channel')"))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(DiagnosticFormatter.json([finding]).utf8)) as? [[String: Any]])
        let consumers = try #require(json[0]["consumers"] as? [String: Any])
        #expect(consumers["affected"] as? [String] == ["shipping", "analytics"])
        #expect(consumers["unaffected"] as? [String] == ["billing"])
        #expect(consumers["field"] as? String == "channel")
    }

    @Test("a change to a field no consumer reads says so, when every consumer lists its fields")
    func untouchedField() throws {
        let readers = """
              - { service: billing, reads: [orderId, total] }
              - { service: audit, reads: [orderId] }
            """
        let diagnostics = Self.run(
            baseline: Self.contract(consumers: readers, versions: Self.versionOne),
            working: Self.contract(consumers: readers, versions: Self.versionTwo))
        let finding = try #require(diagnostics.first { $0.rule == .compatMissingDefault })
        #expect(finding.consumers?.affected == [])
        #expect(finding.consumers?.summary == "affects no declared consumer: billing, audit do not read 'channel'")
    }

    @Test("a finding about the whole event affects every consumer")
    func eventWideFinding() throws {
        let diagnostics = Self.run(
            baseline: Self.contract(consumers: Self.mixedConsumers, versions: Self.versionOne),
            working: Self.contract(topic: "orders.v2", consumers: Self.mixedConsumers, versions: Self.versionOne))
        let finding = try #require(diagnostics.first { $0.rule == .topicChanged })
        #expect(finding.consumers == ConsumerImpact(affected: ["billing", "shipping", "analytics"], unaffected: [], field: nil))
        #expect(finding.consumers?.summary == "affects consumers: billing, shipping, analytics")
    }

    @Test("a contract without declared consumers gets no consumer line, and check never adds one")
    func noConsumersDeclared() throws {
        let plain = Self.contract(consumers: "  []", versions: Self.versionOne).replacingOccurrences(of: "consumers:\n  []\n", with: "")
        let changed = plain.replacingOccurrences(of: "topic: orders", with: "topic: orders.v2")
        let diagnostics = Self.run(baseline: plain, working: changed)
        #expect(diagnostics.contains { $0.rule == .topicChanged })
        #expect(diagnostics.allSatisfy { $0.consumers == nil })
        let checked = CheckPipeline().run([SourceFile(path: "a.yaml", bytes: Array(Self.contract(consumers: Self.mixedConsumers, versions: Self.versionTwo).utf8))])
        #expect(checked.diagnostics.contains { $0.rule == .compatMissingDefault })
        #expect(checked.diagnostics.allSatisfy { $0.consumers == nil })
    }

    @Test("one unaffected consumer reads in the singular")
    func singular() {
        #expect(ConsumerImpact(affected: [], unaffected: ["a"], field: "total").summary == "affects no declared consumer: a does not read 'total'")
    }
}
