import EventTransport
import Logging

/// The three journals beside the logs and how their entries read.
enum JournalKind: CaseIterable, Sendable {
    case topics, transactions, offsets

    var fileName: String {
        switch self {
        case .topics: "topics.journal"
        case .transactions: "transactions.journal"
        case .offsets: "offsets.journal"
        }
    }

    func path(_ root: String) -> String { root + "/" + fileName }

    func parses(_ entry: [UInt8]) -> Bool {
        switch self {
        case .topics: Self.topic(entry) != nil
        case .transactions: Self.transaction(entry) != nil
        case .offsets: Self.offset(entry) != nil
        }
    }

    static func topic(_ entry: [UInt8]) -> (name: String, config: TopicConfig)? {
        entry.withUnsafeBytes { raw in
            var reader = ByteReader(raw)
            guard let name = reader.readString(), let partitions: Int32 = reader.read(),
                let retentionMs: Int64 = reader.read(), let retentionBytes: Int64 = reader.read(),
                let segmentBytes: Int64 = reader.read(), let maxRecordBytes: Int64 = reader.read(), reader.isAtEnd,
                TopicLimits.partitionRange.contains(Int(partitions)), segmentBytes > 0, maxRecordBytes > 0,
                TopicLimits.isValidName(name)
            else { return nil }
            return (name, TopicConfig(
                partitions: Int(partitions), retentionMilliseconds: retentionMs < 0 ? nil : retentionMs,
                retentionBytes: retentionBytes < 0 ? nil : Int(retentionBytes), segmentBytes: Int(segmentBytes),
                maxRecordBytes: Int(maxRecordBytes)))
        }
    }

    static func transaction(_ entry: [UInt8]) -> (id: String, producerId: Int64, epoch: Int16)? {
        entry.withUnsafeBytes { raw in
            var reader = ByteReader(raw)
            guard let id = reader.readString(), let producerId: Int64 = reader.read(), let epoch: Int16 = reader.read(),
                reader.isAtEnd
            else { return nil }
            return (id, producerId, epoch)
        }
    }

    static func offset(_ entry: [UInt8]) -> (group: String, partition: TopicPartition, offset: Int64)? {
        entry.withUnsafeBytes { raw in
            var reader = ByteReader(raw)
            guard let group = reader.readString(), let topic = reader.readString(), let partition: Int32 = reader.read(),
                let offset: Int64 = reader.read(), reader.isAtEnd, partition >= 0
            else { return nil }
            return (group, TopicPartition(topic, Int(partition)), offset)
        }
    }
}

/// What opening a durable broker's folder produced.
struct RecoveredBroker {
    var state: BrokerState
    /// Held while a writable broker is open; none for a read-only one.
    var lock: (any FolderLock)?
    /// Where each partition is known to be on disk now.
    var recoveryPoints: [TopicPartition: Int64]
}

/// Opening a durable broker: the journals say which topics, offsets and transactional ids exist;
/// each partition recovers from its segment files. Writable, it then cuts torn tails, compacts
/// the journals and aborts transactions a crash left open; read-only, it changes nothing.
extension InProcessBroker {
    static func partitionDirectory(_ root: String, _ partition: TopicPartition) -> String {
        root + "/topics/" + partition.topic + "-" + String(partition.partition)
    }

    static func partitionStorage(
        _ root: String, _ partition: TopicPartition, fileSystem: any BrokerFileSystem, writable: Bool
    ) -> PartitionStorage {
        PartitionStorage(root: root, directory: partitionDirectory(root, partition), fileSystem: fileSystem, writable: writable)
    }

    static func writeTopic(_ name: String, _ config: TopicConfig, into writer: inout ByteWriter) {
        writer.write(string: name)
        writer.write(Int32(config.partitions))
        writer.write(config.retentionMilliseconds ?? -1)
        writer.write(Int64(config.retentionBytes ?? -1))
        writer.write(Int64(config.segmentBytes))
        writer.write(Int64(config.maxRecordBytes))
    }

    static func recover(_ root: String, writable: Bool, options: Options) throws(TransportError) -> RecoveredBroker {
        let fileSystem = options.fileSystem
        if writable {
            try fileSystem.createDirectory(root + "/topics")
        } else if fileSystem.kind(of: root) != .directory {
            throw TransportError(.storage, "\(root) is not a broker folder (\(fileSystem.kind(of: root).description)): check the path")
        }
        let lock = writable ? try fileSystem.lock(root) : nil
        var state = BrokerState()
        state.readOnly = writable ? nil : root
        var recoveryPoints = try RecoveryPoints.read(root: root, fileSystem: fileSystem)

        let topics = try readJournal(.topics, root: root, writable: writable, fileSystem: fileSystem)
        for entry in topics.entries {
            guard let (name, config) = JournalKind.topic(entry.bytes) else { throw entry.damage }
            var partitions: [PartitionLog] = []
            for index in 0..<config.partitions {
                let partition = TopicPartition(name, index)
                let storage = partitionStorage(root, partition, fileSystem: fileSystem, writable: writable)
                let (log, report) = try PartitionLog.recover(partition, storage: storage, recoveryPoint: recoveryPoints[partition])
                log.note(report, options.logger, writable: writable)
                partitions.append(log)
            }
            state.topics[name] = TopicState(config: config, partitions: partitions, produced: producedCounter(name, options.metrics))
        }
        for entry in try readJournal(.transactions, root: root, writable: writable, fileSystem: fileSystem).entries {
            guard let (id, producerId, epoch) = JournalKind.transaction(entry.bytes) else { throw entry.damage }
            state.transactions[id] = TransactionState(producerId: producerId, epoch: epoch)
        }
        for entry in try readJournal(.offsets, root: root, writable: writable, fileSystem: fileSystem).entries {
            guard let (group, partition, offset) = JournalKind.offset(entry.bytes) else { throw entry.damage }
            state.groups[group, default: GroupState()].committed[partition] = offset
        }
        state.nextProducerId = highestProducerId(state) + 1
        guard writable else { return RecoveredBroker(state: state, lock: lock, recoveryPoints: recoveryPoints) }

        guard let topicsJournal = topics.journal else { preconditionFailure("a writable recovery opens its journals") }
        state.journals = BrokerState.Journals(
            topics: topicsJournal,
            offsets: try compactOffsets(state, root: root, fileSystem: fileSystem),
            transactions: try compactTransactions(state, root: root, fileSystem: fileSystem))
        try fileSystem.syncDirectory(root)
        try abortTransactionsLeftOpen(&state, options: options)
        try checkpointRecoveredLogs(state, &recoveryPoints, root: root, fileSystem: fileSystem)
        return RecoveredBroker(state: state, lock: lock, recoveryPoints: recoveryPoints)
    }

    /// A journal's entries, each with the damage to report if it turns out not to parse.
    private static func readJournal(
        _ kind: JournalKind, root: String, writable: Bool, fileSystem: any BrokerFileSystem
    ) throws(TransportError) -> (journal: BrokerJournal?, entries: [(bytes: [UInt8], damage: TransportError)]) {
        let path = kind.path(root)
        let journal: BrokerJournal?
        let entries: [[UInt8]]
        if writable {
            (journal, entries) = try BrokerJournal.open(path, root: root, fileSystem: fileSystem)
        } else {
            (journal, entries) = (nil, try BrokerJournal.read(path, root: root, fileSystem: fileSystem).entries)
        }
        return (journal, entries.enumerated().map { index, bytes in
            (bytes, StorageDamage(path: path, place: "at entry \(index + 1)", reason: "its checksum is good but it does not parse", root: root).transportError)
        })
    }

    private static func highestProducerId(_ state: BrokerState) -> Int64 {
        var highest: Int64 = 0
        for transaction in state.transactions.values { highest = max(highest, transaction.producerId) }
        for topic in state.topics.values {
            for log in topic.partitions { highest = max(highest, log.producers.keys.max() ?? 0) }
        }
        return highest
    }

    /// Rewrites the offsets journal with the last commit of each group and partition.
    private static func compactOffsets(_ state: BrokerState, root: String, fileSystem: any BrokerFileSystem) throws(TransportError) -> BrokerJournal {
        var rows: [(String, TopicPartition, Int64)] = []
        for (group, groupState) in state.groups {
            for (partition, offset) in groupState.committed { rows.append((group, partition, offset)) }
        }
        rows.sort { ($0.0, $0.1) < ($1.0, $1.1) }
        return try BrokerJournal.rewrite(
            JournalKind.offsets.path(root),
            entries: rows.map { group, partition, offset in
                { writer in
                    writer.write(string: group)
                    writer.write(string: partition.topic)
                    writer.write(Int32(partition.partition))
                    writer.write(offset)
                }
            },
            fileSystem: fileSystem)
    }

    /// Rewrites the transactions journal with each transactional id's current producer.
    private static func compactTransactions(_ state: BrokerState, root: String, fileSystem: any BrokerFileSystem) throws(TransportError) -> BrokerJournal {
        try BrokerJournal.rewrite(
            JournalKind.transactions.path(root),
            entries: state.transactions.sorted { $0.key < $1.key }.map { id, transaction in
                { writer in
                    writer.write(string: id)
                    writer.write(transaction.producerId)
                    writer.write(transaction.epoch)
                }
            },
            fileSystem: fileSystem)
    }

    /// A transaction open at the crash can never be committed now (its producer is gone): abort it,
    /// as Kafka's coordinator does when a transaction times out.
    private static func abortTransactionsLeftOpen(_ state: inout BrokerState, options: Options) throws(TransportError) {
        let now = options.clock.milliseconds()
        for name in state.topics.keys.sorted() {
            guard let config = state.topics[name]?.config, let count = state.topics[name]?.partitions.count else { continue }
            for index in 0..<count {
                let open = state.topics[name]?.partitions[index].openTransactions.keys.sorted() ?? []
                for producerId in open {
                    let epoch = state.topics[name]?.partitions[index].producers[producerId]?.epoch ?? 0
                    let outcome = try state.topics[name]?.partitions[index].endTransaction(
                        producerId: producerId, epoch: epoch, commit: false, timestamp: now, config: config)
                    try outcome?.file?.sync()
                    options.logger.warning("aborted a transaction left open", metadata: ["partition": "\(name)-\(index)", "producer.id": "\(producerId)"])
                }
            }
        }
    }

    /// After a crash the active segments may hold records that reached the page cache but not the
    /// disk: sync those, then move the recovery points to the log ends, so the next recovery
    /// treats everything found now as flushed.
    private static func checkpointRecoveredLogs(
        _ state: BrokerState, _ points: inout [TopicPartition: Int64], root: String, fileSystem: any BrokerFileSystem
    ) throws(TransportError) {
        var changed = false
        for topic in state.topics.values {
            for log in topic.partitions where log.logEndOffset != points[log.topicPartition] {
                try log.segments.last?.file?.sync()
                points[log.topicPartition] = log.logEndOffset
                changed = true
            }
        }
        if changed { try RecoveryPoints.write(points, root: root, fileSystem: fileSystem) }
    }
}

extension PartitionLog {
    /// Logs what recovery did that an operator should know about.
    func note(_ report: RecoveryReport, _ logger: Logger, writable: Bool) {
        let partition = "\(topicPartition)"
        if report.tornBytes > 0 {
            logger.warning(writable ? "cut a torn tail left by a crash" : "skipped a torn tail left by a crash (read-only)", metadata: [
                "partition": "\(partition)", "records": "\(report.records)", "tornBytes": "\(report.tornBytes)",
            ])
        }
        if !report.foreignFiles.isEmpty {
            logger.warning("left alone files the broker did not write", metadata: [
                "partition": "\(partition)", "files": "\(report.foreignFiles.joined(separator: ", "))",
            ])
        }
        if report.snapshotUnreadable {
            logger.warning("the producer snapshot did not read back; rebuilt the idempotence table from the records", metadata: [
                "partition": "\(partition)",
            ])
        }
    }
}
