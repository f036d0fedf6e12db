import EventBroker
import EventTestKit
import EventTestSupport
import MetricsTestKit
import Testing

@Suite("Broker metrics")
struct BrokerObservabilityTests {
    @Test("produced and consumed records are counted per topic (and group), lag is published per partition")
    func metricsFollowTraffic() async throws {
        let metrics = TestMetrics()
        let broker = try InProcessBroker(.testing(clock: ManualClock(), metrics: metrics))
        try await broker.createTopic("t", config: TopicConfig(partitions: 2))
        let producer = try await broker.makeProducer(ProducerConfig())
        _ = try await producer.send((0..<7).map { record("t", key: nil, "\($0)", partition: $0 % 2) })
        #expect(try metrics.expectCounter("eventcontracts_broker_produced_records_total", [("topic", "t")]).totalValue == 7)

        let consumer = try await broker.makeConsumer(ConsumerConfig(groupId: "g", offsetReset: .earliest))
        try await consumer.subscribe(["t"])
        _ = try await consumer.poll(max: 5, timeout: .seconds(1))
        #expect(try metrics.expectCounter("eventcontracts_broker_consumed_records_total", [("group", "g"), ("topic", "t")]).totalValue == 5)
        let lag = try await consumer.lag()
        #expect(lag.values.reduce(0, +) == 2)
        for (partition, value) in lag {
            let gauge = try metrics.expectGauge(
                "eventcontracts_broker_consumer_lag", [("group", "g"), ("topic", "t"), ("partition", String(partition.partition))])
            #expect(gauge.lastValue == Double(value))
        }
    }
}
