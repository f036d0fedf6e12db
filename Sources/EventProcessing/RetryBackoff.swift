import EventTransport

/// The wait before a retry, from the contract's `retry:` policy: fixed, or exponential
/// (`initial × multiplier^(retry − 1)`), capped at `max`, with "equal jitter" (a random point
/// in the upper half), so consumers that failed together do not retry in lockstep.
public struct RetryBackoff: Sendable {
    /// The contract's policy: its backoff, initial wait, multiplier and maximum.
    public var policy: DeliveryPolicy
    private var generator: SplitMix64

    /// Backoff for `policy`; `seed` decides the jitter (tests fix it).
    public init(policy: DeliveryPolicy, seed: UInt64 = UInt64.random(in: 0...UInt64.max)) {
        self.policy = policy
        generator = SplitMix64(seed: seed)
    }

    /// The capped delay before retry number `retry` (1 for the first retry), without jitter.
    public func ceiling(forRetry retry: Int) -> Int64 {
        let initial = max(0, policy.initialBackoffMilliseconds)
        let cap = max(initial, policy.maxBackoffMilliseconds)
        switch policy.backoff {
        case .fixed:
            return min(initial, cap)
        case .exponential:
            var delay = Double(initial)
            for _ in 1..<max(1, retry) {
                delay *= max(1, policy.backoffMultiplier)
                if delay >= Double(cap) { return cap }
            }
            return min(Int64(delay), cap)
        }
    }

    /// The delay to wait before retry number `retry`: between half the ceiling and the ceiling.
    public mutating func delay(forRetry retry: Int) -> Duration {
        let ceiling = ceiling(forRetry: retry)
        guard ceiling > 1 else { return .milliseconds(ceiling) }
        let half = ceiling / 2
        return .milliseconds(half + Int64(generator.next() % UInt64(ceiling - half + 1)))
    }
}
