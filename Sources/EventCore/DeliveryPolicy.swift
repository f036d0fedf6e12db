/// A contract's compatibility mode (Confluent's names): which versions must read which.
public enum CompatibilityLevel: String, Sendable, Hashable, CaseIterable {
    case none = "NONE"
    case backward = "BACKWARD"
    case backwardTransitive = "BACKWARD_TRANSITIVE"
    case forward = "FORWARD"
    case forwardTransitive = "FORWARD_TRANSITIVE"
    case full = "FULL"
    case fullTransitive = "FULL_TRANSITIVE"
}

/// A contract's `delivery:` block, resolved: how its events are produced, retried and
/// dead-lettered. One definition serves the contract compiler (which reads it from YAML and
/// writes it into generated code) and the runtime (the producer and the processor apply it).
public struct DeliveryPolicy: Sendable, Hashable {
    /// Producer acknowledgements: none (fire and forget), the leader, or all in-sync replicas.
    public enum Acks: String, Sendable, Hashable, CaseIterable { case none, leader, all }

    /// How a consumer makes a redelivery harmless.
    public enum Idempotency: String, Sendable, Hashable, CaseIterable {
        case none, inbox
        case naturalKey = "natural-key"
        case stateMachine = "state-machine"
    }

    public enum Backoff: String, Sendable, Hashable, CaseIterable { case fixed, exponential }

    /// Why a record goes to the dead-letter topic; `dlq.on` lists the ones a contract sends there.
    public enum DeadLetterReason: String, Sendable, Hashable, CaseIterable {
        /// The value did not decode (or its envelope headers were missing or wrong).
        case deserialization
        /// A `ContractViolation`: well-formed, but against the contract's rules. Never retried.
        case contractViolation = "contract-violation"
        /// The handler failed on every attempt, or failed with a `NonRetryableError`.
        case exhausted
    }

    public var acks: Acks
    public var idempotency: Idempotency
    public var retryAttempts: Int
    public var backoff: Backoff
    public var initialBackoffMilliseconds: Int64
    public var backoffMultiplier: Double
    public var maxBackoffMilliseconds: Int64
    public var deadLetterTopic: String
    public var deadLetterOn: Set<DeadLetterReason>

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
    public static let backoffMultiplierRange = 1.0...10.0
}
