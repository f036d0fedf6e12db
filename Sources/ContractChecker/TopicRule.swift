import ContractModel

/// Topic names Kafka accepts, a partition count in range, and a dead-letter topic that is not the
/// topic itself (dead-lettering into the source would redeliver the poison message forever).
public struct TopicRule: LintRule {
    public var ids: [RuleID] { [.invalidTopic, .partitionsOutOfRange, .dlqSameAsTopic] }

    public init() {}

    /// Kafka's rule: 1 to 249 of [A-Za-z0-9._-], and not "." or "..".
    public static func isValidTopic(_ name: String) -> Bool {
        guard (1...249).contains(name.utf8.count), name != ".", name != ".." else { return false }
        return name.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
        }
    }

    public func check(_ contract: Contract, context: LintContext) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        for (label, topic) in [("topic", contract.topic), ("DLQ topic", contract.delivery.dlq.topic)] {
            guard let topic, !Self.isValidTopic(topic.value) else { continue }
            diagnostics.append(.error(
                .invalidTopic, "\(label) '\(topic.value)' is not a valid Kafka topic name", at: topic.location,
                hint: "use 1 to 249 of A-Z a-z 0-9 . _ -, such as payments.payment-completed"))
        }
        if !Contract.partitionRange.contains(contract.partitions.value) {
            diagnostics.append(.error(
                .partitionsOutOfRange,
                "partitions must be between \(Contract.partitionRange.lowerBound) and \(Contract.partitionRange.upperBound), found \(contract.partitions.value)",
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
