import EventTransport
import Foundation
import Synchronization

/// Where a consumer group remembers which events it has processed, so a redelivery (after a
/// crash before the commit, or a rebalance) is skipped instead of applied twice.
public protocol InboxStore: Sendable {
    /// Runs `body` unless `id` was already processed by `group`, and records `id` when `body`
    /// succeeds (in one transaction with the body's own writes, when the store has transactions).
    /// Returns false, without running `body`, for a duplicate. If `body` throws, nothing is recorded.
    /// A store may treat an id whose body is still running as a duplicate (the in-memory one
    /// does; a transactional one waits for that transaction).
    ///
    /// `nonisolated(nonsending)`: a store whose method is too runs on the caller's task without a
    /// hop to the global executor and back (the processor calls this per event); any other
    /// `async` method, an actor's too, still conforms, and runs as it did.
    nonisolated(nonsending) func processOnce(id: String, group: String, _ body: @Sendable () async throws -> Void) async throws -> Bool

    /// `processOnce(id:group:_:)` with the id as the UTF-8 bytes of the record's `ce_id` header.
    /// A store that reads them as they are spares the processor a String per event (for a UUID,
    /// an allocation); the default makes the String. `body` is `nonisolated(nonsending)` too: a
    /// store that calls it from a nonsending method runs the handler on the processor's task,
    /// with no hop per event (the default runs it as the String form does).
    nonisolated(nonsending) func processOnce(
        utf8Id: [UInt8], group: String, _ body: nonisolated(nonsending) @Sendable () async throws -> Void
    ) async throws -> Bool

    /// The batch form: runs `body` with the indices of the ids not processed yet (if any), and
    /// records them when it succeeds, all in one transaction. Returns those indices.
    func processBatchOnce(ids: [String], group: String, _ body: @Sendable ([Int]) async throws -> Void) async throws -> [Int]

    /// Forgets ids `group` processed before `cutoff` (milliseconds since 1970), so the store does
    /// not grow for ever; the processor calls it for its `inboxRetention`. A store may keep an id
    /// longer than asked (the in-memory one forgets in generations), never shorter. Returns how
    /// many ids went.
    @discardableResult
    func removeEntries(group: String, processedBefore cutoff: Int64) async throws -> Int
}

extension InboxStore {
    public nonisolated(nonsending) func processOnce(
        utf8Id: [UInt8], group: String, _ body: nonisolated(nonsending) @Sendable () async throws -> Void
    ) async throws -> Bool {
        try await processOnce(id: String(decoding: utf8Id, as: UTF8.self), group: group, body)
    }
}
