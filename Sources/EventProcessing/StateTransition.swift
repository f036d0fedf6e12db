import EventTransport

/// What a state-machine guard (contracts with `idempotency: state-machine`) says about an event
/// given the entity's current state.
public enum StateTransition: Sendable, Hashable {
    /// The event moves the state forward: handle it.
    case apply
    /// The state already reflects it (a redelivery): skip it, and count it as a duplicate.
    case alreadyApplied
    /// It arrived before the state it needs (out of order): set it aside to retry later.
    case park
}
