import Foundation
import Synchronization

/// Where a consumer group remembers which events it has processed, so a redelivery (after a
/// crash before the commit, or a rebalance) is skipped instead of applied twice.
public protocol InboxStore: Sendable {
    /// Runs `body` unless `id` was already processed by `group`, and records `id` when `body`
    /// succeeds (in one transaction with the body's own writes, when the store has transactions).
    /// Returns false, without running `body`, for a duplicate. If `body` throws, nothing is recorded.
    func processOnce(id: String, group: String, _ body: @Sendable () async throws -> Void) async throws -> Bool

    /// The batch form: runs `body` with the indices of the ids not processed yet (if any), and
    /// records them when it succeeds, all in one transaction. Returns those indices.
    func processBatchOnce(ids: [String], group: String, _ body: @Sendable ([Int]) async throws -> Void) async throws -> [Int]
}

/// An inbox in memory: for tests, and for services whose effects are in memory too.
public final class InMemoryInbox: InboxStore {
    /// Group → the ids it processed, in stripes: partitions are handled in parallel, and one lock
    /// taken twice per event by every core was where the processor spent its time.
    private let stripes = (0..<16).map { _ in Stripe() }

    private final class Stripe: Sendable {
        let sets = Mutex<[String: Set<Entry>]>([:])
    }

    private func stripe(_ entry: Entry) -> Stripe {
        stripes[Int(UInt(bitPattern: entry.hashValue) % UInt(stripes.count))]
    }

    /// CloudEvents ids are UUIDs: kept as 16 bytes they hash in a fraction of the time of their
    /// 36-character text and need no allocation (the inbox was most of the processor's cost).
    private enum Entry: Hashable {
        case uuid(UUID)
        case text(String)

        init(_ id: String) {
            var id = id
            if id.utf8.count == 36, let uuid = id.withUTF8({ UUIDText.parse($0) }) {
                self = .uuid(uuid)
            } else {
                self = .text(id)
            }
        }

        /// A UUID as two words: `UUID`'s own hashing feeds its sixteen bytes one by one.
        func hash(into hasher: inout Hasher) {
            switch self {
            case .uuid(let uuid):
                withUnsafeBytes(of: uuid.uuid) { bytes in
                    hasher.combine(bytes.loadUnaligned(as: UInt64.self))
                    hasher.combine(bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
                }
            case .text(let text):
                hasher.combine(text)
            }
        }
    }

    public init() {}

    public func processOnce(id: String, group: String, _ body: @Sendable () async throws -> Void) async throws -> Bool {
        let entry = Entry(id)
        let stripe = stripe(entry)
        guard !stripe.sets.withLock({ $0[group]?.contains(entry) == true }) else { return false }
        try await body()
        return stripe.sets.withLock { $0[group, default: []].insert(entry).inserted }
    }

    public func processBatchOnce(ids: [String], group: String, _ body: @Sendable ([Int]) async throws -> Void) async throws -> [Int] {
        let entries = ids.map(Entry.init)
        let fresh = entries.indices.filter { index in stripe(entries[index]).sets.withLock { $0[group]?.contains(entries[index]) != true } }
        guard !fresh.isEmpty else { return [] }
        try await body(fresh)
        for index in fresh { _ = stripe(entries[index]).sets.withLock { $0[group, default: []].insert(entries[index]) } }
        return fresh
    }

    /// How many ids the group has recorded.
    public func count(group: String) -> Int {
        stripes.reduce(0) { total, stripe in total + stripe.sets.withLock { $0[group]?.count ?? 0 } }
    }
}
