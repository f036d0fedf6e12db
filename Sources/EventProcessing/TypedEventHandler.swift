import EventTransport

/// A registration's handler with its event type still known, so the processor's per-event step
/// can be generic over the event: the decoded event stays in that step's frame between decoding
/// and handling. (Erasing it behind a closure that carried the event was a heap allocation per
/// event.) A protocol, with one conformer, because only a protocol's existential can be opened
/// into a generic parameter.
protocol TypedEventHandler: Sendable {
    associatedtype Event: EventContract
    /// For `idempotency: state-machine`: whether the event fits the entity's current state.
    var transition: (nonisolated(nonsending) @Sendable (Event, EventContext) async throws -> StateTransition)? { get }
    var handle: nonisolated(nonsending) @Sendable (Event, EventContext) async throws -> Void { get }
}

/// The handler functions of a per-event registration.
struct EventHandlerFunctions<Event: EventContract>: TypedEventHandler {
    let transition: (nonisolated(nonsending) @Sendable (Event, EventContext) async throws -> StateTransition)?
    let handle: nonisolated(nonsending) @Sendable (Event, EventContext) async throws -> Void
}
