import EventTransport
import Foundation

/// One segment of a partition's log: a contiguous run of offsets, deleted whole by retention (as
/// Kafka deletes segment files), written through to a file when the broker is durable.
struct LogSegment: Sendable {
    var baseOffset: Int64
    /// The records in batches as they arrived: a batch's array is moved in whole instead of
    /// copying each record (which would retain and release every key, value and header list).
    private(set) var chunks: [[StoredRecord]] = []
    /// The offset of each chunk's first record.
    private(set) var chunkBases: [Int64] = []
    private(set) var count = 0
    var bytes = 0
    var maxTimestamp = Int64.min
    /// The segment file (durable mode).
    var path: String?
    /// Open only while the segment is the active one (and the broker may write).
    var file: (any StorageFile)?

    /// Small batches are merged into the last chunk, so single-record sends do not leave
    /// thousands of tiny arrays.
    private static let mergeBelow = 64

    init(baseOffset: Int64, path: String? = nil) {
        self.baseOffset = baseOffset
        self.path = path
    }

    var nextOffset: Int64 { baseOffset + Int64(count) }
    var isEmpty: Bool { count == 0 }

    mutating func append(_ records: [StoredRecord], bytes: Int, maxTimestamp: Int64) {
        guard !records.isEmpty else { return }
        if let last = chunks.indices.last, chunks[last].count < Self.mergeBelow, records.count < Self.mergeBelow {
            chunks[last].append(contentsOf: records)
        } else {
            chunkBases.append(nextOffset)
            chunks.append(records)
        }
        count += records.count
        self.bytes += bytes
        self.maxTimestamp = max(self.maxTimestamp, maxTimestamp)
    }

    /// The chunk holding `offset` and the record's index in it.
    func locate(_ offset: Int64) -> (chunk: Int, index: Int) {
        var low = 0
        var high = chunkBases.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if chunkBases[middle] <= offset { low = middle } else { high = middle - 1 }
        }
        return (low, Int(offset - chunkBases[low]))
    }

    mutating func markAborted(producerId: Int64, from first: Int64, to end: Int64) {
        for chunk in chunks.indices {
            let base = chunkBases[chunk]
            let lower = Int(max(first, base) - base)
            let upper = Int(min(end, base + Int64(chunks[chunk].count)) - base)
            guard lower < upper else { continue }
            for index in lower..<upper where chunks[chunk][index].producerId == producerId {
                chunks[chunk][index].flags.insert(.aborted)
            }
        }
    }

    /// The first record at or after `timestamp` (markers aside).
    func firstOffset(atOrAfter timestamp: Int64) -> Int64? {
        guard maxTimestamp >= timestamp else { return nil }
        for (chunk, records) in chunks.enumerated() {
            if let index = records.firstIndex(where: { $0.timestamp >= timestamp && !$0.flags.contains(.control) }) {
                return chunkBases[chunk] + Int64(index)
            }
        }
        return nil
    }
}

/// What an append did.
struct AppendOutcome {
    var baseOffset: Int64
    /// The batch had been stored before (a resend): nothing was written.
    var duplicate: Bool
    /// The file that must reach the disk before `acks: all` may answer.
    var file: (any StorageFile)?
    /// The log end after the append: once `file` is synced, the partition is on disk up to here.
    var logEnd: Int64
}

/// Where a durable partition keeps its segments.
struct PartitionStorage: Sendable {
    /// The broker's folder, for messages that say what to run on it.
    let root: String
    let directory: String
    let fileSystem: any BrokerFileSystem
    /// False when the broker was opened read-only: nothing is created, cut or removed.
    let writable: Bool
}

/// A partition: an ordered log of records, its idempotence table and its open transactions.
struct PartitionLog: Sendable {
    let topicPartition: TopicPartition
    var segments: [LogSegment]
    var producers: [Int64: ProducerEntry] = [:]
    /// Open transactions: producer id → the offset of its first record here.
    var openTransactions: [Int64: Int64] = [:]
    /// The partition's folder (durable mode).
    let storage: PartitionStorage?

    /// A new, empty partition starting at `base` (its first segment file is created, and made to
    /// survive a power failure, when the storage is writable).
    init(topicPartition: TopicPartition, storage: PartitionStorage?, base: Int64 = 0) throws(TransportError) {
        self.topicPartition = topicPartition
        self.storage = storage
        var segment = LogSegment(baseOffset: base)
        if let storage {
            segment.path = Self.segmentPath(storage.directory, base: base)
            if storage.writable { segment.file = try Self.createSegmentFile(base: base, in: storage) }
        }
        segments = [segment]
    }

    /// Creates a segment file and syncs its folder: an fsynced file whose directory entry is not
    /// durable disappears in a power failure, records and all.
    static func createSegmentFile(base: Int64, in storage: PartitionStorage) throws(TransportError) -> any StorageFile {
        try storage.fileSystem.createDirectory(storage.directory)
        let file = try storage.fileSystem.openForAppend(segmentPath(storage.directory, base: base))
        try storage.fileSystem.syncDirectory(storage.directory)
        return file
    }

    var logStartOffset: Int64 { segments[0].baseOffset }
    var logEndOffset: Int64 { segments[segments.count - 1].nextOffset }
    /// Where read_committed consumers stop: the first record of the oldest open transaction.
    var lastStableOffset: Int64 { openTransactions.values.min() ?? logEndOffset }
    var sizeInBytes: Int { segments.reduce(0) { $0 + $1.bytes } }

    static func segmentPath(_ directory: String, base: Int64) -> String {
        let digits = String(base)
        return directory + "/" + String(repeating: "0", count: max(0, 20 - digits.count)) + digits + ".log"
    }

    // MARK: Appending

    mutating func append(_ batch: RecordBatch, config: TopicConfig) throws(TransportError) -> AppendOutcome {
        let producer = batch.producer
        let records = batch.records
        if let producer {
            let verdict = try ProducerEntry.check(
                producers[producer.producerId], producer, count: records.count, partition: topicPartition)
            if case .duplicate(let baseOffset) = verdict {
                return AppendOutcome(baseOffset: baseOffset, duplicate: true, file: nil, logEnd: logEndOffset)
            }
        }
        let active = segments.count - 1
        if segments[active].bytes >= config.segmentBytes, !segments[active].isEmpty {
            try roll()
        }
        let baseOffset = logEndOffset
        let last = segments.count - 1
        if let file = segments[last].file {
            var writer = ByteWriter()
            writer.buffer.reserveCapacity(batch.bytes + 16 * records.count)
            for index in records.indices {
                RecordCodec.encode(
                    records[index], offset: baseOffset + Int64(index),
                    sequence: producer.map { ProducerEntry.sequence($0.baseSequence, plus: index) } ?? -1,
                    batchIndex: Int32(index), batchCount: Int32(records.count), into: &writer)
            }
            try file.append(writer.buffer)
        }
        segments[last].append(records, bytes: batch.bytes, maxTimestamp: batch.maxTimestamp)
        if let producer {
            producers[producer.producerId] = ProducerEntry.recording(
                producers[producer.producerId], producer, count: records.count, baseOffset: baseOffset)
            if records[0].flags.contains(.transactional), openTransactions[producer.producerId] == nil {
                openTransactions[producer.producerId] = baseOffset
            }
        }
        return AppendOutcome(baseOffset: baseOffset, duplicate: false, file: segments[last].file, logEnd: logEndOffset)
    }

    /// Closes the active segment and starts a new one at the log end.
    private mutating func roll() throws(TransportError) {
        let base = logEndOffset
        var segment = LogSegment(baseOffset: base)
        if let storage {
            // The old file must be durable before it stops being the one the flusher syncs:
            // recovery refuses any damage in a sealed segment.
            try segments[segments.count - 1].file?.sync()
            segments[segments.count - 1].file = nil
            segment.path = Self.segmentPath(storage.directory, base: base)
            segment.file = try Self.createSegmentFile(base: base, in: storage)
        }
        segments.append(segment)
    }

    /// Writes a transaction marker and settles the transaction's records here.
    mutating func endTransaction(
        producerId: Int64, epoch: Int16, commit: Bool, timestamp: Int64, config: TopicConfig
    ) throws(TransportError) -> AppendOutcome {
        let marker = StoredRecord.marker(producerId: producerId, epoch: epoch, commit: commit, timestamp: timestamp)
        let first = openTransactions[producerId]
        let outcome = try append(RecordBatch(partition: topicPartition, producer: nil, records: [marker]), config: config)
        if let first, !commit { markAborted(producerId: producerId, from: first, to: outcome.baseOffset) }
        openTransactions[producerId] = nil
        return outcome
    }

    mutating func markAborted(producerId: Int64, from first: Int64, to end: Int64) {
        for index in segments.indices where segments[index].nextOffset > first && segments[index].baseOffset < end {
            segments[index].markAborted(producerId: producerId, from: first, to: end)
        }
    }

    // MARK: Reading

    /// The segment holding `offset` (which must be in the log).
    func segmentIndex(containing offset: Int64) -> Int {
        var low = 0
        var high = segments.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if segments[middle].baseOffset <= offset { low = middle } else { high = middle - 1 }
        }
        return low
    }

    /// Appends up to `max` deliverable records from `position` (below `limit`) to `out`, and
    /// returns the position after the last record looked at: markers and, for read_committed,
    /// aborted records are stepped over, never delivered.
    func read(
        from position: Int64, limit: Int64, max: Int, readCommitted: Bool, into out: inout [ConsumerRecord]
    ) -> Int64 {
        guard position < limit, max > 0 else { return position }
        var offset = position
        var taken = 0
        var segmentIndex = segmentIndex(containing: position)
        let hidden: StoredRecord.Flags = readCommitted ? [.control, .aborted] : [.control]
        let topic = topicPartition.topic
        let partition = topicPartition.partition
        // Geometric growth: a fetch reads partition after partition into one array, and reserving
        // just this partition's share reallocated (and copied) it once per partition.
        let needed = out.count + Swift.min(max, Int(limit - position))
        if out.capacity < needed { out.reserveCapacity(Swift.max(needed, 2 * out.capacity)) }
        while offset < limit, taken < max, segmentIndex < segments.count {
            let segment = segments[segmentIndex]
            // Offsets a repair moved to quarantine are a gap between segments: step over it.
            if offset < segment.baseOffset { offset = Swift.min(segment.baseOffset, limit) }
            let end = Swift.min(limit, segment.nextOffset)
            guard offset < end else {
                segmentIndex += 1
                continue
            }
            var (chunk, index) = segment.locate(offset)
            while offset < end, taken < max {
                segment.chunks[chunk].withUnsafeBufferPointer { records in
                    while index < records.count, offset < end, taken < max {
                        // The copy below retains three cold objects per record: start them early.
                        if index + 8 < records.count, let first = records.baseAddress { Prefetch.fields(of: first + index + 8) }
                        if records[index].flags.isDisjoint(with: hidden) {
                            out.append(
                                ConsumerRecord(
                                    topic: topic, partition: partition, offset: offset, timestamp: records[index].timestamp,
                                    key: records[index].key, value: records[index].value, headers: records[index].headers))
                            taken += 1
                        }
                        offset += 1
                        index += 1
                    }
                }
                chunk += 1
                index = 0
            }
            segmentIndex += 1
        }
        return offset
    }

    /// The first offset whose timestamp is at or after `timestamp`, or the log end if none is.
    func offset(forTimestamp timestamp: Int64) -> Int64 {
        for segment in segments {
            if let offset = segment.firstOffset(atOrAfter: timestamp) { return offset }
        }
        return logEndOffset
    }

    // MARK: Retention

    /// Deletes whole segments, oldest first, that are past `retention.ms` or beyond `retention.bytes`;
    /// the active segment stays. Returns how many records went.
    mutating func applyRetention(now: Int64, config: TopicConfig) -> Int {
        guard storage?.writable ?? true else { return 0 }
        var removed = 0
        var size = sizeInBytes
        while segments.count > 1 {
            let oldest = segments[0]
            let expired = config.retentionMilliseconds.map { oldest.maxTimestamp < now - $0 } ?? false
            let oversized = config.retentionBytes.map { size - oldest.bytes >= $0 } ?? false
            guard expired || oversized else { break }
            if let path = oldest.path, let storage { try? storage.fileSystem.remove(path) }
            size -= oldest.bytes
            removed += oldest.count
            segments.removeFirst()
        }
        if removed > 0, let storage {
            // Best effort: without it, only producers whose records were all deleted lose their window.
            try? ProducerSnapshot.write(producers, validUpTo: logEndOffset, storage: storage)
        }
        return removed
    }
}
