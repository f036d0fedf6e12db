#if Kafka
import CRdKafka
import EventTransport

/// A failure librdkafka reports that has no `TransportError` name: configuration, the client's own
/// (local) errors such as a timed-out message, and fatal errors that end the client.
///
/// Why two types: the runtime above the transport seam reacts to `TransportError` (a topic that
/// exists, a commit refused by a rebalance) the same way on either transport, so a Kafka broker's
/// refusal with such a name is thrown as that `TransportError`; everything else is specific to
/// librdkafka and keeps its own name and code here.
public struct KafkaError: Error, Sendable, Hashable, CustomStringConvertible {
    /// librdkafka's name for the error (`rd_kafka_err2name`), e.g. `_MSG_TIMED_OUT` or `NOT_LEADER_OR_FOLLOWER`;
    /// local errors start with `_`. `CONFIGURATION` for a refused setting.
    public var name: String
    /// The `rd_kafka_resp_err_t` code; 0 for a configuration error.
    public var code: Int32
    /// What librdkafka said, with what the runtime was doing.
    public var message: String
    /// Trying again may work (librdkafka already retried inside its timeouts).
    public var isRetriable: Bool
    /// The client cannot go on (e.g. the idempotent producer lost its sequence): make a new one.
    public var isFatal: Bool

    /// An error with librdkafka's name and code.
    public init(name: String, code: Int32, message: String, isRetriable: Bool = false, isFatal: Bool = false) {
        self.name = name
        self.code = code
        self.message = message
        self.isRetriable = isRetriable
        self.isFatal = isFatal
    }

    /// `NAME: message`, with what to do when it is fatal or retriable.
    public var description: String {
        var text = "\(name): \(message)"
        if isFatal {
            text += " (fatal: close this client and create a new one)"
        } else if isRetriable {
            text += " (retriable: try again)"
        }
        return text
    }

    static func configuration(_ message: String) -> KafkaError {
        KafkaError(name: "CONFIGURATION", code: 0, message: message)
    }

    static let closed = TransportError(.closed, "the Kafka client is closed: create a new producer or consumer")
}

extension rd_kafka_resp_err_t {
    static let success = RD_KAFKA_RESP_ERR_NO_ERROR
}

/// Turns librdkafka's error codes and `rd_kafka_error_t` objects into typed Swift errors.
enum KafkaErrors {
    /// Kafka's broker errors that the runtime knows by name.
    private static let brokerCodes: [Int32: TransportError.Code] = [
        RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART.rawValue: .unknownTopicOrPartition,
        RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC.rawValue: .unknownTopicOrPartition,
        RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION.rawValue: .unknownTopicOrPartition,
        RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS.rawValue: .topicAlreadyExists,
        RD_KAFKA_RESP_ERR_INVALID_PARTITIONS.rawValue: .invalidPartitions,
        RD_KAFKA_RESP_ERR_TOPIC_EXCEPTION.rawValue: .invalidTopic,
        RD_KAFKA_RESP_ERR_INVALID_RECORD.rawValue: .invalidRecord,
        RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE.rawValue: .recordTooLarge,
        RD_KAFKA_RESP_ERR_OUT_OF_ORDER_SEQUENCE_NUMBER.rawValue: .outOfOrderSequence,
        RD_KAFKA_RESP_ERR_INVALID_PRODUCER_EPOCH.rawValue: .invalidProducerEpoch,
        RD_KAFKA_RESP_ERR_PRODUCER_FENCED.rawValue: .producerFenced,
        RD_KAFKA_RESP_ERR__FENCED.rawValue: .producerFenced,
        RD_KAFKA_RESP_ERR_UNKNOWN_PRODUCER_ID.rawValue: .unknownProducerId,
        RD_KAFKA_RESP_ERR_INVALID_TXN_STATE.rawValue: .invalidTransactionState,
        RD_KAFKA_RESP_ERR__STATE.rawValue: .invalidTransactionState,
        RD_KAFKA_RESP_ERR_OFFSET_OUT_OF_RANGE.rawValue: .offsetOutOfRange,
        RD_KAFKA_RESP_ERR_UNKNOWN_MEMBER_ID.rawValue: .unknownMemberId,
        RD_KAFKA_RESP_ERR_ILLEGAL_GENERATION.rawValue: .illegalGeneration,
        RD_KAFKA_RESP_ERR_REBALANCE_IN_PROGRESS.rawValue: .rebalanceInProgress,
        RD_KAFKA_RESP_ERR__ASSIGNMENT_LOST.rawValue: .unknownMemberId,
        RD_KAFKA_RESP_ERR_INCONSISTENT_GROUP_PROTOCOL.rawValue: .inconsistentGroupProtocol,
        RD_KAFKA_RESP_ERR_BROKER_NOT_AVAILABLE.rawValue: .brokerNotAvailable,
        RD_KAFKA_RESP_ERR_KAFKA_STORAGE_ERROR.rawValue: .storage,
    ]

    static func name(_ code: rd_kafka_resp_err_t) -> String {
        String(cString: rd_kafka_err2name(code))
    }

    /// The error for a response code, with what was being done.
    static func error(_ code: rd_kafka_resp_err_t, _ doing: String, detail: String? = nil, retriable: Bool = false, fatal: Bool = false) -> any Error {
        let text = detail ?? String(cString: rd_kafka_err2str(code))
        if !fatal, let brokerCode = brokerCodes[code.rawValue] {
            return TransportError(brokerCode, "\(doing): \(text)")
        }
        return KafkaError(name: name(code), code: code.rawValue, message: "\(doing): \(text)", isRetriable: retriable, isFatal: fatal)
    }

    /// Consumes (destroys) an `rd_kafka_error_t`; nil when there was none.
    static func take(_ error: OpaquePointer?, _ doing: String) -> (any Error)? {
        guard let error else { return nil }
        defer { rd_kafka_error_destroy(error) }
        return Self.error(
            rd_kafka_error_code(error), doing, detail: String(cString: rd_kafka_error_string(error)),
            retriable: rd_kafka_error_is_retriable(error) != 0, fatal: rd_kafka_error_is_fatal(error) != 0)
    }

    static func check(_ error: OpaquePointer?, _ doing: String) throws {
        if let error = take(error, doing) { throw error }
    }

    static func check(_ code: rd_kafka_resp_err_t, _ doing: String) throws {
        if code != .success { throw error(code, doing) }
    }
}
#endif
