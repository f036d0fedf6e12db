import EventCore

/// A partition of a topic: the unit of ordering, assignment and offsets.
public struct TopicPartition: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var topic: String
    public var partition: Int

    public init(_ topic: String, _ partition: Int) {
        self.topic = topic
        self.partition = partition
    }

    public static func < (lhs: TopicPartition, rhs: TopicPartition) -> Bool {
        (lhs.topic, lhs.partition) < (rhs.topic, rhs.partition)
    }

    public var description: String { "\(topic)-\(partition)" }
}

/// A record as a consumer receives it.
public struct ConsumerRecord: Sendable, Hashable {
    public var topic: String
    public var partition: Int
    public var offset: Int64
    /// Milliseconds since 1970: the producer's create time.
    public var timestamp: Int64
    public var key: [UInt8]?
    public var value: [UInt8]
    public var headers: [RecordHeader]

    public init(
        topic: String, partition: Int, offset: Int64, timestamp: Int64, key: [UInt8]?, value: [UInt8],
        headers: [RecordHeader]
    ) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.timestamp = timestamp
        self.key = key
        self.value = value
        self.headers = headers
    }

    public var topicPartition: TopicPartition { TopicPartition(topic, partition) }
}

/// Where an acknowledged record was stored.
public struct RecordMetadata: Sendable, Hashable {
    public var topic: String
    public var partition: Int
    /// The record's offset; -1 when it was sent with `acks: none` (nothing was waited for).
    public var offset: Int64
    public var timestamp: Int64

    public init(topic: String, partition: Int, offset: Int64, timestamp: Int64) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.timestamp = timestamp
    }
}
