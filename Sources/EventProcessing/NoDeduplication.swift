import EventTransport

/// The inbox of a processor given none: every body runs and nothing is remembered, so contracts
/// that ask for deduplication are handled at least once, as `EventProcessor.init` documents.
struct NoDeduplication: InboxStore {
    nonisolated(nonsending) func processOnce(id: String, group: String, _ body: @Sendable () async throws -> Void) async throws -> Bool {
        try await body()
        return true
    }

    /// Without the default's String: the id is not needed.
    nonisolated(nonsending) func processOnce(
        utf8Id: [UInt8], group: String, _ body: nonisolated(nonsending) @Sendable () async throws -> Void
    ) async throws -> Bool {
        try await body()
        return true
    }

    func processBatchOnce(ids: [String], group: String, _ body: @Sendable ([Int]) async throws -> Void) async throws -> [Int] {
        try await body(Array(ids.indices))
        return Array(ids.indices)
    }

    func removeEntries(group: String, processedBefore cutoff: Int64) async throws -> Int { 0 }
}
