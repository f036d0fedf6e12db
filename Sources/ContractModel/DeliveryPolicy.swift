/// How a contract's events are produced and consumed: the `delivery:` block, with its defaults.
public struct DeliveryPolicy: Hashable, Sendable {
    public var acks: Located<Acks>
    public var idempotency: Located<Idempotency>
    public var retry: RetryPolicy
    public var dlq: DeadLetterPolicy

    public init(acks: Located<Acks>, idempotency: Located<Idempotency>, retry: RetryPolicy, dlq: DeadLetterPolicy) {
        self.acks = acks
        self.idempotency = idempotency
        self.retry = retry
        self.dlq = dlq
    }

    /// The defaults DESIGN.md lists, located at `location` (where the block is, or would be).
    public static func defaults(at location: SourceLocation) -> DeliveryPolicy {
        DeliveryPolicy(
            acks: Located(.all, at: location),
            idempotency: Located(.inbox, at: location),
            retry: .defaults(at: location),
            dlq: DeadLetterPolicy(topic: nil, on: Located(DeadLetterReason.allCases, at: location), location: location)
        )
    }
}

/// Producer acknowledgements: none (fire and forget), leader, or all in-sync replicas.
public enum Acks: String, Hashable, Sendable, CaseIterable {
    case none, leader, all
}

/// How a consumer makes redelivery harmless.
public enum Idempotency: String, Hashable, Sendable, CaseIterable {
    case none
    case inbox
    case naturalKey = "natural-key"
    case stateMachine = "state-machine"
}

public enum Backoff: String, Hashable, Sendable, CaseIterable {
    case fixed, exponential
}

/// `retry:`: how often and how patiently a failing handler is retried before the DLQ.
public struct RetryPolicy: Hashable, Sendable {
    public var attempts: Located<Int>
    public var backoff: Located<Backoff>
    public var initial: Located<TimeSpan>
    public var multiplier: Located<Double>
    public var max: Located<TimeSpan>

    public init(
        attempts: Located<Int>, backoff: Located<Backoff>, initial: Located<TimeSpan>,
        multiplier: Located<Double>, max: Located<TimeSpan>
    ) {
        self.attempts = attempts
        self.backoff = backoff
        self.initial = initial
        self.multiplier = multiplier
        self.max = max
    }

    public static let attemptsRange = 1...100
    public static let multiplierRange = 1.0...10.0

    public static func defaults(at location: SourceLocation) -> RetryPolicy {
        RetryPolicy(
            attempts: Located(5, at: location),
            backoff: Located(.exponential, at: location),
            initial: Located(TimeSpan(milliseconds: 100), at: location),
            multiplier: Located(2, at: location),
            max: Located(TimeSpan(milliseconds: 10_000), at: location)
        )
    }
}

/// Which failures send a record to the dead-letter topic.
public enum DeadLetterReason: String, Hashable, Sendable, CaseIterable {
    case deserialization
    case contractViolation = "contract-violation"
    case exhausted
}

/// `dlq:`. A nil topic means the default, `<topic>.dlq`.
public struct DeadLetterPolicy: Hashable, Sendable {
    public var topic: Located<String>?
    public var on: Located<[DeadLetterReason]>
    public var location: SourceLocation

    public init(topic: Located<String>?, on: Located<[DeadLetterReason]>, location: SourceLocation) {
        self.topic = topic
        self.on = on
        self.location = location
    }

    public func resolvedTopic(for topic: String) -> String { self.topic?.value ?? "\(topic).dlq" }
}
