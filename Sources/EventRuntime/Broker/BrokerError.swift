/// What the broker refuses, named as Kafka names it where Kafka has a name, with what to do.
public struct BrokerError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable {
        case unknownTopicOrPartition = "UNKNOWN_TOPIC_OR_PARTITION"
        case topicAlreadyExists = "TOPIC_ALREADY_EXISTS"
        case invalidPartitions = "INVALID_PARTITIONS"
        case invalidRecord = "INVALID_RECORD"
        case recordTooLarge = "RECORD_TOO_LARGE"
        case outOfOrderSequence = "OUT_OF_ORDER_SEQUENCE_NUMBER"
        case invalidProducerEpoch = "INVALID_PRODUCER_EPOCH"
        case producerFenced = "PRODUCER_FENCED"
        case unknownProducerId = "UNKNOWN_PRODUCER_ID"
        case invalidTransactionState = "INVALID_TXN_STATE"
        case offsetOutOfRange = "OFFSET_OUT_OF_RANGE"
        case noOffsetForPartition = "NO_OFFSET_FOR_PARTITION"
        case notAssigned = "PARTITION_NOT_ASSIGNED"
        case unknownMemberId = "UNKNOWN_MEMBER_ID"
        case illegalGeneration = "ILLEGAL_GENERATION"
        case rebalanceInProgress = "REBALANCE_IN_PROGRESS"
        case inconsistentGroupProtocol = "INCONSISTENT_GROUP_PROTOCOL"
        case closed = "CLIENT_CLOSED"
        case brokerNotAvailable = "BROKER_NOT_AVAILABLE"
        case storage = "KAFKA_STORAGE_ERROR"
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }
}

extension BrokerError {
    /// The group rebalanced under the committer (it lost or is handing over the partitions): the
    /// commit is refused and the records go to whoever owns them next. Not a reason to stop.
    public var isCommitRefusedByRebalance: Bool {
        [.rebalanceInProgress, .illegalGeneration, .unknownMemberId, .notAssigned].contains(code)
    }
}
