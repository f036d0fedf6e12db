import EventRuntime
import EventRuntimeSQLite
import EventTestKit
import EventTestSupport
import Foundation
import GeneratedContracts
import Synchronization
import Testing

@Suite("SQLite outbox and relay")
struct OutboxTests {
    private func approved(_ index: Int) -> OrderApproved { OrderApproved(orderId: "o\(index % 3)", approvedBy: "\(index)") }

    private func published(_ broker: InProcessBroker, count: Int) async throws -> [ConsumerRecord] {
        let consumer = try await broker.makeConsumer(ConsumerConfig(groupId: "reader-\(UUID())", offsetReset: .earliest))
        try await consumer.subscribe([OrderApproved.topic])
        var records: [ConsumerRecord] = []
        for _ in 0..<200 where records.count < count { records += try await consumer.poll(max: 500, timeout: .milliseconds(10)) }
        return records
    }

    @Test("an event is in the outbox only if the business transaction commits")
    func outboxFollowsTheTransaction() async throws {
        let database = try temporaryDatabase()
        let outbox = try await SQLiteOutbox(database: database, source: "/orders")
        try await database.transaction { try outbox.publish(approved(1), in: $0) }
        await #expect(throws: Boom.self) {
            try await database.transaction { transaction in
                try outbox.publish(approved(2), in: transaction)
                throw Boom()
            }
        }
        #expect(try await outbox.pendingCount() == 1)
    }

    @Test("an event that breaks a data rule never reaches the outbox: the publish throws, naming the field and rule, and the transaction rolls back")
    func ruleBreakingEventIsRefused() async throws {
        let database = try temporaryDatabase()
        let outbox = try await SQLiteOutbox(database: database, source: "/orders")
        let bad = OrderCreated(orderId: "o", customerId: "c", items: [], total: .init(amount: "1"), contactEmail: "not an address")
        do {
            try await database.transaction { transaction in
                try outbox.publish(approved(1), in: transaction)
                try outbox.publish(bad, in: transaction)
            }
            Issue.record("the outbox took an event that breaks its contract")
        } catch let error as EventEncodingError {
            #expect(error.violation?.field == "contactEmail")
            #expect(error.violation?.rule == .format)
        }
        #expect(try await outbox.pendingCount() == 0)
    }

    @Test("the relay publishes rows in order with their CloudEvents headers and marks them sent")
    func relayPublishesInOrder() async throws {
        let database = try temporaryDatabase()
        let outbox = try await SQLiteOutbox(database: database, source: "/orders")
        let broker = try InProcessBroker(.init(clock: ManualClock()))
        try broker.createTopics(for: EventCatalog.contracts)
        for index in 0..<30 { try await database.transaction { try outbox.publish(approved(index), in: $0) } }
        let relay = OutboxRelay(outbox: outbox, transport: broker, configuration: .init(batchSize: 7))
        let task = Task { try await relay.run() }
        let records = try await published(broker, count: 30)
        for _ in 0..<100 where try await outbox.pendingCount() > 0 { try await Task.sleep(for: .milliseconds(5)) }
        relay.stop()
        try await task.value
        #expect(try await outbox.pendingCount() == 0)
        #expect(relay.statistics.published == 30)
        for key in 0..<3 {
            let order = records.filter { $0.key == Array("o\(key)".utf8) }.map { try? OrderApproved.decode(json: $0.value, version: 1).approvedBy }
            #expect(order == (0..<30).filter { $0 % 3 == key }.map { "\($0)" })
        }
        #expect(records.allSatisfy { $0.headers.value(of: CloudEventHeader.source) == "/orders" && $0.headers.value(of: CloudEventHeader.type) == "OrderApproved" })
    }

    @Test("while the broker is down the relay keeps its rows and retries with backoff; nothing is lost when it returns")
    func relaySurvivesABrokerOutage() async throws {
        let database = try temporaryDatabase()
        let outbox = try await SQLiteOutbox(database: database, source: "/orders")
        let broker = try InProcessBroker(.init(clock: ManualClock()))
        try broker.createTopics(for: EventCatalog.contracts)
        let faulty = FaultInjectingTransport(broker)
        faulty.isDown = true
        let waits = Mutex<[Duration]>([])
        let relay = OutboxRelay(outbox: outbox, transport: faulty, configuration: .init(
            idleInterval: .milliseconds(1), initialBackoff: .milliseconds(10), maximumBackoff: .milliseconds(40),
            sleep: { duration in
                waits.withLock { $0.append(duration) }
                try await Task.sleep(for: .milliseconds(1))
            }))
        let task = Task { try await relay.run() }
        for index in 0..<10 { try await database.transaction { try outbox.publish(approved(index), in: $0) } }
        for _ in 0..<200 where relay.statistics.failedSends < 4 { try await Task.sleep(for: .milliseconds(2)) }
        #expect(try await outbox.pendingCount() == 10)
        faulty.isDown = false
        let records = try await published(broker, count: 10)
        relay.stop()
        try await task.value
        #expect(records.count == 10)
        #expect(Set(records.map(\.value)).count == 10)
        let backoffs = waits.withLock { $0.filter { $0 > .milliseconds(1) } }
        #expect(backoffs.prefix(4) == [.milliseconds(10), .milliseconds(20), .milliseconds(40), .milliseconds(40)])
    }

    @Test("a relay that crashed between send and mark resends with the same ce_id; the consumer's inbox applies it once")
    func crashBetweenSendAndMarkIsAbsorbed() async throws {
        let database = try temporaryDatabase()
        let outbox = try await SQLiteOutbox(database: database, source: "/orders")
        let broker = try InProcessBroker(.init(clock: ManualClock()))
        try broker.createTopics(for: EventCatalog.contracts)
        try await database.transaction { try outbox.publish(approved(1), in: $0) }
        // The crash: rows sent by a relay that never marked them.
        let unmarked = try await database.transaction { transaction in
            try transaction.query("SELECT id FROM outbox WHERE sent_at IS NULL").count
        }
        #expect(unmarked == 1)
        let firstRelay = OutboxRelay(outbox: outbox, transport: LossyAcknowledgements(broker, chance: 1, seed: 1), configuration: .init(idleInterval: .milliseconds(1)))
        let firstTask = Task { try await firstRelay.run() }
        for _ in 0..<200 where firstRelay.statistics.failedSends == 0 { try await Task.sleep(for: .milliseconds(2)) }
        firstRelay.stop()
        try await firstTask.value
        // A new relay after the "restart" sends the row again.
        let relay = OutboxRelay(outbox: outbox, transport: broker, configuration: .init(idleInterval: .milliseconds(1)))
        let task = Task { try await relay.run() }
        let records = try await published(broker, count: 2)
        relay.stop()
        try await task.value
        #expect(records.count >= 2)
        #expect(Set(records.map { $0.headers.value(of: CloudEventHeader.id) }).count == 1)

        let log = Mutex<[String]>([])
        let processor = EventProcessor(
            transport: broker, configuration: .init(groupId: "g", pollTimeout: .milliseconds(10)),
            handlers: [EventHandlerRegistration(OrderApproved.self) { event, _ in log.withLock { $0.append(event.approvedBy) } }],
            inbox: try await SQLiteInbox(database: database))
        let processing = Task { try await processor.run() }
        for _ in 0..<300 where processor.statistics.handled + processor.statistics.duplicatesSkipped < records.count {
            try await Task.sleep(for: .milliseconds(5))
        }
        processor.stop()
        try await processing.value
        #expect(log.withLock { $0 } == ["1"])
    }
}
