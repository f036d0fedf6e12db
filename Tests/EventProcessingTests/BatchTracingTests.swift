import EventBroker
import EventProcessing
import EventTestKit
import EventTestSupport
import Foundation
import GeneratedContracts
import InMemoryTracing
import Synchronization
import Testing
import Tracing

@Suite("Batch handler tracing")
struct BatchTracingTests {
    @Test("a batch runs in one consumer span linked to each record's producer span, and is the handler's context")
    func batchSpanLinksEachRecord() async throws {
        let tracer = InMemoryTracer()
        let tracing = EventTracing(tracer: tracer)
        let broker = try InProcessBroker(.testing())
        try broker.createTopics(for: EventCatalog.contracts)
        let publisher = EventPublisher(sink: try await broker.makeProducer(ProducerConfig()), source: "/tests", tracing: tracing)
        // One product: its likes share a partition, so they arrive as one batch.
        for user in 0..<3 { try await publisher.publish(ProductLiked(productId: "p", userId: "u\(user)")) }
        let contexts = Mutex<[InMemorySpanContext?]>([])
        var configuration = EventProcessor.Configuration(groupId: "likes", pollTimeout: .milliseconds(10), sleep: { _ in }, jitterSeed: 1)
        configuration.tracing = tracing
        let processor = EventProcessor(transport: broker, configuration: configuration, handlers: [
            EventHandlerRegistration(ProductLiked.self, batch: { _ in
                let current = InstrumentationContext.current?.inMemorySpanContext
                contexts.withLock { $0.append(current) }
            }),
        ], inbox: InMemoryInbox())
        let task = Task { try await processor.run() }
        #expect(await eventually { processor.statistics.handled == 3 })
        processor.stop()
        try await task.value

        let spans = tracer.finishedSpans
        let sends = spans.filter { $0.kind == .producer }
        // Published before the processor started, the three arrive in its first poll: one batch.
        let process = try #require(spans.first { $0.kind == .consumer })
        #expect(sends.count == 3 && spans.filter { $0.kind == .consumer }.count == 1)
        #expect(Set(process.links.compactMap { $0.context.inMemorySpanContext?.spanID }) == Set(sends.map(\.spanID)))
        #expect(process.parentSpanID == nil, "a batch span starts its own trace and links to the producers")
        #expect(process.attributes["messaging.batch.message_count"]?.toSpanAttribute() == .int64(3))
        let processes = [process]
        #expect(contexts.withLock { $0 }.allSatisfy { context in processes.contains { $0.spanID == context?.spanID } })
    }
}
