import EventTransport

/// The idempotence table, written beside a partition's segments whenever retention deletes some.
/// Reopening rebuilds the table by replaying the records; once retention has deleted a producer's
/// records, only this snapshot still knows its last batches, so a producer idle for longer than
/// the retention keeps its duplicate detection across a restart.
enum ProducerSnapshot {
    static func path(_ directory: String) -> String { directory + "/producers.snapshot" }

    /// Replaces the snapshot (atomically) with `producers` as of `validUpTo` (the log end).
    static func write(_ producers: [Int64: ProducerEntry], validUpTo: Int64, storage: PartitionStorage) throws(TransportError) {
        var entries: [(inout ByteWriter) -> Void] = [{ $0.write(validUpTo) }]
        for (producerId, entry) in producers.sorted(by: { $0.key < $1.key }) {
            entries.append { writer in
                writer.write(producerId)
                writer.write(entry.epoch)
                writer.write(entry.lastSequence)
                writer.write(Int32(entry.recentBatches.count))
                for batch in entry.recentBatches {
                    writer.write(batch.firstSequence)
                    writer.write(batch.lastSequence)
                    writer.write(batch.baseOffset)
                }
            }
        }
        _ = try BrokerJournal.rewrite(path(storage.directory), entries: entries, fileSystem: storage.fileSystem)
    }

    /// The snapshot, or nil when there is none or it does not read back whole (it is derived
    /// data: the caller rebuilds what it can from the records and says so).
    static func read(storage: PartitionStorage) -> (validUpTo: Int64, producers: [Int64: ProducerEntry])? {
        guard let bytes = try? storage.fileSystem.read(path(storage.directory)), !bytes.isEmpty else { return nil }
        return bytes.withUnsafeBytes { raw -> (Int64, [Int64: ProducerEntry])? in
            let (payloads, valid) = RecordFraming.scan(raw)
            guard valid == bytes.count, let first = payloads.first else { return nil }
            var header = ByteReader(raw, range: first)
            guard let validUpTo: Int64 = header.read() else { return nil }
            var producers: [Int64: ProducerEntry] = [:]
            for payload in payloads.dropFirst() {
                var reader = ByteReader(raw, range: payload)
                guard let producerId: Int64 = reader.read(), let epoch: Int16 = reader.read(),
                    let lastSequence: Int32 = reader.read(), let count: Int32 = reader.read(), count >= 0
                else { return nil }
                var batches: [ProducerEntry.Batch] = []
                for _ in 0..<count {
                    guard let firstSequence: Int32 = reader.read(), let batchLast: Int32 = reader.read(),
                        let baseOffset: Int64 = reader.read()
                    else { return nil }
                    batches.append(.init(firstSequence: firstSequence, lastSequence: batchLast, baseOffset: baseOffset))
                }
                producers[producerId] = ProducerEntry(epoch: epoch, lastSequence: lastSequence, recentBatches: batches)
            }
            return (validUpTo, producers)
        }
    }
}
