import EventRuntime
import GeneratedContracts

/// What the reliability simulation needs of a store: its inbox and outbox, a business
/// transaction that writes to the outbox, a handler's write inside the inbox's transaction, and
/// the faults only that store has. SQLite's and PostgreSQL's conform in their test targets.
public protocol SimulatedStores: Sendable {
    /// The stores' name, for messages.
    var name: String { get }
    var outbox: any OutboxStore { get }
    var inbox: any InboxStore { get }
    /// How many relays run at once (each restarted now and then).
    var relays: Int { get }

    /// Writes `event` to the outbox in a business transaction, which then commits, or rolls back
    /// (throwing `SimulatedRollback`) when `rollback` is set.
    func publish(_ event: OrderApproved, rollback: Bool) async throws

    /// The handler's effect, written on the inbox's transaction (so it commits with the event id).
    func recordEffect(key: String, event: Int) async throws

    /// Every effect in the order it committed.
    func effects() async throws -> [(key: String, event: Int)]

    /// A fault of this store's own (a killed connection, a restarted server), chosen with
    /// `choice`; returns its name for the tally, or nil when it has none.
    func injectFault(_ choice: Int) async throws -> String?
}

extension SimulatedStores {
    public func injectFault(_ choice: Int) async throws -> String? { nil }
}

/// The business transaction's rollback in the simulation.
public struct SimulatedRollback: Error {
    public init() {}
}
