import EventTransport
import Foundation
import Synchronization

/// An inbox in memory: for tests, and for services whose effects are in memory too.
///
/// The processor asks it once per event, from every core at once, so it is built for that: ids
/// in 64 lock stripes chosen by the id's hash, each stripe holding
/// a short list of groups (a processor has one; a list scan is a string compare, not a hash),
/// and UUID ids — CloudEvents ids mostly are — as two words in a `UUIDHashSet`. Other ids go to
/// a plain `Set<String>`.
///
/// It forgets in generations: `removeEntries` closes the current generation and drops the closed
/// one once all of it is older than the cutoff. An id is so kept at least as long as asked and
/// at most about twice that, and a lookup reads one table, or two after the first call.
///
/// An id is recorded when its body starts, and taken back if the body throws: one lock and one
/// probe of the table per event, where looking the id up before the body and recording it after
/// took two of each (at hundreds of thousands of ids a probe is a cache miss). So while a body
/// runs, another call for the same id returns false at once instead of running it a second time
/// beside the first; if the first then fails, the event's later delivery or retry runs it.
public final class InMemoryInbox: InboxStore {
    private let stripes: [Stripe]
    private let seed = UInt64.random(in: 0...UInt64.max)

    private final class Stripe: Sendable {
        let groups = Mutex<[GroupIds]>([])
    }

    /// One group's ids in one stripe: the current generation and, once one was closed, the one before.
    private struct GroupIds {
        let group: String
        var current: Generation
        var closed: Generation?
        /// When `current` began (ms since 1970): everything in `closed` is older.
        var currentSince: Int64

        init(group: String, seed: UInt64, now: Int64) {
            self.group = group
            current = Generation(uuids: UUIDHashSet(seed: seed))
            currentSince = now
        }

        func contains(_ id: Entry) -> Bool {
            current.contains(id) || closed?.contains(id) == true
        }

        mutating func insert(_ id: Entry) -> Bool {
            guard closed?.contains(id) != true else { return false }
            return current.insert(id)
        }

        mutating func remove(_ id: Entry) {
            if !current.remove(id) { _ = closed?.remove(id) }
        }

        var count: Int { current.count + (closed?.count ?? 0) }

        /// Drops the closed generation if it is all older than `cutoff`; then, with none closed,
        /// closes the current one. Returns how many ids went.
        mutating func forget(before cutoff: Int64, now: Int64, seed: UInt64) -> Int {
            var removed = 0
            if let closed, currentSince <= cutoff {
                removed = closed.count
                self.closed = nil
            }
            if closed == nil {
                closed = current
                current = Generation(uuids: UUIDHashSet(seed: seed))
                currentSince = now
            }
            return removed
        }
    }

    private struct Generation {
        var uuids: UUIDHashSet
        var texts: Set<String> = []

        func contains(_ id: Entry) -> Bool {
            switch id {
            case .uuid(let key): uuids.contains(key)
            case .text(let text): texts.contains(text)
            }
        }

        mutating func insert(_ id: Entry) -> Bool {
            switch id {
            case .uuid(let key): uuids.insert(key)
            case .text(let text): texts.insert(text).inserted
            }
        }

        mutating func remove(_ id: Entry) -> Bool {
            switch id {
            case .uuid(let key): uuids.remove(key)
            case .text(let text): texts.remove(text) != nil
            }
        }

        var count: Int { uuids.count + texts.count }
    }

    private enum Entry {
        case uuid(UUIDHashSet.Key)
        case text(String)
    }

    /// An empty inbox.
    public init() {
        stripes = (0..<64).map { _ in Stripe() }
    }

    private func entry(_ id: String) -> Entry {
        var id = id
        return id.withUTF8 { uuidEntry($0) } ?? .text(id)
    }

    private func entry(utf8 id: [UInt8]) -> Entry {
        id.withUnsafeBufferPointer { uuidEntry($0) } ?? .text(String(decoding: id, as: UTF8.self))
    }

    /// The entry for an id in UUID text form; nil for any other id.
    private func uuidEntry(_ utf8: UnsafeBufferPointer<UInt8>) -> Entry? {
        guard let words = UUIDText.words(utf8) else { return nil }
        return .uuid(UUIDHashSet.Key(uuid: words, seed: seed))
    }

    private func stripe(_ entry: Entry) -> Stripe {
        // The top bits: a set's slot comes from the low ones.
        let hash = switch entry {
        case .uuid(let key): key.hash
        case .text(let text): UInt64(bitPattern: Int64(text.hashValue))
        }
        return stripes[Int(truncatingIfNeeded: hash >> 58)]
    }

    /// Where `group` is in a stripe's list. A loop over the names: `firstIndex(where:)` and
    /// `contains(where:)` copied every `GroupIds` they looked at (a retain of each of its tables).
    private static func index(of group: String, in groups: [GroupIds]) -> Int? {
        var index = 0
        while index < groups.count {
            if groups[index].group == group { return index }
            index += 1
        }
        return nil
    }

    /// `body` on `group`'s ids in `stripe`, under its lock; nil when the stripe has none. In place
    /// (`inout`, the array's in-place accessor): reading `groups[index]` would copy them.
    private func withIds<Result>(of group: String, in stripe: Stripe, _ body: (inout GroupIds) -> Result) -> Result? {
        stripe.groups.withLock { groups in
            guard let index = Self.index(of: group, in: groups) else { return nil }
            return body(&groups[index])
        }
    }

    private func contains(_ entry: Entry, group: String, in stripe: Stripe) -> Bool {
        withIds(of: group, in: stripe) { $0.contains(entry) } ?? false
    }

    private func insert(_ entry: Entry, group: String, in stripe: Stripe) -> Bool {
        stripe.groups.withLock { groups in
            if let index = Self.index(of: group, in: groups) { return groups[index].insert(entry) }
            groups.append(GroupIds(group: group, seed: seed, now: SystemClock().milliseconds()))
            return groups[groups.count - 1].insert(entry)
        }
    }

    /// Runs `body` unless `group` already processed the id; records the id when `body` succeeds.
    public nonisolated(nonsending) func processOnce(
        id: String, group: String, _ body: @Sendable () async throws -> Void
    ) async throws -> Bool {
        try await processOnce(entry(id), group: group, body)
    }

    /// Runs `body` unless `group` already processed the id (its UTF-8 bytes); records it when `body` succeeds.
    public nonisolated(nonsending) func processOnce(
        utf8Id: [UInt8], group: String, _ body: nonisolated(nonsending) @Sendable () async throws -> Void
    ) async throws -> Bool {
        try await processOnce(entry(utf8: utf8Id), group: group, body)
    }

    /// Nonsending, like the methods above, so the processor's call and the handler's run on its
    /// task without a hop to the global executor and back per event (~5 of its CPU).
    private nonisolated(nonsending) func processOnce(
        _ entry: Entry, group: String, _ body: nonisolated(nonsending) @Sendable () async throws -> Void
    ) async throws -> Bool {
        let stripe = stripe(entry)
        guard insert(entry, group: group, in: stripe) else { return false }
        do {
            try await body()
        } catch {
            _ = withIds(of: group, in: stripe) { $0.remove(entry) }
            throw error
        }
        return true
    }

    /// Runs `body` with the positions of the ids `group` has not processed, and records them when it succeeds.
    public func processBatchOnce(ids: [String], group: String, _ body: @Sendable ([Int]) async throws -> Void) async throws -> [Int] {
        let entries = ids.map(entry)
        let fresh = entries.indices.filter { !contains(entries[$0], group: group, in: stripe(entries[$0])) }
        guard !fresh.isEmpty else { return [] }
        try await body(fresh)
        for index in fresh { _ = insert(entries[index], group: group, in: stripe(entries[index])) }
        return fresh
    }

    /// How many ids the group has recorded.
    public func count(group: String) -> Int {
        sumOverStripes(group) { $0.count }
    }

    /// Forgets the ids `group` processed before `cutoff` (milliseconds since 1970), a generation at a
    /// time, so an id may stay up to about one retention longer; returns how many were forgotten.
    @discardableResult
    public func removeEntries(group: String, processedBefore cutoff: Int64) -> Int {
        let now = SystemClock().milliseconds()
        return sumOverStripes(group) { $0.forget(before: cutoff, now: now, seed: seed) }
    }

    /// `body` applied to the group's ids in every stripe that has some, summed.
    private func sumOverStripes(_ group: String, _ body: (inout GroupIds) -> Int) -> Int {
        stripes.reduce(0) { total, stripe in total + (withIds(of: group, in: stripe, body) ?? 0) }
    }
}
