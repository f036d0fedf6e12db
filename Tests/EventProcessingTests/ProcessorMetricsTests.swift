import EventBroker
@testable import EventProcessing
import EventTestSupport
import Foundation
import GeneratedContracts
import Metrics
import MetricsTestKit
import Testing

@Suite("Processor metrics")
struct ProcessorMetricsTests {
    @Test("handled, retried, dead-lettered and duplicates are counted per group and event; lag is published")
    func metricsAreRecorded() async throws {
        let metrics = TestMetrics()
        let broker = try InProcessBroker(.testing(metrics: metrics))
        try broker.createTopics(for: EventCatalog.contracts)
        var configuration = EventProcessor.Configuration(
            groupId: "m", pollTimeout: .milliseconds(10), sleep: { _ in }, metrics: metrics)
        configuration.lagInterval = .zero
        let processor = EventProcessor(
            transport: broker, configuration: configuration,
            handlers: [EventHandlerRegistration(OrderApproved.self) { event, context in
                if event.orderId == "bad" { throw TestFailure() }
                if event.orderId == "flaky", context.attempt == 1 { throw TestFailure() }
            }],
            inbox: InMemoryInbox())
        let task = Task { try await processor.run() }
        let publisher = EventPublisher(sink: try await broker.makeProducer(ProducerConfig()), source: "/tests")
        let id = UUID()
        try await publisher.publish(OrderApproved(orderId: "ok", approvedBy: "x"), id: id)
        try await publisher.publish(OrderApproved(orderId: "ok", approvedBy: "x"), id: id)
        try await publisher.publish(OrderApproved(orderId: "flaky", approvedBy: "x"))
        try await publisher.publish(OrderApproved(orderId: "bad", approvedBy: "x"))
        for _ in 0..<300 where processor.statistics.deadLettered < 1 || processor.statistics.handled < 2 {
            try await Task.sleep(for: .milliseconds(10))
        }
        try await Task.sleep(for: .milliseconds(30))
        processor.stop()
        try await task.value
        let dimensions = [("group", "m"), ("event", "OrderApproved")]
        #expect(try metrics.expectCounter("eventcontracts_processor_handled_total", dimensions).totalValue == 2)
        #expect(try metrics.expectCounter("eventcontracts_processor_duplicates_skipped_total", dimensions).totalValue == 1)
        #expect(try metrics.expectCounter("eventcontracts_processor_retried_total", dimensions).totalValue == 5)
        #expect(try metrics.expectCounter("eventcontracts_processor_dead_lettered_total", dimensions).totalValue == 1)
        #expect(try metrics.expectTimer("eventcontracts_processor_handler_duration", dimensions).values.count >= 2)
        #expect(!metrics.recorders.filter { $0.label == "eventcontracts_broker_consumer_lag" }.isEmpty)
    }

    @Test("handlers are timed when metrics have a backend, and not when they go to swift-metrics' no-op handler")
    func handlersAreTimedOnlyWithABackend() throws {
        let timed = ProcessorMetrics(factory: TestMetrics(), group: "m", eventType: "OrderApproved")
        #expect(timed.timesHandlers)
        #expect(timed.handlerStarts() > 0)
        let untimed = ProcessorMetrics(factory: NOOPMetricsHandler.instance, group: "m", eventType: "OrderApproved")
        #expect(!untimed.timesHandlers)
        #expect(untimed.handlerStarts() == 0)
    }
}
