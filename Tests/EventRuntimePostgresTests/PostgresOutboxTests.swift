import EventRuntime
import EventRuntimePostgres
import EventTestKit
import EventTestSupport
import Foundation
import GeneratedContracts
import Synchronization
import Testing

extension PostgresStoreTests {
    @Suite("PostgreSQL outbox and relays")
    struct OutboxTests {
        private func approved(_ index: Int, keys: Int = 3) -> OrderApproved {
            OrderApproved(orderId: "o\(index % keys)", approvedBy: "\(index)")
        }

        private func withOutbox(_ body: @Sendable (PostgresClient, PostgresOutbox, InProcessBroker) async throws -> Void) async throws {
            try await PostgresTestServer.withClient { client in
                let outbox = try await PostgresOutbox(
                    client: client, source: "/orders", tables: try PostgresTestServer.freshTables(),
                    configuration: .init(logger: PostgresTestServer.logger))
                let broker = try InProcessBroker(.init(clock: ManualClock()))
                try broker.createTopics(for: EventCatalog.contracts)
                try await body(client, outbox, broker)
            }
        }

        private func publish(_ event: OrderApproved, _ client: PostgresClient, _ outbox: PostgresOutbox) async throws {
            try await client.withTransaction(logger: PostgresTestServer.logger) { try await outbox.publish(event, in: $0) }
        }

        private func published(_ broker: InProcessBroker, count: Int) async throws -> [ConsumerRecord] {
            let consumer = try await broker.makeConsumer(ConsumerConfig(groupId: "reader-\(UUID())", offsetReset: .earliest))
            try await consumer.subscribe([OrderApproved.topic])
            var records: [ConsumerRecord] = []
            for _ in 0..<1_000 where records.count < count { records += try await consumer.poll(max: 500, timeout: .milliseconds(10)) }
            return records
        }

        /// Per key, the order in which each event first reached the broker (copies after the first
        /// are what the consumers' inbox skips).
        private func firstArrivals(_ records: [ConsumerRecord]) -> [String: [Int]] {
            var seen = Set<String>()
            var order: [String: [Int]] = [:]
            for record in records {
                guard let id = record.headers.value(of: CloudEventHeader.id), seen.insert(id).inserted,
                    let event = try? OrderApproved.decode(json: record.value, version: 1), let number = Int(event.approvedBy)
                else { continue }
                order[event.orderId, default: []].append(number)
            }
            return order
        }

        @Test("an event is in the outbox only if the business transaction commits")
        func outboxFollowsTheTransaction() async throws {
            try await withOutbox { client, outbox, _ in
                try await publish(approved(1), client, outbox)
                await #expect(throws: (any Error).self) {
                    try await client.withTransaction(logger: PostgresTestServer.logger) { connection in
                        try await outbox.publish(approved(2), in: connection)
                        throw Boom()
                    }
                }
                #expect(try await outbox.pendingCount() == 1)
            }
        }

        @Test("a relay publishes the rows in order with their CloudEvents headers, marks them sent, and retention removes them")
        func relayPublishesInOrder() async throws {
            try await withOutbox { client, outbox, broker in
                for index in 0..<30 { try await publish(approved(index), client, outbox) }
                let relay = OutboxRelay(outbox: outbox, transport: broker, configuration: .init(batchSize: 7))
                let task = Task { try await relay.run() }
                let records = try await published(broker, count: 30)
                for _ in 0..<200 where try await outbox.pendingCount() > 0 { try await Task.sleep(for: .milliseconds(5)) }
                relay.stop()
                try await task.value
                #expect(try await outbox.pendingCount() == 0)
                #expect(relay.statistics.published == 30)
                #expect(firstArrivals(records) == ["o0": Array(stride(from: 0, to: 30, by: 3)), "o1": Array(stride(from: 1, to: 30, by: 3)),
                                                   "o2": Array(stride(from: 2, to: 30, by: 3))])
                #expect(records.allSatisfy { $0.headers.value(of: CloudEventHeader.source) == "/orders" })
                #expect(try await outbox.removeSent(before: 0) == 0, "nothing was sent before 1970")
                #expect(try await outbox.removeSent(before: SystemClock().milliseconds() + 1) == 30)
            }
        }

        @Test("three relays at once: every row reaches the broker, each key's rows in the order they were written, and all three take part")
        func threeRelaysKeepEachKeysOrder() async throws {
            try await withOutbox { client, outbox, broker in
                let relays = (0..<3).map { _ in
                    OutboxRelay(outbox: outbox, transport: broker, configuration: .init(batchSize: 50, idleInterval: .milliseconds(5)))
                }
                let tasks = relays.map { relay in Task { try await relay.run() } }
                // Four writers at once, while the relays run: 2,000 events over 40 keys. Each key is
                // written by one writer (its events are ordered by their business).
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for writer in 0..<4 {
                        group.addTask {
                            for index in stride(from: writer, to: 2_000, by: 4) { try await publish(approved(index, keys: 40), client, outbox) }
                        }
                    }
                    try await group.waitForAll()
                }
                let records = try await published(broker, count: 2_000)
                for relay in relays { relay.stop() }
                for task in tasks { try await task.value }
                let order = firstArrivals(records)
                #expect(order.values.reduce(0) { $0 + $1.count } == 2_000)
                for (key, events) in order {
                    #expect(events == events.sorted(), "\(key) out of order")
                }
                #expect(relays.allSatisfy { $0.statistics.published > 0 }, "relays' shares: \(relays.map(\.statistics.published))")
                #expect(try await outbox.pendingCount() == 0)
            }
        }

        @Test("no gaps: a row of an open transaction holds back its bucket, so a later row of its key is not sent before it")
        func openTransactionHoldsItsBucket() async throws {
            try await withOutbox { client, outbox, broker in
                let inside = AsyncStream<Void>.makeStream()
                let release = AsyncStream<Void>.makeStream()
                // The earlier row: written, not committed yet.
                let earlier = Task {
                    try await client.withTransaction(logger: PostgresTestServer.logger) { connection in
                        try await outbox.publish(approved(0), in: connection)
                        inside.continuation.yield()
                        for await _ in release.stream { break }
                    }
                }
                for await _ in inside.stream { break }
                try await publish(approved(3), client, outbox)  // same key, a larger id, committed first
                var sent: [OutgoingRecord] = []
                #expect(try await outbox.relayNextRows(limit: 100) { sent += $0 } == 0, "the relay took a bucket an open transaction writes to")
                release.continuation.yield()
                try await earlier.value
                #expect(try await outbox.relayNextRows(limit: 100) { sent += $0 } == 2)
                #expect(sent.compactMap { try? OrderApproved.decode(json: $0.value, version: 1).approvedBy } == ["0", "3"])
                _ = broker
            }
        }

        @Test("a relay whose connection is killed mid-batch loses nothing: its buckets are freed and another relay sends its rows")
        func killedRelayConnectionIsTakenOver() async throws {
            try await withOutbox { client, outbox, broker in
                for index in 0..<40 { try await publish(approved(index, keys: 4), client, outbox) }
                do {
                    let killer = client
                    let sentByVictim = Mutex<[OutgoingRecord]>([])
                    await #expect(throws: (any Error).self) {
                        _ = try await outbox.relayNextRows(limit: 1_000) { records in
                            sentByVictim.withLock { $0 = records }
                            // While the victim holds its buckets, no other pass may take them.
                            var stolen = 0
                            _ = try await outbox.relayNextRows(limit: 1_000) { stolen += $0.count }
                            #expect(stolen == 0, "a second pass took rows of buckets the victim holds")
                            // The records reached the broker; then the connection dies before marking.
                            let producer = try await broker.makeProducer(ProducerConfig())
                            _ = try await producer.send(records)
                            let killed = try await killer.count("""
                                SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
                                WHERE datname = current_database() AND pid <> pg_backend_pid() AND state = 'idle in transaction'
                                """)
                            #expect(killed == 1)
                        }
                    }
                    #expect(sentByVictim.withLock { $0.count } > 0)
                }
                // A relay takes over: everything reaches the broker, each key in order (copies of
                // the victim's rows carry the same ce_id).
                let relay = OutboxRelay(outbox: outbox, transport: broker, configuration: .init(idleInterval: .milliseconds(5)))
                let task = Task { try await relay.run() }
                for _ in 0..<400 where try await outbox.pendingCount() > 0 { try await Task.sleep(for: .milliseconds(5)) }
                relay.stop()
                try await task.value
                let records = try await published(broker, count: 40 + 1)
                let order = firstArrivals(records)
                #expect(order.values.reduce(0) { $0 + $1.count } == 40)
                #expect(order.values.allSatisfy { $0 == $0.sorted() })
                #expect(try await outbox.pendingCount() == 0)
            }
        }

        @Test("LISTEN/NOTIFY wakes an idle relay at once: a row written long before its next poll reaches the broker in well under a second")
        func notifyWakesTheRelay() async throws {
            try await withOutbox { client, outbox, broker in
                let relay = OutboxRelay(outbox: outbox, transport: broker, configuration: .init(idleInterval: .seconds(60)))
                let task = Task { try await relay.run() }
                try await Task.sleep(for: .milliseconds(500))  // the relay is idle, listening
                let consumer = try await broker.makeConsumer(ConsumerConfig(groupId: "reader", offsetReset: .earliest))
                try await consumer.subscribe([OrderApproved.topic])
                let written = ContinuousClock.now
                try await publish(approved(1), client, outbox)
                var records: [ConsumerRecord] = []
                while records.isEmpty, ContinuousClock.now - written < .seconds(10) {
                    records = try await consumer.poll(max: 10, timeout: .milliseconds(2))
                }
                let latency = ContinuousClock.now - written
                relay.stop()
                task.cancel()
                _ = await task.result
                #expect(records.count == 1)
                #expect(latency < .seconds(2), "took \(latency) with a 60 s poll: the notification did not wake the relay")
            }
        }

        @Test("a row whose headers are damaged is refused with its id, and nothing of its pass is marked sent")
        func damagedRowIsRefused() async throws {
            try await withOutbox { client, outbox, _ in
                try await publish(approved(0), client, outbox)
                try await client.run("UPDATE \"\(outbox.tables.schema)\".eventc_outbox SET headers = '\\x01'::bytea")
                var sent = 0
                await #expect(throws: OutboxRowDamaged.self) { _ = try await outbox.relayNextRows(limit: 10) { sent += $0.count } }
                #expect(sent == 0)
                #expect(try await outbox.pendingCount() == 1)
            }
        }
    }
}
