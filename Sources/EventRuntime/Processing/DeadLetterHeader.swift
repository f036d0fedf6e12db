/// Headers a dead-lettered record carries besides its original ones. The names Spring Kafka
/// uses for the same facts, so its tooling and people who know it read them as they are.
public enum DeadLetterHeader {
    public static let originalTopic = "kafka_dlt-original-topic"
    public static let originalPartition = "kafka_dlt-original-partition"
    public static let originalOffset = "kafka_dlt-original-offset"
    public static let originalTimestamp = "kafka_dlt-original-timestamp"
    public static let originalConsumerGroup = "kafka_dlt-original-consumer-group"
    public static let exceptionType = "kafka_dlt-exception-fqcn"
    public static let exceptionMessage = "kafka_dlt-exception-message"
    /// How many times the handler ran (0 when the record never reached it).
    public static let attempts = "eventcontracts-dlt-attempts"
    /// `deserialization`, `contract-violation` or `exhausted`.
    public static let cause = "eventcontracts-dlt-cause"

    /// The dead-letter record for `record`: key, value and original headers exactly, then the facts.
    static func record(
        for record: ConsumerRecord, topic: String, group: String, cause: DeadLetterCause, error: any Error, attempts: Int
    ) -> OutgoingRecord {
        var headers = record.headers
        headers.append(RecordHeader(originalTopic, record.topic))
        headers.append(RecordHeader(originalPartition, String(record.partition)))
        headers.append(RecordHeader(originalOffset, String(record.offset)))
        headers.append(RecordHeader(originalTimestamp, String(record.timestamp)))
        headers.append(RecordHeader(originalConsumerGroup, group))
        headers.append(RecordHeader(exceptionType, String(reflecting: type(of: error))))
        headers.append(RecordHeader(exceptionMessage, String(describing: error)))
        headers.append(RecordHeader(self.attempts, String(attempts)))
        headers.append(RecordHeader(self.cause, cause.rawValue))
        return OutgoingRecord(topic: topic, key: record.key, value: record.value, headers: headers)
    }
}
