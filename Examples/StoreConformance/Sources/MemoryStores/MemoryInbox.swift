import EventRuntime

/// The inbox: a handler runs inside the transaction that records its event's id, so its writes
/// (through `MemoryDatabase.handlerTransaction`) and the id commit together, or not at all.
public final class MemoryInbox: InboxStore {
    let database: MemoryDatabase

    /// An inbox in `database`.
    public init(database: MemoryDatabase) { self.database = database }

    public func processOnce(id: String, group: String, _ body: @Sendable () async throws -> Void) async throws -> Bool {
        try await database.transaction { transaction in
            guard transaction.write({ $0.processed.insert(group + "/" + id).inserted }) else { return false }
            try await MemoryDatabase.handlerTransaction.run(in: transaction) { try await body() }
            return true
        }
    }

    public func processBatchOnce(ids: [String], group: String, _ body: @Sendable ([Int]) async throws -> Void) async throws -> [Int] {
        try await database.transaction { transaction in
            let fresh = transaction.write { state in ids.indices.filter { state.processed.insert(group + "/" + ids[$0]).inserted } }
            guard !fresh.isEmpty else { return [] }
            try await MemoryDatabase.handlerTransaction.run(in: transaction) { try await body(fresh) }
            return fresh
        }
    }

    /// Keeps every id (an inbox may keep ids longer than asked, never shorter).
    public func removeEntries(group: String, processedBefore cutoff: Int64) async throws -> Int { 0 }
}
