import ContractModel
import EventCore

/// Topic names Kafka accepts, a partition count in range, and a dead-letter topic that is not the
/// topic itself (dead-lettering into the source would redeliver the poison message forever).
public struct TopicRule: LintRule {
    /// `INVALID_TOPIC`, `PARTITIONS_OUT_OF_RANGE`, `DLQ_SAME_AS_TOPIC`.
    public var ids: [RuleID] { [.invalidTopic, .partitionsOutOfRange, .dlqSameAsTopic] }

    /// The rule.
    public init() {}

    /// The topic and DLQ names against `TopicLimits.isValidName`, the partitions against its
    /// range, and the DLQ against the topic.
    public func check(_ contract: Contract, context: LintContext) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        for (label, topic) in [("topic", contract.topic), ("DLQ topic", contract.delivery.dlq.topic)] {
            guard let topic, !TopicLimits.isValidName(topic.value) else { continue }
            diagnostics.append(.error(
                .invalidTopic, "\(label) '\(topic.value)' is not a valid Kafka topic name", at: topic.location,
                hint: "\(TopicLimits.nameRule), such as payments.payment-completed"))
        }
        if !TopicLimits.partitionRange.contains(contract.partitions.value) {
            diagnostics.append(.error(
                .partitionsOutOfRange,
                "partitions must be between \(TopicLimits.partitionRange.lowerBound) and \(TopicLimits.partitionRange.upperBound), found \(contract.partitions.value)",
                at: contract.partitions.location))
        }
        if let topic = contract.topic, let dlq = contract.delivery.dlq.topic, dlq.value == topic.value {
            diagnostics.append(.error(
                .dlqSameAsTopic, "the DLQ topic is the event's own topic '\(topic.value)'", at: dlq.location,
                hint: "remove 'topic' to use '\(topic.value).dlq', or name another topic"))
        }
        return diagnostics
    }
}
