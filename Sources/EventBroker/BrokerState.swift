import EventTransport
import Metrics

/// Everything the broker knows, behind one lock: every operation is a short critical section
/// that touches a few partitions, so a single lock is simpler than finer ones and, with batched
/// calls, not what limits throughput.
struct BrokerState: Sendable {
    var topics: [String: TopicState] = [:]
    var groups: [String: GroupState] = [:]
    var transactions: [String: TransactionState] = [:]
    var nextProducerId: Int64 = 1
    var nextMemberNumber = 1
    /// Bumped by every append and group change; a poll that found nothing waits for a change.
    var version: UInt64 = 0
    var waiters: [UInt64: PollWaiter] = [:]
    /// What changed in the current critical section, for waking the right waiters.
    var changedTopics: Set<String> = []
    var changedGroups: Set<String> = []
    var nextWaiterId: UInt64 = 1
    var lastRetentionCheck: Int64 = 0
    var closed = false
    var journals: Journals?
    /// Opened with `.readOnlyDirectory`: everything that would write is refused.
    var readOnly: String?

    struct Journals: Sendable {
        var topics: BrokerJournal
        var offsets: BrokerJournal
        var transactions: BrokerJournal
    }

    func checkWritable() throws(TransportError) {
        guard let folder = readOnly else { return }
        throw TransportError(.storage, "the broker was opened read-only on \(folder): open it with .directory to write")
    }

    func topic(_ name: String) throws(TransportError) -> TopicState {
        guard let topic = topics[name] else {
            throw TransportError(.unknownTopicOrPartition, "topic '\(name)' does not exist: create it (or create topics from the generated EventCatalog) first")
        }
        return topic
    }

    func checkPartition(_ partition: TopicPartition) throws(TransportError) {
        let topic = try topic(partition.topic)
        guard partition.partition >= 0, partition.partition < topic.partitions.count else {
            throw TransportError(.unknownTopicOrPartition, "\(partition) does not exist: '\(partition.topic)' has \(topic.partitions.count) partitions")
        }
    }
}

struct TopicState: Sendable {
    var config: TopicConfig
    var partitions: [PartitionLog]
    let produced: Counter
}

/// A poll waiting for records on `topics` or a change in `group`.
struct PollWaiter: Sendable {
    var topics: Set<String>
    var group: String
    var continuation: CheckedContinuation<Void, Never>
}

/// A transactional id's coordinator state.
struct TransactionState: Sendable {
    var producerId: Int64
    var epoch: Int16
    var ongoing = false
    var partitions: Set<TopicPartition> = []
    /// Offsets sent with the transaction: group → partition → next offset, applied on commit.
    var offsets: [String: [TopicPartition: Int64]] = [:]
}
