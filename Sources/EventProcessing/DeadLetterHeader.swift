import EventTransport

/// Headers a dead-lettered record carries besides its original ones. The names Spring Kafka
/// uses for the same facts, so its tooling and people who know it read them as they are.
public enum DeadLetterHeader {
    /// The topic the record was first read from.
    public static let originalTopic = "kafka_dlt-original-topic"
    /// Its partition there.
    public static let originalPartition = "kafka_dlt-original-partition"
    /// Its offset there.
    public static let originalOffset = "kafka_dlt-original-offset"
    /// Its timestamp there, in milliseconds since 1970.
    public static let originalTimestamp = "kafka_dlt-original-timestamp"
    /// The consumer group that dead-lettered it.
    public static let originalConsumerGroup = "kafka_dlt-original-consumer-group"
    /// The type of the last error (Spring Kafka's "fully qualified class name").
    public static let exceptionType = "kafka_dlt-exception-fqcn"
    /// The last error's message.
    public static let exceptionMessage = "kafka_dlt-exception-message"
    /// How many times the handler ran (0 when the record never reached it).
    public static let attempts = "eventcontracts-dlt-attempts"
    /// `deserialization`, `contract-violation` or `exhausted`.
    public static let cause = "eventcontracts-dlt-cause"
    /// For a `contract-violation` of a data rule: the field that breaks it (`total.amount`).
    public static let violationField = "eventcontracts-dlt-violation-field"
    /// For a `contract-violation` of a data rule: the rule, as the contract writes it (`min`).
    public static let violationRule = "eventcontracts-dlt-violation-rule"
    /// On a replayed record: the dead letter it was replayed from (`topic-partition@offset`), so a
    /// replayed copy that fails again is dead-lettered again rather than taken for a duplicate.
    public static let replayOf = "eventcontracts-replay-of"

    /// The dead-letter record for `record`: key, value and original headers exactly, then the facts.
    /// A record coming from a retry topic is reported where it was first published.
    static func record(
        for record: ConsumerRecord, topic: String, group: String, cause: DeliveryPolicy.DeadLetterReason, error: any Error, attempts: Int
    ) -> OutgoingRecord {
        let origin = RetryHeader.origin(of: record)
        var headers = record.headers.filter { !RetryHeader.all.contains($0.name) }
        headers.append(RecordHeader(originalTopic, origin.topic))
        headers.append(RecordHeader(originalPartition, String(origin.partition)))
        headers.append(RecordHeader(originalOffset, String(origin.offset)))
        headers.append(RecordHeader(originalTimestamp, String(record.timestamp)))
        headers.append(RecordHeader(originalConsumerGroup, group))
        headers.append(RecordHeader(exceptionType, String(reflecting: type(of: error))))
        headers.append(RecordHeader(exceptionMessage, String(describing: error)))
        headers.append(RecordHeader(self.attempts, String(attempts)))
        headers.append(RecordHeader(self.cause, cause.rawValue))
        if let violation = (error as? ContractViolation)?.violation {
            headers.append(RecordHeader(violationField, violation.field))
            headers.append(RecordHeader(violationRule, violation.rule.rawValue))
        }
        return OutgoingRecord(topic: topic, key: record.key, value: record.value, headers: headers)
    }
}

/// Headers a record carries through retry topics: where it was first published, which attempt
/// comes next and when it may run.
enum RetryHeader {
    static let attempt = "eventcontracts-retry-attempt"
    static let due = "eventcontracts-retry-due"
    static let originalTopic = "eventcontracts-retry-original-topic"
    static let originalPartition = "eventcontracts-retry-original-partition"
    static let originalOffset = "eventcontracts-retry-original-offset"
    static let all: Set<String> = [attempt, due, originalTopic, originalPartition, originalOffset]

    static func origin(of record: ConsumerRecord) -> (topic: String, partition: Int, offset: Int64) {
        guard let topic = record.headers.value(of: originalTopic),
            let partition = record.headers.value(of: originalPartition).flatMap(Int.init),
            let offset = record.headers.value(of: originalOffset).flatMap(Int64.init)
        else { return (record.topic, record.partition, record.offset) }
        return (topic, partition, offset)
    }

    /// `record` moved to the retry topic for its attempt number `next`, due at `due` (ms since 1970).
    static func retryRecord(_ record: ConsumerRecord, baseTopic: String, next: Int, due: Int64) -> OutgoingRecord {
        let origin = origin(of: record)
        var headers = record.headers.filter { !all.contains($0.name) }
        headers.append(RecordHeader(attempt, String(next)))
        headers.append(RecordHeader(self.due, String(due)))
        headers.append(RecordHeader(originalTopic, origin.topic))
        headers.append(RecordHeader(originalPartition, String(origin.partition)))
        headers.append(RecordHeader(originalOffset, String(origin.offset)))
        return OutgoingRecord(topic: "\(baseTopic).retry-\(next - 1)", key: record.key, value: record.value, headers: headers)
    }
}
