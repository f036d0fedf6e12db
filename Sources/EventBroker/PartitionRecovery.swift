import EventTransport
import Foundation

/// What reopening a durable partition found.
struct RecoveryReport: Sendable {
    var records = 0
    /// Bytes cut from the tail: a torn frame, a corrupt one, or a batch written only in part.
    var truncatedBytes = 0
    /// Segment files after a corrupt one, deleted because their offsets no longer follow.
    var droppedSegments = 0
}

extension PartitionLog {
    /// Reopens a partition from its segment files: every intact frame is kept; the first torn or
    /// corrupt frame, everything after it, and a batch written only in part are cut off (none of it
    /// was acknowledged with `acks: all`). The idempotence table and open transactions are rebuilt
    /// by replaying the records, so a producer's resend after a restart is still recognised.
    static func recover(_ topicPartition: TopicPartition, directory: String) throws(TransportError) -> (PartitionLog, RecoveryReport) {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw TransportError(.storage, "cannot create \(directory): \(error)")
        }
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
            .filter { $0.hasSuffix(".log") && $0.count == 24 }
            .sorted()
        var report = RecoveryReport()
        guard !names.isEmpty else { return (try PartitionLog(topicPartition: topicPartition, directory: directory), report) }

        var segments: [LogSegment] = []
        var replay: [RecordCodec.Decoded] = []
        var stopped = false
        for name in names {
            let path = directory + "/" + name
            if stopped {
                try? FileManager.default.removeItem(atPath: path)
                report.droppedSegments += 1
                continue
            }
            guard let base = Int64(name.dropLast(4)) else { continue }
            let expectedBase = segments.last?.nextOffset ?? base
            guard base == expectedBase else {
                try? FileManager.default.removeItem(atPath: path)
                report.droppedSegments += 1
                stopped = true
                continue
            }
            let bytes = try AppendFile.readAll(path)
            var records: [StoredRecord] = []
            var keep = 0
            var batchStart = (position: 0, count: 0)
            var batchComplete = true
            bytes.withUnsafeBytes { raw in
                let (payloads, _) = RecordFraming.scan(raw)
                for payload in payloads {
                    guard let decoded = RecordCodec.decode(raw, payload: payload),
                        decoded.offset == base + Int64(records.count),
                        decoded.batchIndex == 0 || !batchComplete
                    else { break }
                    if decoded.batchIndex == 0 { batchStart = (payload.lowerBound - RecordFraming.headerSize, records.count) }
                    batchComplete = decoded.batchIndex == decoded.batchCount - 1
                    records.append(decoded.record)
                    if decoded.record.producerId >= 0 { replay.append(decoded) }
                    keep = payload.upperBound
                }
            }
            if !batchComplete {
                // A batch cut halfway is dropped whole: it was never acknowledged.
                keep = batchStart.position
                records.removeLast(records.count - batchStart.count)
                let firstDropped = base + Int64(records.count)
                replay.removeAll { $0.offset >= firstDropped }
            }
            let batch = RecordBatch(partition: topicPartition, producer: nil, records: records)
            var segment = LogSegment(baseOffset: base, path: path)
            segment.append(batch.records, bytes: batch.bytes, maxTimestamp: batch.maxTimestamp)
            if keep < bytes.count {
                report.truncatedBytes += bytes.count - keep
                let file = try AppendFile(path: path)
                try file.truncate(to: keep)
                try file.sync()
                stopped = true
            }
            report.records += segment.count
            segments.append(segment)
        }
        let last = segments.count - 1
        segments[last].file = try AppendFile(path: segments[last].path ?? Self.segmentPath(directory, base: segments[last].baseOffset))
        var log = try PartitionLog(topicPartition: topicPartition, directory: directory, segments: segments)
        // Start from the snapshot retention left, when it fits this log (a torn tail cut below it
        // makes it describe records that are gone), and replay what came after it.
        var replayProducersFrom = Int64.min
        if let snapshot = ProducerSnapshot.read(directory: directory), snapshot.validUpTo <= log.logEndOffset {
            log.producers = snapshot.producers
            replayProducersFrom = snapshot.validUpTo
        }
        log.replay(replay, producersFrom: replayProducersFrom)
        return (log, report)
    }

    private init(topicPartition: TopicPartition, directory: String, segments: [LogSegment]) throws(TransportError) {
        self.topicPartition = topicPartition
        self.directory = directory
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
