import EventCore

/// What a transport refuses — the in-process broker and the Kafka transport alike — named as
/// Kafka names it, with what to do. Code above the seam (the processor, the relay, the tools)
/// reacts to these codes the same way on either transport.
///
/// Codes are values of a struct, not cases of an enum, so a new one can be added without
/// breaking a caller's exhaustive `switch` (swift-service-lifecycle's pattern).
public struct TransportError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Which error it is, by Kafka's name; compare with the constants below.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        /// Kafka's name for the error (`TOPIC_ALREADY_EXISTS`…), or ours where Kafka has none.
        public let name: String

        private init(_ name: String) { self.name = name }

        /// The name, as Kafka writes it.
        public var description: String { name }

        /// The topic does not exist, or has no such partition: create it first (`createTopics(for:)`).
        public static let unknownTopicOrPartition = Code("UNKNOWN_TOPIC_OR_PARTITION")
        /// A topic of that name exists already.
        public static let topicAlreadyExists = Code("TOPIC_ALREADY_EXISTS")
        /// A partition count outside `TopicLimits.partitionRange`, or not the count an existing topic has.
        public static let invalidPartitions = Code("INVALID_PARTITIONS")
        /// A topic name Kafka refuses (`TopicLimits.isValidName`).
        public static let invalidTopic = Code("INVALID_TOPIC_EXCEPTION")
        /// A record the log refuses as malformed.
        public static let invalidRecord = Code("INVALID_RECORD")
        /// A record larger than the topic's `maxRecordBytes` (Kafka's `max.message.bytes`).
        public static let recordTooLarge = Code("RECORD_TOO_LARGE")
        /// An idempotent producer's batch arrived out of sequence: a batch in between was lost.
        public static let outOfOrderSequence = Code("OUT_OF_ORDER_SEQUENCE_NUMBER")
        /// A producer of an older epoch wrote after a newer one with its transactional id started.
        public static let invalidProducerEpoch = Code("INVALID_PRODUCER_EPOCH")
        /// A newer producer with the same transactional id took over: this one must stop.
        public static let producerFenced = Code("PRODUCER_FENCED")
        /// The broker no longer knows the producer's id (its state expired): start a new producer.
        public static let unknownProducerId = Code("UNKNOWN_PRODUCER_ID")
        /// A transactional call in the wrong state (committing with no transaction begun, say).
        public static let invalidTransactionState = Code("INVALID_TXN_STATE")
        /// An offset outside the partition's log (deleted by retention, or not written yet).
        public static let offsetOutOfRange = Code("OFFSET_OUT_OF_RANGE")
        /// No committed offset and an offset reset of `.none`: the consumer will not guess where to start.
        public static let noOffsetForPartition = Code("NO_OFFSET_FOR_PARTITION")
        /// A seek, pause or commit of a partition this consumer does not own (poll first to be assigned).
        public static let notAssigned = Code("PARTITION_NOT_ASSIGNED")
        /// The group no longer knows this member (its session expired): it rejoins on the next poll.
        public static let unknownMemberId = Code("UNKNOWN_MEMBER_ID")
        /// A commit from a generation the group has moved past: another member owns the partitions now.
        public static let illegalGeneration = Code("ILLEGAL_GENERATION")
        /// The group is rebalancing; a commit now is refused and the records are delivered again.
        public static let rebalanceInProgress = Code("REBALANCE_IN_PROGRESS")
        /// A member asked for an assignment strategy the group's other members do not support.
        public static let inconsistentGroupProtocol = Code("INCONSISTENT_GROUP_PROTOCOL")
        /// The producer or consumer was closed.
        public static let closed = Code("CLIENT_CLOSED")
        /// No broker answered: the cluster is down or unreachable.
        public static let brokerNotAvailable = Code("BROKER_NOT_AVAILABLE")
        /// The broker cannot use its storage (a folder that is not a broker's, a read-only broker
        /// asked to write, a disk error); the message names the path.
        public static let storage = Code("KAFKA_STORAGE_ERROR")
    }

    /// Which error, to react to.
    public var code: Code
    /// What happened and what to do, for people.
    public var message: String

    /// An error with `code` and a message that says what to do.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// `CODE: message`.
    public var description: String { "\(code.name): \(message)" }

    /// Refuses a topic name Kafka's broker would refuse (`TopicLimits.isValidName`), with its code.
    public static func checkTopicName(_ name: String) throws(TransportError) {
        guard TopicLimits.isValidName(name) else {
            throw TransportError(.invalidTopic, "'\(name)' is not a valid topic name: \(TopicLimits.nameRule)")
        }
    }

    /// The group rebalanced under the committer (it lost or is handing over the partitions): the
    /// commit is refused and the records go to whoever owns them next. Not a reason to stop.
    public var isCommitRefusedByRebalance: Bool {
        [.rebalanceInProgress, .illegalGeneration, .unknownMemberId, .notAssigned].contains(code)
    }
}
