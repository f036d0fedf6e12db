import EventTransport
import Foundation
import Logging

/// Opening a durable broker: the journals say which topics, offsets and transactional ids exist;
/// each partition recovers from its segment files.
extension InProcessBroker {
    static func partitionDirectory(_ root: String, _ partition: TopicPartition) -> String {
        root + "/topics/" + partition.topic + "-" + String(partition.partition)
    }

    static func writeTopic(_ name: String, _ config: TopicConfig, into writer: inout ByteWriter) {
        writer.write(string: name)
        writer.write(Int32(config.partitions))
        writer.write(config.retentionMilliseconds ?? -1)
        writer.write(Int64(config.retentionBytes ?? -1))
        writer.write(Int64(config.segmentBytes))
        writer.write(Int64(config.maxRecordBytes))
    }

    static func recover(_ root: String, options: Options) throws(TransportError) -> BrokerState {
        let logger = options.logger
        do {
            try FileManager.default.createDirectory(atPath: root + "/topics", withIntermediateDirectories: true)
        } catch {
            throw TransportError(.storage, "cannot create the broker folder \(root): \(error)")
        }
        var state = BrokerState()

        let (topicsJournal, topicEntries) = try BrokerJournal.open(root + "/topics.journal")
        for entry in topicEntries {
            let decoded = entry.withUnsafeBytes { raw -> (String, TopicConfig)? in
                var reader = ByteReader(raw)
                guard let name = reader.readString(), let partitions: Int32 = reader.read(),
                    let retentionMs: Int64 = reader.read(), let retentionBytes: Int64 = reader.read(),
                    let segmentBytes: Int64 = reader.read(), let maxRecordBytes: Int64 = reader.read(), partitions > 0
                else { return nil }
                return (name, TopicConfig(
                    partitions: Int(partitions), retentionMilliseconds: retentionMs < 0 ? nil : retentionMs,
                    retentionBytes: retentionBytes < 0 ? nil : Int(retentionBytes), segmentBytes: Int(segmentBytes),
                    maxRecordBytes: Int(maxRecordBytes)))
            }
            guard let (name, config) = decoded else {
                throw TransportError(.storage, "\(root)/topics.journal has an unreadable entry: restore it from a backup")
            }
            var partitions: [PartitionLog] = []
            for index in 0..<config.partitions {
                let partition = TopicPartition(name, index)
                let (log, report) = try PartitionLog.recover(partition, directory: partitionDirectory(root, partition))
                if report.truncatedBytes > 0 || report.droppedSegments > 0 {
                    logger.warning("recovered a partition with a torn tail", metadata: [
                        "partition": "\(partition)", "records": "\(report.records)",
                        "truncatedBytes": "\(report.truncatedBytes)", "droppedSegments": "\(report.droppedSegments)",
                    ])
                }
                partitions.append(log)
            }
            state.topics[name] = TopicState(config: config, partitions: partitions, produced: producedCounter(name, options.metrics))
        }

        let (_, transactionEntries) = try BrokerJournal.open(root + "/transactions.journal")
        for entry in transactionEntries {
            entry.withUnsafeBytes { raw in
                var reader = ByteReader(raw)
                guard let id = reader.readString(), let producerId: Int64 = reader.read(), let epoch: Int16 = reader.read() else { return }
                state.transactions[id] = TransactionState(producerId: producerId, epoch: epoch)
            }
        }
        let transactionsJournal = try BrokerJournal.rewrite(
            root + "/transactions.journal",
            entries: state.transactions.sorted { $0.key < $1.key }.map { id, transaction in
                { writer in
                    writer.write(string: id)
                    writer.write(transaction.producerId)
                    writer.write(transaction.epoch)
                }
            })

        let (_, offsetEntries) = try BrokerJournal.open(root + "/offsets.journal")
        for entry in offsetEntries {
            entry.withUnsafeBytes { raw in
                var reader = ByteReader(raw)
                guard let group = reader.readString(), let topic = reader.readString(), let partition: Int32 = reader.read(),
                    let offset: Int64 = reader.read()
                else { return }
                state.groups[group, default: GroupState()].committed[TopicPartition(topic, Int(partition))] = offset
            }
        }
        var offsetRows: [(String, TopicPartition, Int64)] = []
        for (group, groupState) in state.groups {
            for (partition, offset) in groupState.committed { offsetRows.append((group, partition, offset)) }
        }
        offsetRows.sort { ($0.0, $0.1) < ($1.0, $1.1) }
        let offsetsJournal = try BrokerJournal.rewrite(
            root + "/offsets.journal",
            entries: offsetRows.map { group, partition, offset in
                { writer in
                    writer.write(string: group)
                    writer.write(string: partition.topic)
                    writer.write(Int32(partition.partition))
                    writer.write(offset)
                }
            })

        var highestProducerId: Int64 = 0
        for transaction in state.transactions.values { highestProducerId = max(highestProducerId, transaction.producerId) }
        for topic in state.topics.values {
            for log in topic.partitions { highestProducerId = max(highestProducerId, log.producers.keys.max() ?? 0) }
        }
        state.nextProducerId = highestProducerId + 1
        state.journals = BrokerState.Journals(topics: topicsJournal, offsets: offsetsJournal, transactions: transactionsJournal)

        // A transaction open at the crash can never be committed now (its producer is gone): abort it,
        // as Kafka's coordinator does when a transaction times out.
        let now = options.clock.milliseconds()
        for name in state.topics.keys.sorted() {
            let config = state.topics[name]!.config
            for index in state.topics[name]!.partitions.indices {
                for producerId in state.topics[name]!.partitions[index].openTransactions.keys.sorted() {
                    let epoch = state.topics[name]!.partitions[index].producers[producerId]?.epoch ?? 0
                    let outcome = try state.topics[name]!.partitions[index].endTransaction(
                        producerId: producerId, epoch: epoch, commit: false, timestamp: now, config: config)
                    try outcome.file?.sync()
                    logger.warning("aborted a transaction left open", metadata: ["partition": "\(name)-\(index)", "producer.id": "\(producerId)"])
                }
            }
        }
        return state
    }
}
