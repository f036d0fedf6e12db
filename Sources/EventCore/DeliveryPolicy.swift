/// A contract's compatibility mode (Confluent's names): which versions must read which.
public enum CompatibilityLevel: String, Sendable, Hashable, CaseIterable {
    /// Nothing is checked: coordinate readers and writers by hand.
    case none = "NONE"
    /// Each version reads the data the version before it wrote: upgrade consumers first.
    case backward = "BACKWARD"
    /// Each version reads the data every earlier version wrote: upgrade consumers first.
    case backwardTransitive = "BACKWARD_TRANSITIVE"
    /// The version before reads the data each new version writes: upgrade producers first.
    case forward = "FORWARD"
    /// Every earlier version reads the data each new version writes: upgrade producers first.
    case forwardTransitive = "FORWARD_TRANSITIVE"
    /// Backward and forward against the version before: either side may upgrade first.
    case full = "FULL"
    /// Backward and forward against every earlier version: either side may upgrade first.
    case fullTransitive = "FULL_TRANSITIVE"
}

/// A contract's `delivery:` block, resolved: how its events are produced, retried and
/// dead-lettered. One definition serves the contract compiler (which reads it from YAML and
/// writes it into generated code) and the runtime (the producer and the processor apply it).
public struct DeliveryPolicy: Sendable, Hashable {
    /// Producer acknowledgements: none (fire and forget), the leader, or all in-sync replicas.
    public enum Acks: String, Sendable, Hashable, CaseIterable {
        /// Answered at once, before the record is stored: it may be lost.
        case none
        /// Answered once the partition's leader stored it.
        case leader
        /// Answered once every in-sync replica stored it (on the in-process broker: fsynced).
        case all
    }

    /// How a consumer makes a redelivery harmless.
    public enum Idempotency: String, Sendable, Hashable, CaseIterable {
        /// Nothing: a redelivered event is handled again (at least once).
        case none
        /// The inbox records each event id the group processed, in the handler's transaction, and
        /// skips an id it has seen.
        case inbox
        /// The inbox records the fact itself (key, event type, version and value), so the same
        /// fact sent again under a new id is skipped too.
        case naturalKey = "natural-key"
        /// The handler's registration says whether the event was already applied to its state.
        case stateMachine = "state-machine"
    }

    /// How the wait between a handler's attempts grows.
    public enum Backoff: String, Sendable, Hashable, CaseIterable {
        /// The initial wait every time.
        case fixed
        /// The initial wait times the multiplier after each attempt, up to the maximum.
        case exponential
    }

    /// Why a record goes to the dead-letter topic; `dlq.on` lists the ones a contract sends there.
    public enum DeadLetterReason: String, Sendable, Hashable, CaseIterable {
        /// The value did not decode (or its envelope headers were missing or wrong).
        case deserialization
        /// A `ContractViolation`: well-formed, but against the contract's rules. Never retried.
        case contractViolation = "contract-violation"
        /// The handler failed on every attempt, or failed with a `NonRetryableError`.
        case exhausted
    }

    /// How many acknowledgements a producer waits for (`delivery.acks`).
    public var acks: Acks
    /// How a consumer makes a redelivery harmless (`delivery.idempotency`).
    public var idempotency: Idempotency
    /// How many times a handler runs before its record is dead-lettered, the first included.
    public var retryAttempts: Int
    /// How the wait between attempts grows.
    public var backoff: Backoff
    /// The wait before the second attempt, in milliseconds.
    public var initialBackoffMilliseconds: Int64
    /// What an exponential backoff multiplies the wait by after each attempt.
    public var backoffMultiplier: Double
    /// The longest wait between attempts, in milliseconds.
    public var maxBackoffMilliseconds: Int64
    /// Where records that cannot be handled go (`<topic>.dlq` unless the contract names one).
    public var deadLetterTopic: String
    /// The reasons that send a record to the dead-letter topic (`dlq.on`).
    public var deadLetterOn: Set<DeadLetterReason>

    /// A policy; generated code writes each contract's, and ``defaults(topic:)`` is what a
    /// contract that says nothing gets.
    public init(
        acks: Acks, idempotency: Idempotency, retryAttempts: Int, backoff: Backoff, initialBackoffMilliseconds: Int64,
        backoffMultiplier: Double, maxBackoffMilliseconds: Int64, deadLetterTopic: String, deadLetterOn: Set<DeadLetterReason>
    ) {
        self.acks = acks
        self.idempotency = idempotency
        self.retryAttempts = retryAttempts
        self.backoff = backoff
        self.initialBackoffMilliseconds = initialBackoffMilliseconds
        self.backoffMultiplier = backoffMultiplier
        self.maxBackoffMilliseconds = maxBackoffMilliseconds
        self.deadLetterTopic = deadLetterTopic
        self.deadLetterOn = deadLetterOn
    }

    /// What a contract that says nothing gets: `acks: all`, inbox idempotency, 5 attempts with
    /// exponential backoff from 100 ms (×2, at most 10 s), then `<topic>.dlq` for every reason.
    public static func defaults(topic: String) -> DeliveryPolicy {
        DeliveryPolicy(
            acks: .all, idempotency: .inbox, retryAttempts: 5, backoff: .exponential, initialBackoffMilliseconds: 100,
            backoffMultiplier: 2, maxBackoffMilliseconds: 10_000, deadLetterTopic: defaultDeadLetterTopic(for: topic),
            deadLetterOn: Set(DeadLetterReason.allCases))
    }

    /// `<topic>.dlq`, where a contract's dead letters go unless it names a topic.
    public static func defaultDeadLetterTopic(for topic: String) -> String { topic + ".dlq" }

    /// The limits the contract language allows (`RETRY_OUT_OF_RANGE` outside them).
    public static let retryAttemptsRange = 1...100
    /// The multipliers the contract language allows (`RETRY_OUT_OF_RANGE` outside them).
    public static let backoffMultiplierRange = 1.0...10.0
}
