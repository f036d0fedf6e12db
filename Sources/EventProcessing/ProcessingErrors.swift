import EventTransport

/// Conform a handler's error to this when retrying cannot help (a rejected card, a record that
/// refers to nothing): the record goes to the dead-letter topic at once, attempt 1.
public protocol NonRetryableError: Error {}

/// The event is well-formed JSON but breaks the contract's rules (a business invariant the
/// schema cannot express). Never retried; dead-lettered with reason `contract-violation`.
public struct ContractViolation: NonRetryableError, CustomStringConvertible {
    /// Which rule the event breaks, for the dead-letter record and the person who reads it.
    public var message: String
    /// The contract's data rule the event breaks, when the processor found it (`validate()`
    /// after decoding); its field and rule travel in the dead letter's headers.
    public var violation: EventRuleViolation?

    /// A violation of the rule `message` states.
    public init(_ message: String) { self.message = message }

    /// The event breaks a data rule of its contract.
    public init(_ violation: EventRuleViolation) {
        self.message = violation.description
        self.violation = violation
    }

    /// `contract violation: message`.
    public var description: String { "contract violation: \(message)" }
}

/// A handler error about the setup, not the event (a handler that needs the SQLite inbox's
/// transaction given another inbox, say): the processor stops at once with an
/// `EventProcessorError`, committing nothing from that record on, instead of retrying or
/// dead-lettering every event while the setup is wrong.
public protocol MisconfigurationError: Error {}

/// The processor could not do what it must not skip (publish to the dead-letter topic, commit),
/// or was cancelled while a record could still succeed: it stops without committing, so the
/// records are read again after a restart.
public struct EventProcessorError: Error, CustomStringConvertible {
    /// Which records, and what the processor was doing.
    public var message: String
    /// The error that stopped it.
    public var underlying: any Error

    /// `message: underlying`.
    public var description: String { "\(message): \(underlying)" }
}
