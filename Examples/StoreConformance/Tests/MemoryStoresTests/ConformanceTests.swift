import EventRuntime
import EventTestKit
import MemoryStores
import Testing

/// The stores as EventTestKit's conformance suite sees them: the outbox in the producing
/// service's database, the inbox and the handlers' effects in the consuming one's.
struct MemoryConformanceStores: ConformanceStores {
    let source = MemoryDatabase()
    let effectsDatabase = MemoryDatabase()
    let memoryOutbox: MemoryOutbox
    let inbox: any InboxStore
    /// A bug to prove the suite catches: the handler writes to another database, outside the
    /// inbox's transaction, so a handler that fails after writing leaves its write.
    let writesOutsideTransaction: Bool
    let otherDatabase = MemoryDatabase()

    var name: String { writesOutsideTransaction ? "memory (writes outside the transaction)" : "memory" }
    var outbox: any OutboxStore { memoryOutbox }
    var relays: Int { 2 }

    init(writesOutsideTransaction: Bool = false) {
        memoryOutbox = MemoryOutbox(database: source, source: "/conformance")
        inbox = MemoryInbox(database: effectsDatabase)
        self.writesOutsideTransaction = writesOutsideTransaction
    }

    func publish(_ event: ConformanceOrder, rollback: Bool) async throws {
        try await source.transaction { transaction in
            try memoryOutbox.publish(event, in: transaction)
            if rollback { throw ConformanceRollback() }
        }
    }

    func recordEffect(key: String, event: Int) async throws {
        if writesOutsideTransaction {
            try await otherDatabase.transaction { $0.write { $0.effects.append((key, event)) } }
            return
        }
        try MemoryDatabase.handlerTransaction.required().write { $0.effects.append((key, event)) }
    }

    func effects() async throws -> [(key: String, event: Int)] {
        (writesOutsideTransaction ? otherDatabase : effectsDatabase).read(\.effects)
    }
}

@Suite("Memory stores against EventTestKit's conformance suite")
struct ConformanceTests {
    @Test("the stores conform: nothing committed lost, no effect twice, each key in order, the DLQ exact")
    func storesConform() async throws {
        let violations = try await StoreConformance.run(seeds: StoreConformance.seeds(runs: 2)) { MemoryConformanceStores() }
        #expect(violations.isEmpty, "\(violations)")
    }

    @Test("the suite catches a store whose handler writes escape the inbox's transaction")
    func suiteCatchesABrokenStore() async throws {
        let violations = try await StoreConformance.run(seeds: StoreConformance.seeds(runs: 1)) {
            MemoryConformanceStores(writesOutsideTransaction: true)
        }
        #expect(violations.contains { $0.message.contains("effects differ") }, "\(violations)")
    }

    @Test("a redelivered event runs its handler once")
    func redeliveryRunsOnce() async throws {
        let database = MemoryDatabase()
        let statistics = try await StoreConformance.deliverTwice(inbox: MemoryInbox(database: database)) { order in
            try MemoryDatabase.handlerTransaction.required().write { $0.effects.append((order.orderId, 1)) }
        }
        #expect(statistics.handled == 1 && statistics.duplicatesSkipped == 1)
        #expect(database.read(\.effects).count == 1)
    }
}
