import EventBroker
@testable import EventProcessing
import EventTestSupport
import Foundation
import GeneratedContracts
import Synchronization
import Testing

/// An inbox whose database fails now and then: before the body runs (unreachable), or after it
/// ran and recorded the id (the commit's answer lost).
final class FailingInbox: InboxStore {
    enum FailurePoint { case beforeBody, afterCommit }
    let inner = InMemoryInbox()
    let failures: Mutex<[FailurePoint]>

    init(_ failures: [FailurePoint]) { self.failures = Mutex(failures) }

    struct DatabaseUnreachable: Error {}

    private func nextFailure() -> FailurePoint? {
        failures.withLock { $0.isEmpty ? nil : $0.removeFirst() }
    }

    func processOnce(id: String, group: String, _ body: @Sendable () async throws -> Void) async throws -> Bool {
        let failure = nextFailure()
        if failure == .beforeBody { throw DatabaseUnreachable() }
        let ran = try await inner.processOnce(id: id, group: group, body)
        if failure == .afterCommit { throw DatabaseUnreachable() }
        return ran
    }

    func processBatchOnce(ids: [String], group: String, _ body: @Sendable ([Int]) async throws -> Void) async throws -> [Int] {
        let failure = nextFailure()
        if failure == .beforeBody { throw DatabaseUnreachable() }
        let fresh = try await inner.processBatchOnce(ids: ids, group: group, body)
        if failure == .afterCommit { throw DatabaseUnreachable() }
        return fresh
    }

    func removeEntries(group: String, processedBefore cutoff: Int64) async throws -> Int {
        inner.removeEntries(group: group, processedBefore: cutoff)
    }
}

@Suite("Processor and a failing inbox")
struct InboxFailureTests {
    @Test("an inbox that fails is waited out: no attempt spent, nothing dead-lettered, the effect once, the failures counted", arguments: [false, true])
    func failingInboxIsWaitedOut(batch: Bool) async throws {
        let broker = try InProcessBroker(.testing(clock: SystemClock()))
        try broker.createTopics(for: EventCatalog.contracts)
        let inbox = FailingInbox([.beforeBody, .beforeBody, .afterCommit])
        let effects = Mutex<[String]>([])
        let pauses = Mutex<[Duration]>([])
        let registration = batch
            ? EventHandlerRegistration(OrderApproved.self, batch: { events in
                effects.withLock { $0 += events.map(\.event.approvedBy) }
            })
            : EventHandlerRegistration(OrderApproved.self) { event, _ in effects.withLock { $0.append(event.approvedBy) } }
        let processor = EventProcessor(
            transport: broker,
            configuration: .init(groupId: "g", pollTimeout: .milliseconds(10), sleep: { pause in pauses.withLock { $0.append(pause) } }),
            handlers: [registration], inbox: inbox)
        let task = Task { try await processor.run() }
        let publisher = EventPublisher(sink: try await broker.makeProducer(ProducerConfig()), source: "/tests")
        try await publisher.publish(OrderApproved(orderId: "o1", approvedBy: "1"))
        for _ in 0..<500 where processor.statistics.handled + processor.statistics.duplicatesSkipped < 1 {
            try await Task.sleep(for: .milliseconds(10))
        }
        processor.stop()
        try await task.value
        // beforeBody ×2, then the body runs and commits but its answer is lost; the redelivery
        // finds the id and skips the handler.
        #expect(effects.withLock { $0 } == ["1"])
        #expect(processor.statistics.inboxFailures == 3)
        #expect(processor.statistics.retried == 0 && processor.statistics.deadLettered == 0)
        #expect(processor.statistics.duplicatesSkipped == 1)
        #expect(pauses.withLock { $0 } == [.milliseconds(50), .milliseconds(100), .milliseconds(200)])
        #expect(try broker.offsets(of: TopicPartition(OrderApproved.delivery.deadLetterTopic, 0)).end == 0)
    }

    @Test("a handler's own failure through the inbox is still a handler failure: retried, then dead-lettered")
    func handlerFailureThroughTheInboxIsNotAnInboxFailure() async throws {
        let broker = try InProcessBroker(.testing(clock: SystemClock()))
        try broker.createTopics(for: EventCatalog.contracts)
        let processor = EventProcessor(
            transport: broker, configuration: .init(groupId: "g", pollTimeout: .milliseconds(10), sleep: { _ in }),
            handlers: [EventHandlerRegistration(OrderApproved.self) { _, _ in throw FailingInbox.DatabaseUnreachable() }],
            inbox: FailingInbox([]))
        let task = Task { try await processor.run() }
        let publisher = EventPublisher(sink: try await broker.makeProducer(ProducerConfig()), source: "/tests")
        try await publisher.publish(OrderApproved(orderId: "o1", approvedBy: "1"))
        for _ in 0..<500 where processor.statistics.deadLettered < 1 { try await Task.sleep(for: .milliseconds(10)) }
        processor.stop()
        try await task.value
        #expect(processor.statistics.deadLettered == 1)
        #expect(processor.statistics.retried == OrderApproved.delivery.retryAttempts - 1)
        #expect(processor.statistics.inboxFailures == 0)
    }
}
