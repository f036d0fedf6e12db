import EventRuntime
import Foundation
import GeneratedContracts

/// A check every inbox store passes the same way: a processor given one event twice (the same id,
/// as a redelivery after a lost commit would be) runs its handler once. The stores' tests pass
/// their inbox and the handler's write; the broker, processor and publishing are the same.
public enum InboxRedelivery {
    /// Publishes one `PaymentCompleted` twice with one id to a processor using `inbox`, whose
    /// handler calls `recordEffect`, and returns the processor's statistics once the second copy
    /// has been skipped (or after 3 s).
    public static func deliverTwice(
        inbox: any InboxStore, recordEffect: @escaping @Sendable (PaymentCompleted) async throws -> Void
    ) async throws -> ProcessorStatistics {
        let broker = try InProcessBroker(.init(clock: ManualClock()))
        try broker.createTopics(for: EventCatalog.contracts)
        let processor = EventProcessor(
            transport: broker, configuration: .init(groupId: "shipping", pollTimeout: .milliseconds(10)),
            handlers: [EventHandlerRegistration(PaymentCompleted.self) { event, _ in try await recordEffect(event) }],
            inbox: inbox)
        let task = Task { try await processor.run() }
        let publisher = EventPublisher(sink: try await broker.makeProducer(ProducerConfig()), source: "/tests")
        let payment = PaymentCompleted(
            orderId: "o-1", paymentId: UUID(), total: .init(amount: "5"), capturedAt: Timestamp(secondsSince1970: 0))
        let id = UUID()
        try await publisher.publish(payment, id: id)
        try await publisher.publish(payment, id: id)
        for _ in 0..<300 where processor.statistics.duplicatesSkipped < 1 { try await Task.sleep(for: .milliseconds(10)) }
        processor.stop()
        try await task.value
        return processor.statistics
    }
}
