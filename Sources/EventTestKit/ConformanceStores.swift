import EventProcessing

/// What the store conformance suite (`StoreConformance`) needs of an inbox and outbox: the stores,
/// a business transaction that writes to the outbox, a handler's write inside the inbox's
/// transaction, and the faults only those stores have. SQLite's and PostgreSQL's stores conform
/// in this repository's tests; a store of one's own conforms the same way.
public protocol ConformanceStores: Sendable {
    /// The stores' name, for messages.
    var name: String { get }
    /// The outbox the suite's business transactions write to, and its relays read.
    var outbox: any OutboxStore { get }
    /// The inbox its processors deduplicate with.
    var inbox: any InboxStore { get }
    /// How many relays run at once (each restarted now and then).
    var relays: Int { get }

    /// Writes `event` to the outbox in a business transaction, which then commits, or rolls back
    /// (throwing `ConformanceRollback`) when `rollback` is set.
    func publish(_ event: ConformanceOrder, rollback: Bool) async throws

    /// The handler's effect, written on the inbox's transaction (so it commits with the event id,
    /// or not at all).
    func recordEffect(key: String, event: Int) async throws

    /// Every effect in the order it committed.
    func effects() async throws -> [(key: String, event: Int)]

    /// A fault of these stores' own (a killed connection, a restarted server), chosen with
    /// `choice`; returns its name for the tally, or nil when it has none.
    func injectFault(_ choice: Int) async throws -> String?
}

extension ConformanceStores {
    /// No faults of its own.
    public func injectFault(_ choice: Int) async throws -> String? { nil }
}

/// The business transaction's rollback in the conformance suite: `publish(_:rollback:)` throws
/// it after rolling back.
public struct ConformanceRollback: Error {
    /// The rollback.
    public init() {}
}
