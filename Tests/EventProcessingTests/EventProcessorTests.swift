import EventBroker
import EventProcessing
import EventTestKit
import EventTestSupport
import Foundation
import GeneratedContracts
import Synchronization
import Testing

/// What handlers saw, and how long the processor was told to wait.
final class HandlerLog: Sendable {
    let handled = Mutex<[String]>([])
    let sleeps = Mutex<[Duration]>([])

    func record(_ entry: String) { handled.withLock { $0.append(entry) } }
    var entries: [String] { handled.withLock { $0 } }
}

struct TestFailure: Error {}

/// An actor a test handler is isolated to.
@globalActor actor HandlerActor {
    static let shared = HandlerActor()
    @HandlerActor static var approvals = 0
}
struct RejectedForGood: NonRetryableError {}

@Suite("Event processor")
struct EventProcessorTests {
    private func broker() throws -> InProcessBroker {
        let broker = try InProcessBroker(.testing())
        try broker.createTopics(for: EventCatalog.contracts)
        return broker
    }

    private func start(
        _ broker: InProcessBroker, group: String = "service", mode: EventProcessor.CommitMode = .batch, log: HandlerLog,
        inbox: (any InboxStore)? = InMemoryInbox(), handlers: [EventHandlerRegistration]
    ) -> (EventProcessor, Task<Void, any Error>) {
        let processor = EventProcessor(
            transport: broker,
            configuration: .init(
                groupId: group, commitMode: mode, pollTimeout: .milliseconds(10),
                sleep: { duration in log.sleeps.withLock { $0.append(duration) } }, jitterSeed: 1),
            handlers: handlers, inbox: inbox)
        return (processor, Task { try await processor.run() })
    }

    private func stop(_ processor: EventProcessor, _ task: Task<Void, any Error>) async throws {
        processor.stop()
        try await task.value
    }

    private func waitUntil(_ condition: () -> Bool) async throws {
        for _ in 0..<500 where !condition() { try await Task.sleep(for: .milliseconds(10)) }
        #expect(condition())
    }

    private func publish(_ broker: InProcessBroker, _ events: [any EventContract], id: UUID? = nil) async throws {
        let producer = try await broker.makeProducer(ProducerConfig())
        let publisher = EventPublisher(sink: producer, source: "/tests")
        for event in events { try await publisher.publish(event, id: id ?? UUID()) }
    }

    /// An OrderApproved record built by hand (no publisher), keyed "k", with these headers besides its type and version.
    private func handBuiltApproval(version: String = "1", extra: [RecordHeader] = []) -> OutgoingRecord {
        OutgoingRecord(topic: "orders", key: Array("k".utf8), value: Array(#"{"orderId":"o","approvedBy":"x"}"#.utf8), headers: extra + [
            RecordHeader(CloudEventHeader.type, "OrderApproved"), RecordHeader(CloudEventHeader.contractVersion, version),
        ])
    }

    private func deadLetters(_ broker: InProcessBroker, topic: String = "orders.dlq", count: Int) async throws -> [ConsumerRecord] {
        let consumer = try await broker.makeConsumer(ConsumerConfig(groupId: "dlq-\(UUID())", offsetReset: .earliest))
        try await consumer.subscribe([topic])
        return try await drain(consumer, count: count)
    }

    @Test("dispatches by event type on a shared topic, keeps each key's order, and ignores types without a handler")
    func dispatchByEventType() async throws {
        let broker = try broker()
        let log = HandlerLog()
        let (processor, task) = start(broker, log: log, handlers: [
            EventHandlerRegistration(OrderApproved.self) { event, _ in log.record("approved \(event.orderId)") },
            EventHandlerRegistration(OrderCancelled.self) { event, _ in log.record("cancelled \(event.orderId)") },
        ])
        var events: [any EventContract] = []
        for index in 0..<20 {
            events.append(OrderApproved(orderId: "o\(index % 4)", approvedBy: "\(index)"))
            if index % 5 == 0 { events.append(OrderCancelled(orderId: "o\(index % 4)", reason: .customerRequest)) }
            if index % 7 == 0 { events.append(OrderCreated(orderId: "o\(index % 4)", customerId: "c", items: [], total: .init(amount: "1"))) }
        }
        try await publish(broker, events)
        try await waitUntil { processor.statistics.handled == 24 }
        try await stop(processor, task)
        #expect(processor.statistics.ignored == 3)
        // Per key, effects follow publication order.
        for key in 0..<4 {
            let expected = events.compactMap { event -> String? in
                if let approved = event as? OrderApproved, approved.orderId == "o\(key)" { return "approved o\(key)" }
                if let cancelled = event as? OrderCancelled, cancelled.orderId == "o\(key)" { return "cancelled o\(key)" }
                return nil
            }
            #expect(log.entries.filter { $0.hasSuffix(" o\(key)") } == expected)
        }
    }

    @Test("a handler isolated to an actor runs on that actor, and a stored @Sendable async function registers as a handler")
    func handlerIsolationIsKept() async throws {
        let broker = try broker()
        let log = HandlerLog()
        let cancelled: @Sendable (OrderCancelled, EventContext) async throws -> Void = { event, _ in log.record("cancelled \(event.orderId)") }
        let (processor, task) = start(broker, log: log, handlers: [
            EventHandlerRegistration(OrderApproved.self) { @HandlerActor event, _ in
                // Traps if the processor ran the handler off its actor.
                HandlerActor.shared.preconditionIsolated()
                HandlerActor.approvals += 1
                log.record("approved \(event.orderId)")
            },
            EventHandlerRegistration(OrderCancelled.self, handle: cancelled),
        ])
        try await publish(broker, [OrderApproved(orderId: "o1", approvedBy: "a"), OrderCancelled(orderId: "o1", reason: .customerRequest)])
        try await waitUntil { processor.statistics.handled == 2 }
        try await stop(processor, task)
        #expect(log.entries == ["approved o1", "cancelled o1"])
        #expect(await HandlerActor.approvals == 1)
    }

    @Test("batch mode commits after each batch: a restarted processor resumes without handling anything twice")
    func batchCommitResumes() async throws {
        let broker = try broker()
        let log = HandlerLog()
        let handler = EventHandlerRegistration(OrderApproved.self) { event, _ in log.record(event.approvedBy) }
        var (processor, task) = start(broker, log: log, inbox: nil, handlers: [handler])
        try await publish(broker, (0..<10).map { OrderApproved(orderId: "o\($0)", approvedBy: "first-\($0)") })
        try await waitUntil { processor.statistics.handled == 10 }
        try await stop(processor, task)
        #expect(broker.groupLag(group: "service", topics: [OrderApproved.topic]).values.reduce(0, +) == 0)

        (processor, task) = start(broker, log: log, inbox: nil, handlers: [handler])
        try await publish(broker, (0..<5).map { OrderApproved(orderId: "o\($0)", approvedBy: "second-\($0)") })
        try await waitUntil { processor.statistics.handled == 5 }
        try await stop(processor, task)
        #expect(log.entries.count == 15)
        #expect(Set(log.entries).count == 15)
    }

    @Test("record mode commits each record as it is handled; manual mode commits only when asked")
    func recordAndManualCommitModes() async throws {
        let broker = try broker()
        let log = HandlerLog()
        let handler = EventHandlerRegistration(OrderApproved.self) { event, _ in log.record(event.orderId) }
        let (recordProcessor, recordTask) = start(broker, group: "per-record", mode: .record, log: log, handlers: [handler])
        let (manualProcessor, manualTask) = start(broker, group: "manual", mode: .manual, log: log, handlers: [handler])
        try await publish(broker, (0..<8).map { OrderApproved(orderId: "o\($0)", approvedBy: "x") })
        try await waitUntil { recordProcessor.statistics.handled == 8 && manualProcessor.statistics.handled == 8 }
        try await waitUntil { broker.groupLag(group: "per-record", topics: [OrderApproved.topic]).values.reduce(0, +) == 0 }
        #expect(broker.committedOffsets(group: "manual").isEmpty)
        try await manualProcessor.commitProcessed()
        #expect(broker.groupLag(group: "manual", topics: [OrderApproved.topic]).values.reduce(0, +) == 0)
        try await stop(recordProcessor, recordTask)
        try await stop(manualProcessor, manualTask)
    }

    @Test("a failing handler is retried with the contract's exponential backoff (jittered, capped) until it succeeds")
    func retriesWithBackoff() async throws {
        let broker = try broker()
        let log = HandlerLog()
        let failures = Mutex(3)
        let (processor, task) = start(broker, log: log, handlers: [
            EventHandlerRegistration(OrderApproved.self) { event, context in
                if failures.withLock({ failures in
                    defer { failures -= 1 }
                    return failures > 0
                }) { throw TestFailure() }
                log.record("\(event.orderId) on attempt \(context.attempt)")
            },
        ])
        try await publish(broker, [OrderApproved(orderId: "o1", approvedBy: "x")])
        try await waitUntil { processor.statistics.handled == 1 }
        try await stop(processor, task)
        #expect(log.entries == ["o1 on attempt 4"])
        #expect(processor.statistics.retried == 3)
        // OrderApproved: exponential from 100 ms, ×2: ceilings 100, 200, 400; each wait in [ceiling/2, ceiling].
        let waits = log.sleeps.withLock { $0 }
        #expect(waits.count == 3)
        for (wait, ceiling) in zip(waits, [100, 200, 400]) {
            #expect(wait >= .milliseconds(ceiling / 2) && wait <= .milliseconds(ceiling))
        }
    }

    @Test("after the last attempt the record goes to the DLQ with its key, value and headers intact and the facts added")
    func exhaustedRetriesDeadLetter() async throws {
        let broker = try broker()
        let log = HandlerLog()
        let (processor, task) = start(broker, group: "approvals", log: log, handlers: [
            EventHandlerRegistration(OrderApproved.self) { event, _ in
                if event.orderId == "bad" { throw TestFailure() }
                log.record(event.orderId)
            },
        ])
        let id = UUID()
        try await publish(broker, [OrderApproved(orderId: "bad", approvedBy: "x")], id: id)
        try await publish(broker, [OrderApproved(orderId: "good", approvedBy: "x")])
        try await waitUntil { processor.statistics.deadLettered == 1 && processor.statistics.handled == 1 }
        try await stop(processor, task)
        #expect(processor.statistics.retried == 4)

        let letter = try #require(try await deadLetters(broker, count: 1).first)
        let original = try await {
            let consumer = try await broker.makeConsumer(ConsumerConfig(groupId: "original", offsetReset: .earliest))
            try await consumer.subscribe(["orders"])
            return try await drain(consumer, count: 2).first { $0.key == Array("bad".utf8) }
        }()
        let source = try #require(original)
        #expect(letter.key == source.key && letter.value == source.value)
        #expect(Array(letter.headers.prefix(source.headers.count)) == source.headers)
        #expect(letter.headers.value(of: CloudEventHeader.id) == id.uuidString.lowercased())
        #expect(letter.headers.value(of: DeadLetterHeader.originalTopic) == "orders")
        #expect(letter.headers.value(of: DeadLetterHeader.originalPartition) == String(source.partition))
        #expect(letter.headers.value(of: DeadLetterHeader.originalOffset) == String(source.offset))
        #expect(letter.headers.value(of: DeadLetterHeader.originalTimestamp) == String(source.timestamp))
        #expect(letter.headers.value(of: DeadLetterHeader.originalConsumerGroup) == "approvals")
        #expect(letter.headers.value(of: DeadLetterHeader.exceptionType)?.hasSuffix("TestFailure") == true)
        #expect(letter.headers.value(of: DeadLetterHeader.attempts) == "5")
        #expect(letter.headers.value(of: DeadLetterHeader.cause) == "exhausted")
    }

    @Test("non-retryable errors and contract violations go to the DLQ on the first attempt")
    func nonRetryableErrorsAreNotRetried() async throws {
        let broker = try broker()
        let log = HandlerLog()
        let (processor, task) = start(broker, log: log, handlers: [
            EventHandlerRegistration(OrderApproved.self) { event, _ in
                if event.orderId == "rejected" { throw RejectedForGood() }
                throw ContractViolation("approvedBy must name a person")
            },
        ])
        try await publish(broker, [OrderApproved(orderId: "rejected", approvedBy: "x"), OrderApproved(orderId: "robot", approvedBy: "")])
        try await waitUntil { processor.statistics.deadLettered == 2 }
        try await stop(processor, task)
        #expect(processor.statistics.retried == 0)
        let letters = try await deadLetters(broker, count: 2)
        let causes = Set(letters.map { "\($0.headers.value(of: DeadLetterHeader.cause) ?? "") \($0.headers.value(of: DeadLetterHeader.attempts) ?? "")" })
        #expect(causes == ["exhausted 1", "contract-violation 1"])
    }

    @Test("an event that breaks a data rule of its contract is dead-lettered as a contract-violation naming the field and rule; the handler never sees it")
    func dataRuleViolationIsDeadLettered() async throws {
        let broker = try broker()
        let log = HandlerLog()
        let (processor, task) = start(broker, log: log, handlers: [
            EventHandlerRegistration(OrderCreated.self) { event, _ in log.record("created \(event.orderId) from \(event.placedFrom)") },
        ])
        // A producer that does not validate (another language's, or an older build) wrote "kr".
        var bad = try EventPublisher.record(for: OrderCreated(orderId: "bad", customerId: "c", items: [], total: .init(amount: "1")), source: "/tests")
        let json = String(decoding: bad.value, as: UTF8.self)
        #expect(json.contains(#""placedFrom":"KR""#))
        bad.value = Array(json.replacingOccurrences(of: #""placedFrom":"KR""#, with: #""placedFrom":"kr""#).utf8)
        let producer = try await broker.makeProducer(ProducerConfig())
        _ = try await producer.send([bad])
        try await publish(broker, [OrderCreated(orderId: "good", customerId: "c", items: [], total: .init(amount: "1"), placedFrom: "DE")])
        try await waitUntil { processor.statistics.deadLettered == 1 && log.entries.count == 1 }
        try await stop(processor, task)
        #expect(log.entries == ["created good from DE"])
        #expect(processor.statistics.retried == 0)
        let letter = try #require(try await deadLetters(broker, count: 1).first)
        #expect(letter.headers.value(of: DeadLetterHeader.cause) == "contract-violation")
        #expect(letter.headers.value(of: DeadLetterHeader.violationField) == "placedFrom")
        #expect(letter.headers.value(of: DeadLetterHeader.violationRule) == "pattern")
        #expect(letter.headers.value(of: DeadLetterHeader.attempts) == "0")
        #expect(letter.value == bad.value)
    }

    @Test("a record that does not decode (a poison message) is dead-lettered at once and the partition moves on")
    func poisonMessageIsDeadLetteredWithoutRetry() async throws {
        let broker = try broker()
        let log = HandlerLog()
        let (processor, task) = start(broker, log: log, handlers: [
            EventHandlerRegistration(OrderApproved.self) { event, _ in log.record(event.orderId) },
        ])
        let producer = try await broker.makeProducer(ProducerConfig())
        let headers = [
            RecordHeader(CloudEventHeader.id, "poison"), RecordHeader(CloudEventHeader.type, "OrderApproved"),
            RecordHeader(CloudEventHeader.contractVersion, "1"),
        ]
        _ = try await producer.send([
            OutgoingRecord(topic: "orders", key: Array("k".utf8), value: Array(#"{"orderId":42}"#.utf8), headers: headers),
            OutgoingRecord(topic: "orders", key: Array("k".utf8), value: Array("{}".utf8), headers: [RecordHeader(CloudEventHeader.type, "OrderApproved")]),
        ])
        try await publish(broker, [OrderApproved(orderId: "k", approvedBy: "x")])
        try await waitUntil { processor.statistics.handled == 1 && processor.statistics.deadLettered == 2 }
        try await stop(processor, task)
        #expect(processor.statistics.retried == 0)
        let letters = try await deadLetters(broker, count: 2)
        #expect(letters.allSatisfy { $0.headers.value(of: DeadLetterHeader.cause) == "deserialization" })
        #expect(letters.allSatisfy { $0.headers.value(of: DeadLetterHeader.attempts) == "0" })
        #expect(letters.contains { $0.headers.value(of: DeadLetterHeader.exceptionMessage)?.contains("orderId") == true })
    }

    @Test("a version header that is not a plain positive integer dead-letters the record; look-alike header names are ignored")
    func versionHeaderIsParsedStrictly() async throws {
        let broker = try broker()
        let log = HandlerLog()
        let (processor, task) = start(broker, log: log, handlers: [
            EventHandlerRegistration(OrderApproved.self) { event, _ in log.record(event.orderId) },
        ])
        let producer = try await broker.makeProducer(ProducerConfig())
        _ = try await producer.send(["x", "", "-", "0", "-1", "1x", "1234567890123456789"].map { handBuiltApproval(version: $0) })
        // Same lengths as names the processor reads ("ce_type", "ce_id"), different names: not read.
        _ = try await producer.send([handBuiltApproval(extra: [RecordHeader("ce_tipe", "Nope"), RecordHeader("ce_ix", "nope")])])
        try await waitUntil { processor.statistics.handled == 1 && processor.statistics.deadLettered == 7 }
        try await stop(processor, task)
        #expect(log.entries == ["o"])
    }

    @Test("a handler's occurredAt is the record's CloudEvents time; nil when the header is missing or not RFC 3339")
    func occurredAtComesFromTheTimeHeader() async throws {
        let broker = try broker()
        let log = HandlerLog()
        let (processor, task) = start(broker, log: log, handlers: [
            EventHandlerRegistration(OrderApproved.self) { event, context in
                log.record("\(event.orderId) \(context.occurredAt.map(\.description) ?? "nil")")
            },
        ])
        let producer = try await broker.makeProducer(ProducerConfig())
        let publisher = EventPublisher(sink: producer, source: "/tests")
        let time = Timestamp(secondsSince1970: 1_700_000_000, nanoseconds: 250_000_000)
        try await producer.send(try publisher.record(for: OrderApproved(orderId: "published", approvedBy: "x"), time: time))
        _ = try await producer.send([handBuiltApproval(extra: [RecordHeader(CloudEventHeader.time, "yesterday")]), handBuiltApproval()])
        try await waitUntil { processor.statistics.handled == 3 }
        try await stop(processor, task)
        // Two keys, two partitions: their records may be handled in either order.
        #expect(log.entries.sorted() == ["o nil", "o nil", "published \(time.description)"])
    }

    @Test("a handler's context has the record's id, key, type, version, topic, partition and offset; without ce_id the id is topic-partition-offset")
    func contextDescribesTheRecord() async throws {
        let broker = try broker()
        let log = HandlerLog()
        let (processor, task) = start(broker, log: log, handlers: [
            EventHandlerRegistration(OrderApproved.self) { event, context in
                log.record(
                    "\(event.orderId) \(context.eventId) \(context.key ?? "nil") \(context.eventType) v\(context.version) "
                        + "\(context.topic)-\(context.partition)@\(context.offset) attempt \(context.attempt)")
            },
        ])
        let producer = try await broker.makeProducer(ProducerConfig())
        let id = UUID(uuidString: "0190F5A1-7B7C-7D3E-8F00-0123456789AB") ?? UUID()
        let published = try EventPublisher(sink: producer, source: "/tests")
            .record(for: OrderApproved(orderId: "a-key-longer-than-fifteen-bytes", approvedBy: "x"), id: id)
        let sent = try await producer.send([published, handBuiltApproval()])
        try await waitUntil { processor.statistics.handled == 2 }
        try await stop(processor, task)
        #expect(log.entries.sorted() == [
            "a-key-longer-than-fifteen-bytes \(id.uuidString.lowercased()) a-key-longer-than-fifteen-bytes OrderApproved v\(OrderApproved.currentVersion) "
                + "orders-\(sent[0].partition)@\(sent[0].offset) attempt 1",
            "o orders-\(sent[1].partition)-\(sent[1].offset) k OrderApproved v1 orders-\(sent[1].partition)@\(sent[1].offset) attempt 1",
        ])
    }

    @Test("inbox: a redelivered event (same id) is skipped and counted; natural-key: the same fact under a new id is too")
    func duplicatesAreSkipped() async throws {
        let broker = try broker()
        let log = HandlerLog()
        let inbox = InMemoryInbox()
        let (processor, task) = start(broker, log: log, inbox: inbox, handlers: [
            EventHandlerRegistration(OrderApproved.self) { event, _ in log.record(event.orderId) },
            EventHandlerRegistration(ProductLiked.self) { event, _ in log.record("\(event.productId) by \(event.userId)") },
        ])
        let id = UUID()
        try await publish(broker, [OrderApproved(orderId: "o1", approvedBy: "x")], id: id)
        try await publish(broker, [OrderApproved(orderId: "o1", approvedBy: "x")], id: id)
        try await publish(broker, [ProductLiked(productId: "p1", userId: "u1")])
        try await publish(broker, [ProductLiked(productId: "p1", userId: "u1")])
        try await publish(broker, [ProductLiked(productId: "p1", userId: "u2")])
        try await waitUntil { processor.statistics.handled + processor.statistics.duplicatesSkipped == 5 }
        try await stop(processor, task)
        #expect(processor.statistics.duplicatesSkipped == 2)
        #expect(log.entries.sorted() == ["o1", "p1 by u1", "p1 by u2"])
        #expect(inbox.count(group: "service") == 3)
    }

    @Test("without an inbox, an inbox contract's repeated id runs again (at least once), and batch handlers still get every event")
    func withoutAnInboxRepeatsRunAgain() async throws {
        let broker = try broker()
        let log = HandlerLog()
        let (processor, task) = start(broker, log: log, inbox: nil, handlers: [
            EventHandlerRegistration(OrderApproved.self) { event, _ in log.record(event.orderId) },
            EventHandlerRegistration(ProductLiked.self, batch: { likes in for like in likes { log.record("\(like.event.productId) by \(like.event.userId)") } }),
        ])
        let id = UUID()
        try await publish(broker, [OrderApproved(orderId: "o1", approvedBy: "x")], id: id)
        try await publish(broker, [OrderApproved(orderId: "o1", approvedBy: "x")], id: id)
        try await publish(broker, [ProductLiked(productId: "p1", userId: "u1")])
        try await publish(broker, [ProductLiked(productId: "p1", userId: "u2")])
        try await waitUntil { processor.statistics.handled == 4 }
        try await stop(processor, task)
        #expect(processor.statistics.duplicatesSkipped == 0)
        #expect(log.entries.sorted() == ["o1", "o1", "p1 by u1", "p1 by u2"])
    }

    @Test("a failed handler leaves no inbox entry, so its retry runs it again")
    func failedAttemptIsNotRecorded() async throws {
        let broker = try broker()
        let log = HandlerLog()
        let fail = Mutex(true)
        let (processor, task) = start(broker, log: log, handlers: [
            EventHandlerRegistration(OrderApproved.self) { event, context in
                let failNow = fail.withLock { failing in
                    defer { failing = false }
                    return failing
                }
                if failNow { throw TestFailure() }
                log.record("\(event.orderId) #\(context.attempt)")
            },
        ])
        try await publish(broker, [OrderApproved(orderId: "o1", approvedBy: "x")])
        try await waitUntil { processor.statistics.handled == 1 }
        try await stop(processor, task)
        #expect(log.entries == ["o1 #2"])
    }

    @Test("state-machine guard: alreadyApplied skips the event, park retries it until its state arrives")
    func stateMachineGuard() async throws {
        let broker = try broker()
        let log = HandlerLog()
        let checks = Mutex(0)
        let (processor, task) = start(broker, log: log, inbox: nil, handlers: [
            EventHandlerRegistration(
                OrderApproved.self,
                transition: { event, _ in
                    if event.orderId == "done" { return .alreadyApplied }
                    // "early" fits only from its third check on: parked twice.
                    let count = checks.withLock { count in
                        count += 1
                        return count
                    }
                    return count >= 3 ? .apply : .park
                },
                handle: { event, context in log.record("\(event.orderId) #\(context.attempt)") }),
        ])
        try await publish(broker, [OrderApproved(orderId: "done", approvedBy: "x")])
        try await publish(broker, [OrderApproved(orderId: "early", approvedBy: "x")])
        try await waitUntil { processor.statistics.handled == 1 && processor.statistics.duplicatesSkipped == 1 }
        try await stop(processor, task)
        #expect(log.entries == ["early #3"])
        #expect(processor.statistics.retried == 2)
    }

    @Test("two processors in one group split the partitions; with the inbox every event takes effect once across rebalances")
    func rebalanceLosesNothing() async throws {
        let broker = try broker()
        let log = HandlerLog()
        let inbox = InMemoryInbox()
        let handler = EventHandlerRegistration(OrderApproved.self) { event, _ in log.record(event.orderId) }
        let (first, firstTask) = start(broker, log: log, inbox: inbox, handlers: [handler])
        try await publish(broker, (0..<100).map { OrderApproved(orderId: "o\($0)", approvedBy: "x") })
        let (second, secondTask) = start(broker, log: log, inbox: inbox, handlers: [handler])
        try await publish(broker, (100..<200).map { OrderApproved(orderId: "o\($0)", approvedBy: "x") })
        try await stop(first, firstTask)
        try await publish(broker, (200..<300).map { OrderApproved(orderId: "o\($0)", approvedBy: "x") })
        try await waitUntil { Set(log.entries).count == 300 }
        try await stop(second, secondTask)
        #expect(log.entries.count == 300)
        #expect(broker.groupLag(group: "service", topics: [OrderApproved.topic]).values.reduce(0, +) == 0)
    }

    @Test("the inbox forgets ids older than the configured retention; without one it keeps them")
    func inboxIsPrunedByRetention() async throws {
        let broker = try broker()
        try await publish(broker, (0..<10).map { OrderApproved(orderId: "o\($0)", approvedBy: "x") })
        for retention in [Duration.milliseconds(40), nil] {
            let inbox = InMemoryInbox()
            var configuration = EventProcessor.Configuration(groupId: "service-\(retention == nil)", pollTimeout: .milliseconds(10))
            configuration.inboxRetention = retention
            let processor = EventProcessor(
                transport: broker, configuration: configuration,
                handlers: [EventHandlerRegistration(OrderApproved.self) { _, _ in }], inbox: inbox)
            let task = Task { try await processor.run() }
            try await waitUntil { processor.statistics.handled == 10 }
            if retention == nil {
                try await Task.sleep(for: .milliseconds(200))
                #expect(inbox.count(group: configuration.groupId) == 10)
            } else {
                try await waitUntil { inbox.count(group: configuration.groupId) == 0 }
            }
            try await stop(processor, task)
        }
    }

    @Test("a partition revoked while its batch is being handled is handed over only after that batch is handled and committed")
    func revocationWaitsForTheBatchInFlight() async throws {
        // The processor polls its next batch while it handles one, so a rebalance can reach it in
        // the middle of a batch; without an inbox, handing a partition over early would let two
        // members handle the same records.
        let broker = try broker()
        try await publish(broker, (0..<60).map { OrderApproved(orderId: "o\($0)", approvedBy: "x") })
        let log = HandlerLog()
        let entered = Mutex(false)
        let released = Mutex(false)
        let processor = EventProcessor(
            transport: broker,
            // A long poll timeout: the poll beside the blocked batch is still waiting when the second member joins.
            configuration: .init(groupId: "service", pollTimeout: .seconds(1), jitterSeed: 1),
            handlers: [EventHandlerRegistration(OrderApproved.self) { event, _ in
                entered.withLock { $0 = true }
                while !released.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(1)) }
                log.record(event.orderId)
            }])
        let task = Task { try await processor.run() }
        try await waitUntil { entered.withLock { $0 } }

        let second = try await broker.makeConsumer(processor.configuration.consumer)
        try await second.subscribe([OrderApproved.topic])
        var received: [ConsumerRecord] = []
        for _ in 0..<30 { received += try await second.poll(max: 100, timeout: .milliseconds(10)) }
        #expect(await second.assignment().isEmpty, "a partition moved while the batch that holds its records was in flight")

        released.withLock { $0 = true }
        try await waitUntil { log.entries.count == 60 }
        for _ in 0..<100 where await second.assignment().isEmpty {
            received += try await second.poll(max: 100, timeout: .milliseconds(10))
        }
        for _ in 0..<20 { received += try await second.poll(max: 100, timeout: .milliseconds(10)) }
        #expect(await !second.assignment().isEmpty)
        #expect(received.isEmpty, "records handled by the first member were delivered again: \(received.map(\.offset))")
        try await second.close()
        try await stop(processor, task)
        #expect(Set(log.entries).count == 60)
    }
}

/// A service's handler, written against the generated protocol.
struct ApprovalLedger: OrderApprovedHandler {
    let log: HandlerLog

    func handle(_ event: OrderApproved, context: EventContext) async throws {
        log.record("\(event.orderId) approved by \(event.approvedBy) (v\(context.version))")
    }
}

@Suite("Generated handlers")
struct GeneratedHandlerTests {
    @Test("a type conforming to the generated handler protocol plugs into the processor through `registration`")
    func generatedRegistration() async throws {
        let broker = try InProcessBroker(.testing())
        try broker.createTopics(for: EventCatalog.contracts)
        let log = HandlerLog()
        let processor = EventProcessor(
            transport: broker, configuration: .init(groupId: "ledger", pollTimeout: .milliseconds(10)),
            handlers: [ApprovalLedger(log: log).registration], inbox: InMemoryInbox())
        let task = Task { try await processor.run() }
        let publisher = EventPublisher(sink: try await broker.makeProducer(ProducerConfig()), source: "/tests")
        try await publisher.publish(OrderApproved(orderId: "o1", approvedBy: "ann"))
        for _ in 0..<300 where processor.statistics.handled < 1 { try await Task.sleep(for: .milliseconds(10)) }
        processor.stop()
        try await task.value
        #expect(log.entries == ["o1 approved by ann (v1)"])
    }
}
