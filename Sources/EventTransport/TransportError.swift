import EventCore

/// What a transport refuses — the in-process broker and the Kafka transport alike — named as
/// Kafka names it, with what to do. Code above the seam (the processor, the relay, the tools)
/// reacts to these codes the same way on either transport.
///
/// Codes are values of a struct, not cases of an enum, so a new one can be added without
/// breaking a caller's exhaustive `switch` (swift-service-lifecycle's pattern).
public struct TransportError: Error, Sendable, Hashable, CustomStringConvertible {
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        /// Kafka's name for the error (`TOPIC_ALREADY_EXISTS`…), or ours where Kafka has none.
        public let name: String

        private init(_ name: String) { self.name = name }

        public var description: String { name }

        @available(*, deprecated, renamed: "name")
        public var rawValue: String { name }

        public static let unknownTopicOrPartition = Code("UNKNOWN_TOPIC_OR_PARTITION")
        public static let topicAlreadyExists = Code("TOPIC_ALREADY_EXISTS")
        public static let invalidPartitions = Code("INVALID_PARTITIONS")
        /// A topic name Kafka refuses (`TopicLimits.isValidName`).
        public static let invalidTopic = Code("INVALID_TOPIC_EXCEPTION")
        public static let invalidRecord = Code("INVALID_RECORD")
        public static let recordTooLarge = Code("RECORD_TOO_LARGE")
        public static let outOfOrderSequence = Code("OUT_OF_ORDER_SEQUENCE_NUMBER")
        public static let invalidProducerEpoch = Code("INVALID_PRODUCER_EPOCH")
        public static let producerFenced = Code("PRODUCER_FENCED")
        public static let unknownProducerId = Code("UNKNOWN_PRODUCER_ID")
        public static let invalidTransactionState = Code("INVALID_TXN_STATE")
        public static let offsetOutOfRange = Code("OFFSET_OUT_OF_RANGE")
        public static let noOffsetForPartition = Code("NO_OFFSET_FOR_PARTITION")
        public static let notAssigned = Code("PARTITION_NOT_ASSIGNED")
        public static let unknownMemberId = Code("UNKNOWN_MEMBER_ID")
        public static let illegalGeneration = Code("ILLEGAL_GENERATION")
        public static let rebalanceInProgress = Code("REBALANCE_IN_PROGRESS")
        public static let inconsistentGroupProtocol = Code("INCONSISTENT_GROUP_PROTOCOL")
        public static let closed = Code("CLIENT_CLOSED")
        public static let brokerNotAvailable = Code("BROKER_NOT_AVAILABLE")
        public static let storage = Code("KAFKA_STORAGE_ERROR")
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

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

/// The in-process broker's error type before the Kafka transport shared it.
@available(*, deprecated, renamed: "TransportError")
public typealias BrokerError = TransportError
