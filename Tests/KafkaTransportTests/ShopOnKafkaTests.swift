#if Kafka
import EventTestSupport
import Foundation
import Testing
import ToolTestSupport

@Suite("The shop example on Kafka")
struct ShopOnKafkaTests {
    /// The demo built beside this test binary (the test target depends on it).
    private var shopDemo: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("shop-demo")
    }

    @Test("the shop's processors run unchanged on Kafka, with chaos, and verify their final state", arguments: KafkaBrokerKind.allCases)
    func shopDemoOnKafka(broker: KafkaBrokerKind) async throws {
        let seed = UInt64.random(in: 1...UInt64.max)
        print("shop-demo on \(broker), seed \(seed)")
        // The mock cluster lives in the demo's process; the broker process in this test's.
        let kafka: KafkaBrokerProcess? = broker == .brokerProcess ? try await KafkaBrokerProcess() : nil
        let location = kafka.map { ["--kafka", $0.bootstrapServers] } ?? ["--kafka-mock"]
        // Waited for off the cooperative pool: the demo runs for tens of seconds.
        let demo = try await ExternalTool.outcome(
            of: shopDemo.path, location + ["--chaos", "--orders", "300", "--users", "60", "--seed", String(seed)])
        let text = String(decoding: demo.output, as: UTF8.self)
        #expect(demo.status == 0, "shop-demo failed (seed \(seed)):\n\(text)\n\(demo.errors)")
        #expect(text.contains("verified: every order paid once and shipped once, like counts exact, the DLQ holds exactly the poison message and the order that breaks its contract"))
    }
}
#endif
