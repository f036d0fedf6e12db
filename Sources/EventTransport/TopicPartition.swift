import EventCore

/// A partition of a topic: the unit of ordering, assignment and offsets.
public struct TopicPartition: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The topic's name.
    public var topic: String
    /// The partition's number, from 0.
    public var partition: Int

    /// Partition `partition` of `topic`.
    public init(_ topic: String, _ partition: Int) {
        self.topic = topic
        self.partition = partition
    }

    /// Orders as the reports do.
    public static func < (lhs: TopicPartition, rhs: TopicPartition) -> Bool {
        (lhs.topic, lhs.partition) < (rhs.topic, rhs.partition)
    }

    /// What it says, in one line.
    public var description: String { "\(topic)-\(partition)" }
}

/// A record as a consumer receives it.
public struct ConsumerRecord: Sendable, Hashable {
    /// The topic it was read from.
    public var topic: String
    /// The partition it was read from.
    public var partition: Int
    /// Its offset in the partition.
    public var offset: Int64
    /// Milliseconds since 1970: the producer's create time.
    public var timestamp: Int64
    /// Its key's bytes, or nil for a keyless record.
    public var key: [UInt8]?
    /// Its value's bytes: the encoded event.
    public var value: [UInt8]
    /// Its headers, in the order they were written (the CloudEvents attributes among them).
    public var headers: [RecordHeader]

    /// A record as a consumer returns it.
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

    /// Its topic and partition together.
    public var topicPartition: TopicPartition { TopicPartition(topic, partition) }
}

/// Where an acknowledged record was stored.
public struct RecordMetadata: Sendable, Hashable {
    /// The topic the record was stored in.
    public var topic: String
    /// The partition the record was stored in.
    public var partition: Int
    /// The record's offset; -1 when it was sent with `acks: none` (nothing was waited for).
    public var offset: Int64
    /// The record's timestamp, in milliseconds since 1970.
    public var timestamp: Int64

    /// Where a sent record was stored.
    public init(topic: String, partition: Int, offset: Int64, timestamp: Int64) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.timestamp = timestamp
    }
}
