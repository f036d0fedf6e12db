import EventBroker
import EventProcessing
import EventTestKit
import EventTestSupport
import Foundation
import GeneratedContracts
import MetricsTestKit
import Testing

@Suite("Processor health")
struct ProcessorHealthTests {
    struct WrongSetup: MisconfigurationError {}

    static func processor(
        _ broker: InProcessBroker, group: String = "health", metrics: TestMetrics, handler: @escaping @Sendable (OrderApproved) throws -> Void = { _ in }
    ) -> EventProcessor {
        var configuration = EventProcessor.Configuration(groupId: group, pollTimeout: .milliseconds(10), sleep: { _ in }, metrics: metrics)
        configuration.lagInterval = .zero
        return EventProcessor(
            transport: broker, configuration: configuration,
            handlers: [EventHandlerRegistration(OrderApproved.self) { event, _ in try handler(event) }], inbox: InMemoryInbox())
    }

    static func gauge(_ metrics: TestMetrics, _ label: String, group: String = "health") throws -> Double? {
        try metrics.expectGauge(label, [("group", group)]).lastValue
    }

    @Test("starting, then ready holding every partition with its lag and last poll, then stopped; the gauges follow")
    func lifecycle() async throws {
        let metrics = TestMetrics()
        let broker = try InProcessBroker(.testing())
        try broker.createTopics(for: EventCatalog.contracts)
        let processor = Self.processor(broker, metrics: metrics)
        #expect(processor.health.state == .starting && !processor.health.isReady)
        let task = Task { try await processor.run() }
        #expect(await eventually { processor.health.isReady })
        let partitions = try #require(EventCatalog.contracts.first { $0.eventType == "OrderApproved" }?.partitions)
        #expect(processor.health.partitions.count == partitions)
        #expect(Set(processor.health.partitions.map(\.topic)) == [OrderApproved.topic])
        let publisher = EventPublisher(sink: try await broker.makeProducer(ProducerConfig()), source: "/tests")
        for index in 0..<20 { try await publisher.publish(OrderApproved(orderId: "o\(index)", approvedBy: "x")) }
        #expect(await eventually { processor.statistics.handled == 20 && processor.health.lag == 0 })
        let health = processor.health
        let now = SystemClock().milliseconds()
        #expect(health.lastPollMilliseconds.map { now - $0 < 5_000 } == true)
        #expect(health.isLive(now: now))
        #expect(!health.isLive(now: now + 301_000), "a member that has not polled for longer than max.poll.interval is not live")
        #expect(try Self.gauge(metrics, "eventcontracts_processor_ready") == 1)
        #expect(try Self.gauge(metrics, "eventcontracts_processor_up") == 1)
        #expect(try Self.gauge(metrics, "eventcontracts_processor_partitions_held") == Double(partitions))
        #expect(try Self.gauge(metrics, "eventcontracts_processor_lag") == 0)
        #expect(try Self.gauge(metrics, "eventcontracts_processor_last_poll_seconds").map { $0 > 1_700_000_000 } == true)
        processor.stop()
        try await task.value
        #expect(processor.health.state == .stopped && !processor.health.isReady && processor.health.partitions.isEmpty)
        #expect(try Self.gauge(metrics, "eventcontracts_processor_ready") == 0)
        #expect(try Self.gauge(metrics, "eventcontracts_processor_partitions_held") == 0)
    }

    @Test("a second member takes half the partitions; when it leaves, the first holds them all again")
    func rebalance() async throws {
        let metrics = TestMetrics()
        let broker = try InProcessBroker(.testing())
        try broker.createTopics(for: EventCatalog.contracts)
        let first = Self.processor(broker, metrics: metrics), second = Self.processor(broker, metrics: TestMetrics())
        let firstTask = Task { try await first.run() }
        #expect(await eventually { first.health.isReady })
        let all = first.health.partitions
        let secondTask = Task { try await second.run() }
        #expect(await eventually {
            second.health.isReady && !second.health.partitions.isEmpty
                && Set(first.health.partitions).union(second.health.partitions) == Set(all)
                && Set(first.health.partitions).isDisjoint(with: second.health.partitions)
        })
        second.stop()
        try await secondTask.value
        #expect(await eventually { first.health.partitions == all })
        first.stop()
        try await firstTask.value
    }

    @Test("a processor that fails is not live, says why, and its up gauge drops to 0")
    func failure() async throws {
        let metrics = TestMetrics()
        let broker = try InProcessBroker(.testing())
        try broker.createTopics(for: EventCatalog.contracts)
        let processor = Self.processor(broker, metrics: metrics) { _ in throw WrongSetup() }
        let task = Task { try await processor.run() }
        let publisher = EventPublisher(sink: try await broker.makeProducer(ProducerConfig()), source: "/tests")
        try await publisher.publish(OrderApproved(orderId: "o", approvedBy: "x"))
        await #expect(throws: EventProcessorError.self) { try await task.value }
        let health = processor.health
        #expect(health.state == .failed && !health.isReady && !health.isLive(now: SystemClock().milliseconds()))
        #expect(health.failure?.contains("the setup is wrong") == true)
        #expect(try Self.gauge(metrics, "eventcontracts_processor_up") == 0)
    }
}
