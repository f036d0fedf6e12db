import EventBroker
import EventCore
import EventProcessing
import EventTransport
import Foundation

extension StoreConformance {
    /// A check every inbox passes the same way: a processor given one event twice (the same id,
    /// as a redelivery after a lost commit would be) runs its handler once. Publishes one
    /// `ConformanceOrder` twice with one id to a processor using `inbox`, whose handler calls
    /// `recordEffect`, and returns the processor's statistics once the second copy has been
    /// skipped (or after 3 s): expect `handled == 1` and `duplicatesSkipped == 1`, and one effect.
    public static func deliverTwice(
        inbox: any InboxStore, recordEffect: @escaping @Sendable (ConformanceOrder) async throws -> Void
    ) async throws -> ProcessorStatistics {
        let broker = try InProcessBroker(.init(clock: ManualClock()))
        try broker.createTopics(for: [ContractDescriptor(ConformanceOrder.self)])
        let processor = EventProcessor(
            transport: broker, configuration: .init(groupId: "conformance", pollTimeout: .milliseconds(10)),
            handlers: [EventHandlerRegistration(ConformanceOrder.self) { event, _ in try await recordEffect(event) }],
            inbox: inbox)
        let task = Task { try await processor.run() }
        let publisher = EventPublisher(sink: try await broker.makeProducer(ProducerConfig()), source: "/conformance")
        let order = ConformanceOrder(orderId: "o-1", number: "1")
        let id = UUID()
        try await publisher.publish(order, id: id)
        try await publisher.publish(order, id: id)
        for _ in 0..<300 where processor.statistics.duplicatesSkipped < 1 { try await Task.sleep(for: .milliseconds(10)) }
        processor.stop()
        try await task.value
        return processor.statistics
    }
}
