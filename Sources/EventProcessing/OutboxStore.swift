import EventTransport

/// Where a service's transactional outbox keeps the events its business transactions wrote, for
/// `OutboxRelay` to publish: SQLite's (`SQLiteOutbox`) and PostgreSQL's (`PostgresOutbox`).
///
/// The relay needs only these four things, so one relay serves every store; what differs (which
/// rows a relay may take while others run, how it learns that rows were written) is the store's.
public protocol OutboxStore: Sendable {
    /// How each row's trace continues: the relay sends a row in a producer span whose parent is
    /// the context the business transaction stored with it.
    var tracing: EventTracing { get }

    /// Hands the next unsent rows to `send` (at most `limit`; each key's rows in the order they
    /// were written, and none of a key whose earlier rows another relay holds) and marks them
    /// sent when it returns. When `send` throws, nothing is marked: the rows are handed out again.
    /// Returns how many rows went to `send`; 0 when none are waiting that this relay may take.
    func relayNextRows(limit: Int, _ send: ([OutgoingRecord]) async throws -> Void) async throws -> Int

    /// Deletes rows sent before `cutoff` (milliseconds since 1970); returns how many went.
    @discardableResult
    func removeSent(before cutoff: Int64) async throws -> Int

    /// How many rows wait to be sent.
    func pendingCount() async throws -> Int

    /// Calls `rowsWritten` whenever rows may have been written, until the calling task is
    /// cancelled, so an idle relay wakes at once instead of at its next poll. A store that cannot
    /// tell returns at once (the default), and the relay polls every `idleInterval`.
    func watchForWrites(_ rowsWritten: @escaping @Sendable () -> Void) async
}

extension OutboxStore {
    /// Returns at once: a store that cannot tell when rows are written is polled every `idleInterval`.
    public func watchForWrites(_ rowsWritten: @escaping @Sendable () -> Void) async {}
}

/// A stored outbox row that cannot be read back (its headers do not decode): refused, never
/// skipped, so it is not marked sent unsent. The relay logs it and retries; nothing is lost.
public struct OutboxRowDamaged: Error, CustomStringConvertible {
    /// The store, as its type names it (`SQLiteOutbox`).
    public var store: String
    /// The damaged row's id.
    public var rowId: Int64

    /// Row `rowId` of `store` cannot be read.
    public init(store: String, rowId: Int64) {
        self.store = store
        self.rowId = rowId
    }

    /// What it says, in one line.
    public var description: String {
        "outbox row \(rowId) in \(store) cannot be read (its headers are damaged): it was not sent; "
            + "inspect or restore the row (nothing was deleted), and the relay sends it on its next pass"
    }
}
