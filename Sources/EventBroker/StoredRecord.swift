import EventTransport

/// A record as a partition log holds it. Offsets are implicit (the segment's base + index), so a
/// record carries only what the producer sent and what idempotence and transactions need.
struct StoredRecord: Sendable {
    var timestamp: Int64
    var key: [UInt8]?
    var value: [UInt8]
    var headers: [RecordHeader]
    /// -1 for a producer without idempotence.
    var producerId: Int64
    var producerEpoch: Int16
    var flags: Flags

    struct Flags: OptionSet, Sendable {
        var rawValue: UInt8
        /// Written inside a transaction: hidden from read_committed until its commit marker.
        static let transactional = Flags(rawValue: 1)
        /// A commit or abort marker, never delivered to consumers.
        static let control = Flags(rawValue: 2)
        /// With `control`: the marker commits (otherwise it aborts).
        static let commitMarker = Flags(rawValue: 4)
        /// Its transaction aborted: read_committed skips it. Derived (not written): replay sets it.
        static let aborted = Flags(rawValue: 8)
    }

    /// What retention by size counts, roughly Kafka's per-record overhead plus the payload.
    var approximateBytes: Int {
        var bytes = 40 + value.count + (key?.count ?? 0)
        for header in headers { bytes += 8 + header.name.utf8.count + header.value.count }
        return bytes
    }

    static func marker(producerId: Int64, epoch: Int16, commit: Bool, timestamp: Int64) -> StoredRecord {
        StoredRecord(
            timestamp: timestamp, key: nil, value: [], headers: [], producerId: producerId, producerEpoch: epoch,
            flags: commit ? [.control, .transactional, .commitMarker] : [.control, .transactional])
    }
}

/// The idempotent producer's identity on a batch: producer id, epoch, and the sequence number of
/// the batch's first record (sequences count records per partition, from 0).
public struct ProducerIdentity: Sendable, Hashable {
    /// The producer's id, given by the broker.
    public var producerId: Int64
    /// The producer's epoch, bumped when a producer with its transactional id starts again.
    public var epoch: Int16
    /// The sequence number of the batch's first record.
    public var baseSequence: Int32

    /// An identity.
    public init(producerId: Int64, epoch: Int16, baseSequence: Int32) {
        self.producerId = producerId
        self.epoch = epoch
        self.baseSequence = baseSequence
    }
}

/// One producer's records for one partition, with the totals the broker checks and stores,
/// computed once as records are added.
struct RecordBatch: Sendable {
    var partition: TopicPartition
    var producer: ProducerIdentity?
    private(set) var records: [StoredRecord] = []
    private(set) var bytes = 0
    private(set) var largestRecord = 0
    private(set) var maxTimestamp = Int64.min

    init(partition: TopicPartition, producer: ProducerIdentity?) {
        self.partition = partition
        self.producer = producer
    }

    init(partition: TopicPartition, producer: ProducerIdentity?, records: [StoredRecord]) {
        self.init(partition: partition, producer: producer)
        self.records.reserveCapacity(records.count)
        for record in records { append(record) }
    }

    mutating func append(_ record: StoredRecord) {
        let size = record.approximateBytes
        bytes += size
        largestRecord = max(largestRecord, size)
        maxTimestamp = max(maxTimestamp, record.timestamp)
        records.append(record)
    }

    mutating func reserveCapacity(_ count: Int) { records.reserveCapacity(count) }
}
