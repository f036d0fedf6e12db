import EventCore

/// A topic's settings, with Kafka's defaults where they make sense in one process.
public struct TopicConfig: Sendable, Hashable {
    /// How many partitions the topic has; a key always goes to the same one.
    public var partitions: Int
    /// Segments whose newest record is older than this are deleted (`retention.ms`; nil keeps all).
    public var retentionMilliseconds: Int64?
    /// Oldest segments are deleted while the rest still hold this much (`retention.bytes`; nil: no limit).
    public var retentionBytes: Int?
    /// A segment rolls (and becomes deletable) at this size (`segment.bytes`).
    public var segmentBytes: Int
    /// Larger records are refused (`message.max.bytes`).
    public var maxRecordBytes: Int

    /// A topic's settings, a week's retention (Kafka's default), 16 MiB segments and 1 MiB records.
    public init(
        partitions: Int, retentionMilliseconds: Int64? = 7 * 24 * 3_600_000, retentionBytes: Int? = nil,
        segmentBytes: Int = 16 << 20, maxRecordBytes: Int = 1 << 20
    ) {
        self.partitions = partitions
        self.retentionMilliseconds = retentionMilliseconds
        self.retentionBytes = retentionBytes
        self.segmentBytes = segmentBytes
        self.maxRecordBytes = maxRecordBytes
    }
}
