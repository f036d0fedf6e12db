import EventRuntime
import EventRuntimeSQLite
import EventTestSupport
import Foundation
import GeneratedContracts
import Testing

@Suite("The application's own schema and transactions")
struct ApplicationSchemaTests {
    @Test("migrate runs each step once, in order, across reopenings; a new step runs alone; newer databases are refused")
    func migrationsRunOnce() async throws {
        let path = scratchFolder + "/migrations-\(UUID().uuidString).sqlite"
        let steps = [
            "CREATE TABLE invoices (order_id TEXT PRIMARY KEY, amount TEXT NOT NULL)",
            "INSERT INTO invoices (order_id, amount) VALUES ('seed', '0')",
        ]
        #expect(try await SQLiteDatabase(path: path).migrate("billing", steps: steps) == 2)
        let reopened = try SQLiteDatabase(path: path)
        #expect(try await reopened.migrate("billing", steps: steps) == 0, "nothing runs twice")
        #expect(try await reopened.migrate("billing", steps: steps + ["ALTER TABLE invoices ADD COLUMN paid_at INTEGER"]) == 1)
        // Another schema in the same database keeps its own count.
        #expect(try await reopened.migrate("audit", steps: ["CREATE TABLE audit (line TEXT)"]) == 1)
        let rows = try await reopened.transaction { try $0.query("SELECT order_id, paid_at FROM invoices") }
        #expect(rows == [[.text("seed"), .null]])
        await #expect(throws: SQLiteError.self, "code that knows fewer steps than were applied is refused") {
            try await reopened.migrate("billing", steps: steps)
        }
    }

    @Test("a failing step rolls back alone: the steps before it stay applied, and it runs again next time")
    func failingStepRollsBack() async throws {
        let database = try SQLiteDatabase(path: scratchFolder + "/failing-\(UUID().uuidString).sqlite")
        await #expect(throws: SQLiteError.self) {
            try await database.migrate("s", steps: ["CREATE TABLE a (x INTEGER)", "CREATE TABLE oops (", "CREATE TABLE b (x INTEGER)"])
        }
        #expect(try await database.migrate("s", steps: ["CREATE TABLE a (x INTEGER)", "CREATE TABLE c (x INTEGER)"]) == 1)
    }

    @Test("a handler that needs the SQLite transaction, run with another inbox, stops the processor loudly: nothing skipped, nothing committed")
    func requiredTransactionFailsLoudly() async throws {
        let broker = try InProcessBroker(.testing(clock: SystemClock()))
        try broker.createTopics(for: EventCatalog.contracts)
        let processor = EventProcessor(
            transport: broker, configuration: .init(groupId: "payments", pollTimeout: .milliseconds(10), sleep: { _ in }),
            handlers: [EventHandlerRegistration(OrderCreated.self) { order, _ in
                let transaction = try SQLiteInbox.requiredTransaction()
                _ = try transaction.execute("INSERT INTO payments (order_id) VALUES (?)", [.text(order.orderId)])
            }],
            inbox: InMemoryInbox())
        let task = Task { try await processor.run() }
        let publisher = EventPublisher(sink: try await broker.makeProducer(ProducerConfig()), source: "/tests")
        try await publisher.publish(OrderCreated(orderId: "o-1", customerId: "c", items: [], total: .init(amount: "1")))
        let error = await #expect(throws: EventProcessorError.self) { try await task.value }
        #expect(error?.underlying is SQLiteInbox.NotInTransaction)
        let explanation = error.map { "\($0.underlying)" } ?? ""
        #expect(explanation.contains("give the processor the SQLiteInbox (EventProcessor(…, inbox: SQLiteInbox(database:)))"), "\(explanation)")
        #expect(processor.statistics.handled == 0 && processor.statistics.deadLettered == 0 && processor.statistics.skipped == 0)
        #expect(broker.groupLag(group: "payments", topics: [OrderCreated.topic]).values.reduce(0, +) == 1, "not committed")
    }
}
