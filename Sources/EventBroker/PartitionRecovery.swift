import EventTransport
import Logging

/// What reopening a durable partition found.
struct RecoveryReport: Sendable {
    var records = 0
    /// Bytes of a torn tail: cut when writable, left in place (and not read) when read-only.
    var tornBytes = 0
    /// Files in the partition's folder the broker did not write; they are left alone.
    var foreignFiles: [String] = []
    /// The producer snapshot did not read back; the idempotence table was rebuilt from the records.
    var snapshotUnreadable = false
}

/// The files in a partition's folder, sorted out by name.
struct PartitionFolder {
    /// Segment files by base offset.
    var segments: [(base: Int64, path: String)] = []
    /// Offsets where a repair left a gap: a segment may start past the previous one's end there.
    var gaps: Set<Int64> = []
    var foreign: [String] = []

    static let snapshotNames: Set<String> = ["producers.snapshot", "producers.snapshot.tmp"]

    init(_ storage: PartitionStorage) throws(TransportError) {
        let fileSystem = storage.fileSystem
        for name in try fileSystem.list(storage.directory) {
            let path = storage.directory + "/" + name
            if let base = Self.base(of: name, suffix: ".log") {
                let kind = fileSystem.kind(of: path)
                guard kind == .regular else {
                    throw TransportError(.storage, "\(path) is \(kind.description), not a segment file the broker wrote: move it out of \(storage.directory)")
                }
                segments.append((base, path))
            } else if let base = Self.base(of: name, suffix: ".gap") {
                gaps.insert(base)
            } else if !Self.snapshotNames.contains(name) {
                foreign.append(name)
            }
        }
    }

    /// The offset in a name of 20 digits and `suffix`, as the broker names its files.
    static func base(of name: String, suffix: String) -> Int64? {
        guard name.hasSuffix(suffix), name.utf8.count == 20 + suffix.utf8.count else { return nil }
        let digits = name.dropLast(suffix.count)
        guard digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return Int64(digits)
    }

    static func gapPath(_ directory: String, base: Int64) -> String {
        String(PartitionLog.segmentPath(directory, base: base).dropLast(4)) + ".gap"
    }
}

extension PartitionLog {
    /// Reopens a partition from its segment files, following Kafka's model: records up to the
    /// recovery point were flushed, so damage there, or anywhere in a sealed segment (sealed ones
    /// are fsynced when the next one starts), is refused with `StorageDamage`, never cut. Past the
    /// recovery point, a torn tail (nothing intact after it) is what a crash leaves: it held no
    /// acknowledged record and is cut (read-only: skipped). The idempotence table and open
    /// transactions are rebuilt by replaying the records, so a producer's resend after a restart
    /// is still recognised.
    static func recover(
        _ topicPartition: TopicPartition, storage: PartitionStorage, recoveryPoint: Int64?
    ) throws(TransportError) -> (PartitionLog, RecoveryReport) {
        let fileSystem = storage.fileSystem
        var report = RecoveryReport()
        switch fileSystem.kind(of: storage.directory) {
        case .directory: break
        case .missing where (recoveryPoint ?? 0) == 0:
            return (try PartitionLog(topicPartition: topicPartition, storage: storage), report)
        case .missing:
            throw StorageDamage(
                path: storage.directory, place: "(the folder is missing)",
                reason: "the recovery checkpoint says records up to offset \(recoveryPoint ?? 0) were flushed to it",
                root: storage.root
            ).transportError
        case let other:
            throw TransportError(.storage, "\(storage.directory) is \(other.description), not a partition folder: move it away")
        }
        let folder = try PartitionFolder(storage)
        report.foreignFiles = folder.foreign
        guard !folder.segments.isEmpty else {
            if let recoveryPoint, recoveryPoint > 0 {
                throw StorageDamage(
                    path: storage.directory, place: "(no segment files)",
                    reason: "the recovery checkpoint says records up to offset \(recoveryPoint) were flushed to it",
                    root: storage.root
                ).transportError
            }
            return (try PartitionLog(topicPartition: topicPartition, storage: storage), report)
        }

        var segments: [LogSegment] = []
        var replay: [RecordCodec.Decoded] = []
        var lastIntactBytes = 0
        for (index, (base, path)) in folder.segments.enumerated() {
            if let previous = segments.last {
                try checkFollows(base, previous, path: path, gaps: folder.gaps, root: storage.root)
            }
            let isLast = index == folder.segments.count - 1
            let bytes = try fileSystem.read(path)
            let scan = bytes.withUnsafeBytes { SegmentScan($0, firstOffset: base) }
            if !scan.isWhole {
                try checkTornTail(scan, path: path, base: base, isLast: isLast, recoveryPoint: recoveryPoint, root: storage.root)
                report.tornBytes += scan.size - scan.intactBytes
            }
            lastIntactBytes = scan.intactBytes
            var segment = LogSegment(baseOffset: base, path: path)
            let records = scan.records.map(\.record)
            segment.append(records, bytes: RecordBatch(partition: topicPartition, producer: nil, records: records).bytes,
                           maxTimestamp: records.map(\.timestamp).max() ?? Int64.min)
            replay += scan.records.lazy.filter { $0.record.producerId >= 0 }
            report.records += segment.count
            segments.append(segment)
        }
        if let recoveryPoint, let last = segments.last, last.nextOffset < recoveryPoint {
            throw StorageDamage(
                path: folder.segments[folder.segments.count - 1].path, place: "(it ends at offset \(last.nextOffset))",
                reason: "the recovery checkpoint says records up to offset \(recoveryPoint) were flushed, so some are missing",
                root: storage.root
            ).transportError
        }
        if storage.writable {
            let last = segments.count - 1
            let file = try fileSystem.openForAppend(folder.segments[last].path)
            if file.size > lastIntactBytes {
                try file.truncate(to: lastIntactBytes)
                try file.sync()
            }
            segments[last].file = file
        }
        var log = PartitionLog(topicPartition: topicPartition, storage: storage, segments: segments)
        // Start from the snapshot retention left, when it fits this log (a torn tail cut below it
        // makes it describe records that are gone), and replay what came after it.
        var replayProducersFrom = Int64.min
        if let snapshot = ProducerSnapshot.read(storage: storage), snapshot.validUpTo <= log.logEndOffset {
            log.producers = snapshot.producers
            replayProducersFrom = snapshot.validUpTo
        } else if fileSystem.kind(of: ProducerSnapshot.path(storage.directory)) == .regular {
            report.snapshotUnreadable = true
        }
        log.replay(replay, producersFrom: replayProducersFrom)
        return (log, report)
    }

    /// A segment starts where the previous one ends, or past it where a repair left a gap.
    private static func checkFollows(
        _ base: Int64, _ previous: LogSegment, path: String, gaps: Set<Int64>, root: String
    ) throws(TransportError) {
        let expected = previous.nextOffset
        guard base != expected, !(base > expected && gaps.contains(base)) else { return }
        let reason = base > expected
            ? "offsets \(expected)..<\(base) are missing: no segment file holds them"
            : "it starts at offset \(base), inside the previous segment (which ends at \(expected))"
        throw StorageDamage(path: path, place: "(its name)", reason: reason, root: root).transportError
    }

    /// Accepts a torn tail past the recovery point in the last segment; refuses anything else.
    private static func checkTornTail(
        _ scan: SegmentScan, path: String, base: Int64, isLast: Bool, recoveryPoint: Int64?, root: String
    ) throws(TransportError) {
        let after = scan.records.last.map { "the record after offset \($0.offset)" } ?? "the first record"
        let place = "at byte \(scan.stoppedAt) (\(after))"
        let nextOffset = scan.nextOffset(base: base)
        let reason: String? =
            if !isLast { "it is a sealed segment, fsynced before the next one began" }
            else if scan.corruptFrame { "a frame with a good checksum holds the wrong record" }
            else if let resumes = scan.resumesAt { "intact records follow it from byte \(resumes), so it is not a write a crash tore" }
            else if !scan.looksTorn { "it is not what a crash leaves (a record cut short, or zeros)" }
            else if let recoveryPoint, nextOffset < recoveryPoint { "records up to offset \(recoveryPoint) were flushed before it" }
            else { nil }
        if let reason { throw StorageDamage(path: path, place: place, reason: reason, root: root).transportError }
    }

    private init(topicPartition: TopicPartition, storage: PartitionStorage, segments: [LogSegment]) {
        self.topicPartition = topicPartition
        self.storage = storage
        self.segments = segments
    }

    /// Rebuilds transaction state, and producer entries from `producersFrom` on, from records in offset order.
    private mutating func replay(_ records: [RecordCodec.Decoded], producersFrom: Int64) {
        for decoded in records {
            let record = decoded.record
            let producerId = record.producerId
            if record.flags.contains(.control) {
                if let first = openTransactions[producerId], !record.flags.contains(.commitMarker) {
                    markAborted(producerId: producerId, from: first, to: decoded.offset)
                }
                openTransactions[producerId] = nil
                continue
            }
            if record.flags.contains(.transactional), openTransactions[producerId] == nil {
                openTransactions[producerId] = decoded.offset
            }
            guard decoded.batchIndex == 0, decoded.sequence >= 0, decoded.offset >= producersFrom else { continue }
            let identity = ProducerIdentity(producerId: producerId, epoch: record.producerEpoch, baseSequence: decoded.sequence)
            producers[producerId] = ProducerEntry.recording(
                producers[producerId], identity, count: Int(decoded.batchCount), baseOffset: decoded.offset)
        }
    }
}
