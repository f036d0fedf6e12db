import EventBroker
import EventProcessing
import EventTestSupport
import GeneratedContracts
import Logging
import ServiceLifecycle
import ServiceLifecycleTestKit
import Testing

@Suite("Processor as a service")
struct ProcessorServiceTests {
    @Test("a graceful shutdown finishes the work in hand, commits it and leaves the group")
    func gracefulShutdownCommitsAndLeaves() async throws {
        let broker = try InProcessBroker(.testing())
        try broker.createTopics(for: EventCatalog.contracts)
        let processor = EventProcessor(
            transport: broker, configuration: .init(groupId: "svc", pollTimeout: .milliseconds(10)),
            handlers: [EventHandlerRegistration(OrderApproved.self) { _, _ in }], inbox: InMemoryInbox())
        let publisher = EventPublisher(sink: try await broker.makeProducer(ProducerConfig()), source: "/tests")
        for index in 0..<50 { try await publisher.publish(OrderApproved(orderId: "o\(index)", approvedBy: "x")) }
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        try await testGracefulShutdown { trigger in
            let group = ServiceGroup(services: [processor], logger: logger)
            async let running: Void = group.run()
            for _ in 0..<300 where processor.statistics.handled < 50 { try await Task.sleep(for: .milliseconds(10)) }
            trigger.triggerGracefulShutdown()
            try await running
        }
        #expect(processor.statistics.handled == 50)
        #expect(broker.groupLag(group: "svc", topics: [OrderApproved.topic]).values.reduce(0, +) == 0)
        #expect(broker.groupAssignment(group: "svc").isEmpty)
    }
}
