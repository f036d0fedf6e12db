import EventBroker
import EventProcessing
import EventTestSupport
import Testing

@Suite("Retry backoff")
struct RetryBackoffTests {
    private func policy(_ backoff: DeliveryPolicy.Backoff, initial: Int64, multiplier: Double, max: Int64) -> DeliveryPolicy {
        DeliveryPolicy(
            acks: .all, idempotency: .inbox, retryAttempts: 10, backoff: backoff, initialBackoffMilliseconds: initial,
            backoffMultiplier: multiplier, maxBackoffMilliseconds: max, deadLetterTopic: "t.dlq", deadLetterOn: [.exhausted])
    }

    @Test("exponential: initial × multiplier^(retry − 1), capped at max")
    func exponentialCeilings() {
        let backoff = RetryBackoff(policy: policy(.exponential, initial: 100, multiplier: 2, max: 1_000), seed: 1)
        #expect((1...6).map { backoff.ceiling(forRetry: $0) } == [100, 200, 400, 800, 1_000, 1_000])
        #expect(backoff.ceiling(forRetry: 10_000) == 1_000)
    }

    @Test("fixed: always the initial delay")
    func fixedCeilings() {
        let backoff = RetryBackoff(policy: policy(.fixed, initial: 500, multiplier: 2, max: 500), seed: 1)
        #expect((1...4).map { backoff.ceiling(forRetry: $0) } == [500, 500, 500, 500])
    }

    @Test("jitter stays within [ceiling/2, ceiling], varies, and is reproducible from its seed")
    func jitterBounds() {
        var first = RetryBackoff(policy: policy(.exponential, initial: 100, multiplier: 2, max: 10_000), seed: 42)
        var second = RetryBackoff(policy: policy(.exponential, initial: 100, multiplier: 2, max: 10_000), seed: 42)
        var seen = Set<Duration>()
        for retry in 1...5 {
            for _ in 0..<50 {
                let delay = first.delay(forRetry: retry)
                let ceiling = first.ceiling(forRetry: retry)
                #expect(delay >= .milliseconds(ceiling / 2) && delay <= .milliseconds(ceiling))
                #expect(second.delay(forRetry: retry) == delay)
                seen.insert(delay)
            }
        }
        #expect(seen.count > 20)
    }
}
