import Synchronization

/// Where a consumer group remembers which events it has processed, so a redelivery (after a
/// crash before the commit, or a rebalance) is skipped instead of applied twice.
public protocol InboxStore: Sendable {
    /// Runs `body` unless `id` was already processed by `group`, and records `id` when `body`
    /// succeeds (in one transaction with the body's own writes, when the store has transactions).
    /// Returns false, without running `body`, for a duplicate. If `body` throws, nothing is recorded.
    func processOnce(id: String, group: String, _ body: @Sendable () async throws -> Void) async throws -> Bool
}

/// An inbox in memory: for tests, and for services whose effects are in memory too.
public final class InMemoryInbox: InboxStore {
    private let processed = Mutex<Set<String>>([])

    public init() {}

    public func processOnce(id: String, group: String, _ body: @Sendable () async throws -> Void) async throws -> Bool {
        let entry = group + "\u{0}" + id
        guard !processed.withLock({ $0.contains(entry) }) else { return false }
        try await body()
        return processed.withLock { $0.insert(entry).inserted }
    }

    /// How many ids the group has recorded.
    public func count(group: String) -> Int {
        let prefix = group + "\u{0}"
        return processed.withLock { $0.filter { $0.hasPrefix(prefix) }.count }
    }
}
