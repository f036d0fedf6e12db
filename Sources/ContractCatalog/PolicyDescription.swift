import ContractChecker
import ContractModel
import EventCore

/// A contract's settings in words, for readers who do not know Kafka's vocabulary.
enum PolicyDescription {
    static func key(_ contract: CheckedContract) -> String {
        guard let key = contract.keyField else {
            return "No partition key: events spread over the partitions, so consumers see them in no particular order."
        }
        return "Events with the same \(key) go to the same partition, so every consumer sees one \(key)'s events "
            + "in the order they were published. Events of different \(key) values may interleave."
    }

    static func compatibility(_ mode: CompatibilityLevel) -> String {
        switch mode {
        case .none: "Not checked: any change is allowed, so producers and consumers must be upgraded together."
        case .backward: "Backward: a consumer on a new version reads events written with the previous one. Upgrade consumers first."
        case .backwardTransitive: "Backward transitive: a consumer on a new version reads events written with any earlier one. Upgrade consumers first."
        case .forward: "Forward: a consumer still on the previous version reads events written with the new one. Upgrade producers first."
        case .forwardTransitive: "Forward transitive: consumers on any earlier version read events written with the new one. Upgrade producers first."
        case .full: "Full: the new and the previous version read each other's events. Upgrade in any order."
        case .fullTransitive: "Full transitive: every version reads every other version's events. Upgrade in any order."
        }
    }

    static func encoding(_ encoding: EventEncoding) -> String {
        switch encoding {
        case .json: "Each record's value is the event's canonical JSON."
        case .avro: "Each record's value is Avro binary in Confluent's frame (byte 0, the schema id, the body), written with the version's Avro schema."
        }
    }

    static func retention(_ retention: Retention) -> String {
        switch retention {
        case .forever: "Kept for ever: a new consumer can replay the whole history."
        case .duration(let span): "Kept for \(duration(span.milliseconds)): a consumer can replay that much history."
        }
    }

    /// One sentence per part of the policy: acknowledgement, deduplication, retries, dead letters.
    static func delivery(_ policy: DeliveryPolicy) -> [String] {
        var sentences: [String] = []
        switch policy.acks {
        case .all: sentences.append("A publish succeeds once every in-sync replica has the event (acks=all): an acknowledged event survives losing a broker.")
        case .leader: sentences.append("A publish succeeds once the partition's leader has the event (acks=1): it can be lost if that broker fails before replicating it.")
        case .none: sentences.append("A publish is not acknowledged (acks=0): events can be lost without anyone knowing.")
        }
        switch policy.idempotency {
        case .inbox: sentences.append("Delivery is at least once; consumers keep an inbox of event ids and skip one already processed, so each event takes effect once.")
        case .naturalKey: sentences.append("Delivery is at least once; consumers skip an event whose key, type, version and content were already applied, even under a new id.")
        case .stateMachine: sentences.append("Delivery is at least once; each handler's state machine decides whether an event was already applied.")
        case .none: sentences.append("Delivery is at least once and nothing deduplicates: handlers must tolerate the same event twice.")
        }
        let attempts = policy.retryAttempts == 1 ? "1 attempt" : "\(policy.retryAttempts) attempts"
        switch policy.backoff {
        case .fixed:
            sentences.append("A failing handler gets \(attempts), \(duration(policy.initialBackoffMilliseconds)) apart.")
        case .exponential:
            sentences.append("A failing handler gets \(attempts), waiting \(duration(policy.initialBackoffMilliseconds)) first, "
                + "then \(number(policy.backoffMultiplier))× longer each time, at most \(duration(policy.maxBackoffMilliseconds)).")
        }
        let reasons = DeliveryPolicy.DeadLetterReason.allCases.filter { policy.deadLetterOn.contains($0) }.map(reason)
        if reasons.isEmpty {
            sentences.append("Nothing is dead-lettered: a failure that outlasts its retries is logged and skipped.")
        } else {
            sentences.append("An event that \(list(reasons)) goes to the dead-letter topic \(policy.deadLetterTopic), where it can be listed and replayed.")
        }
        return sentences
    }

    private static func reason(_ reason: DeliveryPolicy.DeadLetterReason) -> String {
        switch reason {
        case .deserialization: "cannot be decoded"
        case .contractViolation: "breaks its contract"
        case .exhausted: "still fails after its last attempt"
        }
    }

    static func list(_ items: [String]) -> String {
        switch items.count {
        case 0: ""
        case 1: items[0]
        default: items.dropLast().joined(separator: ", ") + " or " + items[items.count - 1]
        }
    }

    /// 100 ms, 10 s, 7 days: the largest unit that divides the span.
    static func duration(_ milliseconds: Int64) -> String {
        let units: [(Int64, String, String)] = [
            (86_400_000, "day", "days"), (3_600_000, "hour", "hours"), (60_000, "minute", "minutes"), (1000, "s", "s"),
        ]
        for (size, one, many) in units where milliseconds >= size && milliseconds % size == 0 {
            let count = milliseconds / size
            return one == "s" ? "\(count) s" : "\(count) \(count == 1 ? one : many)"
        }
        return "\(milliseconds) ms"
    }

    private static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e9 ? String(Int64(value)) : String(value)
    }
}
