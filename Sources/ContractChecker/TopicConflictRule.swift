import ContractModel

/// Several events may share a topic (all of an order's events on `orders`, keyed by orderId, stay
/// in order), but a topic has one partition count and one retention, and its key must hash the
/// same way for every event on it.
public struct TopicConflictRule: CrossContractRule {
    /// The rule ids it reports.
    public var ids: [RuleID] { [.topicConflict] }

    /// The rule.
    public init() {}

    /// Every problem it finds among `contracts`.
    public func check(_ contracts: [Contract]) -> [Diagnostic] {
        var byTopic: [String: [Contract]] = [:]
        for contract in contracts {
            guard let topic = contract.topic?.value else { continue }
            byTopic[topic, default: []].append(contract)
        }
        var diagnostics: [Diagnostic] = []
        for (topic, sharing) in byTopic where sharing.count > 1 {
            let ordered = sharing.sorted { $0.location < $1.location }
            let reference = ordered[0]
            let referenceName = reference.event?.value ?? reference.file
            for other in ordered.dropFirst() {
                if other.partitions.value != reference.partitions.value {
                    diagnostics.append(.error(
                        .topicConflict,
                        "topic '\(topic)' has \(other.partitions.value) partitions here but \(reference.partitions.value) in \(referenceName) (\(reference.file))",
                        at: other.partitions.location, hint: "contracts on one topic must agree on partitions"))
                }
                if other.retention.value != reference.retention.value {
                    diagnostics.append(.error(
                        .topicConflict,
                        "topic '\(topic)' keeps events \(other.retention.value) here but \(reference.retention.value) in \(referenceName) (\(reference.file))",
                        at: other.retention.location, hint: "contracts on one topic must agree on retention"))
                }
                if let otherKey = keyType(of: other), let referenceKey = keyType(of: reference),
                    otherKey.type != referenceKey.type
                {
                    diagnostics.append(.error(
                        .topicConflict,
                        "topic '\(topic)' is keyed by \(otherKey.label) here but by \(referenceKey.label) in \(referenceName) (\(reference.file))",
                        at: other.key?.location ?? other.location,
                        hint: "events on one topic must hash the same key type, or per-key order breaks"))
                }
            }
        }
        return diagnostics
    }

    /// The key's type in the newest version ("string", an enum's name, or "none"), and how to
    /// name it in a message. Field names may differ between events; what must agree is the type.
    private func keyType(of contract: Contract) -> (type: String, label: String)? {
        guard let key = contract.key else { return nil }
        guard case .field(let name) = key.value else { return ("none", "none") }
        guard let type = contract.latestVersion?.field(named: name)?.type else { return nil }
        return (type.description, "'\(name)' (\(type))")
    }
}
