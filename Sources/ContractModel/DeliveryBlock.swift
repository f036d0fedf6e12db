import EventCore

/// A contract's `delivery:` block as written, each value located (where it was written, or where
/// the block is when the default applies). The checker resolves it into the runtime's
/// `DeliveryPolicy`, whose enums it already uses: one definition of each policy type.
public struct DeliveryBlock: Hashable, Sendable {
    /// `acks:`.
    public var acks: Located<DeliveryPolicy.Acks>
    /// `idempotency:`.
    public var idempotency: Located<DeliveryPolicy.Idempotency>
    /// `retry:`.
    public var retry: RetryBlock
    /// `dlq:`.
    public var dlq: DeadLetterBlock

    /// A block as the parser read it.
    public init(
        acks: Located<DeliveryPolicy.Acks>, idempotency: Located<DeliveryPolicy.Idempotency>, retry: RetryBlock, dlq: DeadLetterBlock
    ) {
        self.acks = acks
        self.idempotency = idempotency
        self.retry = retry
        self.dlq = dlq
    }

    /// The runtime's defaults (`DeliveryPolicy.defaults`), located at `location` (where the block
    /// is, or would be).
    public static func defaults(at location: SourceLocation) -> DeliveryBlock {
        let policy = DeliveryPolicy.defaults(topic: "")
        return DeliveryBlock(
            acks: Located(policy.acks, at: location),
            idempotency: Located(policy.idempotency, at: location),
            retry: .defaults(at: location),
            dlq: DeadLetterBlock(
                topic: nil, on: Located(DeliveryPolicy.DeadLetterReason.allCases, at: location), location: location)
        )
    }
}

/// `retry:`: how often and how patiently a failing handler is retried before the DLQ.
public struct RetryBlock: Hashable, Sendable {
    /// `attempts:`: how many times the handler runs, the first included.
    public var attempts: Located<Int>
    /// `backoff:`: `fixed` or `exponential`.
    public var backoff: Located<DeliveryPolicy.Backoff>
    /// `initial:`: the wait before the second attempt.
    public var initial: Located<TimeSpan>
    /// `multiplier:`: what an exponential backoff multiplies the wait by.
    public var multiplier: Located<Double>
    /// `max:`: the longest wait.
    public var max: Located<TimeSpan>

    /// A block as the parser read it.
    public init(
        attempts: Located<Int>, backoff: Located<DeliveryPolicy.Backoff>, initial: Located<TimeSpan>,
        multiplier: Located<Double>, max: Located<TimeSpan>
    ) {
        self.attempts = attempts
        self.backoff = backoff
        self.initial = initial
        self.multiplier = multiplier
        self.max = max
    }

    /// The runtime's defaults (`DeliveryPolicy.defaults`), located at `location`.
    public static func defaults(at location: SourceLocation) -> RetryBlock {
        let policy = DeliveryPolicy.defaults(topic: "")
        return RetryBlock(
            attempts: Located(policy.retryAttempts, at: location),
            backoff: Located(policy.backoff, at: location),
            initial: Located(TimeSpan(milliseconds: policy.initialBackoffMilliseconds), at: location),
            multiplier: Located(policy.backoffMultiplier, at: location),
            max: Located(TimeSpan(milliseconds: policy.maxBackoffMilliseconds), at: location)
        )
    }
}

/// `dlq:`. A nil topic means the default, `<topic>.dlq`.
public struct DeadLetterBlock: Hashable, Sendable {
    /// `topic:`, or nil for the default.
    public var topic: Located<String>?
    /// `on:`: the reasons that dead-letter a record.
    public var on: Located<[DeliveryPolicy.DeadLetterReason]>
    /// Where the block is (or would be), for diagnostics about it as a whole.
    public var location: SourceLocation

    /// A block as the parser read it.
    public init(topic: Located<String>?, on: Located<[DeliveryPolicy.DeadLetterReason]>, location: SourceLocation) {
        self.topic = topic
        self.on = on
        self.location = location
    }

    /// The dead-letter topic of an event published to `topic`: the one named, or `<topic>.dlq`.
    public func resolvedTopic(for topic: String) -> String { self.topic?.value ?? DeliveryPolicy.defaultDeadLetterTopic(for: topic) }
}
