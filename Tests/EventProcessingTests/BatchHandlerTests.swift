import EventBroker
import EventProcessing
import EventTestSupport
import Foundation
import GeneratedContracts
import Synchronization
import Testing

@Suite("Batch handlers")
struct BatchHandlerTests {
    private func broker() throws -> InProcessBroker {
        let broker = try InProcessBroker(.testing())
        try broker.createTopics(for: EventCatalog.contracts)
        return broker
    }

    @Test("likes and unlikes arrive in batches per partition, deduplicated in the batch and across batches; counts are exact")
    func likesAreCountedExactly() async throws {
        let broker = try broker()
        let counts = Mutex<[String: Int]>([:])
        let batchSizes = Mutex<[Int]>([])
        let processor = EventProcessor(
            transport: broker, configuration: .init(groupId: "likes", maxPollRecords: 1_000, pollTimeout: .milliseconds(10)),
            handlers: [
                EventHandlerRegistration(ProductLiked.self, batch: { likes in
                    batchSizes.withLock { $0.append(likes.count) }
                    counts.withLock { counts in for like in likes { counts[like.event.productId, default: 0] += 1 } }
                }),
                EventHandlerRegistration(ProductUnliked.self, batch: { unlikes in
                    counts.withLock { counts in for unlike in unlikes { counts[unlike.event.productId, default: 0] -= 1 } }
                }),
            ],
            inbox: InMemoryInbox())
        let producer = try await broker.makeProducer(ProducerConfig())
        let publisher = EventPublisher(sink: producer, source: "/likes")
        var expected: [String: Int] = [:]
        var records: [OutgoingRecord] = []
        for user in 0..<40 {
            for product in 0..<5 {
                let like = try publisher.record(for: ProductLiked(productId: "p\(product)", userId: "u\(user)"))
                records.append(like)
                expected["p\(product)", default: 0] += 1
                if user % 10 == 0 { records.append(like) }  // redelivered: the same id twice
                if user % 4 == 0 {
                    records.append(try publisher.record(for: ProductUnliked(productId: "p\(product)", userId: "u\(user)")))
                    expected["p\(product)", default: 0] -= 1
                }
            }
        }
        _ = try await producer.send(records)
        let task = Task { try await processor.run() }
        for _ in 0..<300 where processor.statistics.handled < 250 { try await Task.sleep(for: .milliseconds(10)) }
        processor.stop()
        try await task.value
        #expect(counts.withLock { $0 } == expected)
        #expect(processor.statistics.duplicatesSkipped == 20)
        #expect(batchSizes.withLock { $0 }.contains { $0 > 1 })
    }

    @Test("a failing batch is retried whole, its contexts carry the attempt, then every record in it is dead-lettered")
    func failingBatchIsDeadLetteredWhole() async throws {
        let broker = try broker()
        let calls = Mutex(0)
        let attempts = Mutex<[Set<Int>]>([])
        let processor = EventProcessor(
            transport: broker,
            configuration: .init(groupId: "likes", pollTimeout: .milliseconds(10), sleep: { _ in }),
            handlers: [EventHandlerRegistration(ProductLiked.self, batch: { likes in
                calls.withLock { $0 += 1 }
                attempts.withLock { $0.append(Set(likes.map(\.context.attempt))) }
                throw TestFailure()
            })],
            inbox: InMemoryInbox())
        let producer = try await broker.makeProducer(ProducerConfig())
        let publisher = EventPublisher(sink: producer, source: "/likes")
        var records: [OutgoingRecord] = []
        for user in 0..<3 { records.append(try publisher.record(for: ProductLiked(productId: "p", userId: "u\(user)"))) }
        _ = try await producer.send(records)
        let task = Task { try await processor.run() }
        for _ in 0..<300 where processor.statistics.deadLettered < 3 { try await Task.sleep(for: .milliseconds(10)) }
        processor.stop()
        try await task.value
        #expect(processor.statistics.deadLettered == 3)
        #expect(calls.withLock { $0 } == 3)  // ProductLiked allows 3 attempts
        #expect(attempts.withLock { $0 } == [[1], [2], [3]])
        #expect(processor.statistics.retried == 2)
    }
}
