import EventRuntime
import Foundation

/// The outbox: events written in the business transaction, sent by `OutboxRelay` in the order
/// they were written, marked sent in the transaction that handed them out (one relay at a time).
public final class MemoryOutbox: OutboxStore {
    let database: MemoryDatabase
    let source: String
    public let tracing = EventTracing(tracer: nil)

    /// An outbox in `database`, for events whose CloudEvents `source` is `source`.
    public init(database: MemoryDatabase, source: String) {
        self.database = database
        self.source = source
    }

    /// Writes `event` to the outbox inside `transaction` (the business transaction).
    public func publish(_ event: some EventContract, in transaction: MemoryTransaction) throws {
        let record = try EventPublisher.record(for: event, source: source)
        transaction.write { state in
            state.outbox.append((state.nextRowId, record, nil))
            state.nextRowId += 1
        }
    }

    public func relayNextRows(limit: Int, _ send: ([OutgoingRecord]) async throws -> Void) async throws -> Int {
        try await database.transaction { transaction in
            let rows = transaction.write { state in state.outbox.indices.filter { state.outbox[$0].sentAt == nil }.prefix(limit) }
            guard !rows.isEmpty else { return 0 }
            try await send(transaction.write { state in rows.map { state.outbox[$0].record } })
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            transaction.write { state in for row in rows { state.outbox[row].sentAt = now } }
            return rows.count
        }
    }

    public func removeSent(before cutoff: Int64) async throws -> Int {
        try await database.transaction { transaction in
            transaction.write { state in
                let before = state.outbox.count
                state.outbox.removeAll { ($0.sentAt ?? .max) < cutoff }
                return before - state.outbox.count
            }
        }
    }

    public func pendingCount() async throws -> Int {
        database.read { state in state.outbox.count { $0.sentAt == nil } }
    }
}
