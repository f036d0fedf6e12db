import Synchronization

/// A producer on the in-process broker: partitions records (murmur2 of the key, sticky without
/// one), numbers them per partition for idempotence, and runs transactions.
///
/// Sends through one producer are serialized, so its sequence numbers reach each partition in
/// order; concurrent sends from several producers (or tasks with their own) run in parallel
/// and share fsyncs.
public final class BrokerProducer: TransportProducer {
    public let config: ProducerConfig
    private let broker: InProcessBroker
    private let state: Mutex<State>
    /// -1 without idempotence.
    public let producerId: Int64
    public let epoch: Int16

    private struct State {
        var sequences: [TopicPartition: Int32] = [:]
        var sticky: StickyPartitioner
        var partitionCounts: [String: Int] = [:]
        var inTransaction = false
        var closed = false
        /// After a storage error or fencing, the producer cannot know what was written: it stops.
        var fatal: BrokerError?
    }

    init(broker: InProcessBroker, config: ProducerConfig) async throws {
        self.broker = broker
        self.config = config
        if let transactionalId = config.transactionalId {
            let (producerId, epoch, ticket) = try broker.initTransactions(transactionalId)
            try await broker.waitDurable(ticket)
            self.producerId = producerId
            self.epoch = epoch
        } else if config.idempotent {
            producerId = try broker.allocateProducerId()
            epoch = 0
        } else {
            producerId = -1
            epoch = -1
        }
        state = Mutex(State(sticky: StickyPartitioner(batchBytes: config.stickyBatchBytes)))
    }

    public func send(_ records: [OutgoingRecord]) async throws -> [RecordMetadata] {
        guard !records.isEmpty else { return [] }
        let now = broker.clock.milliseconds()
        let transactional = config.transactionalId != nil
        let (batches, slots, baseOffsets, ticket) = try state.withLock {
            (state) throws(BrokerError) -> ([InProcessBroker.PartitionBatch], [(batch: Int, index: Int)], [Int64], UInt64?) in
            guard !state.closed else { throw BrokerError(.closed, "the producer is closed") }
            if let fatal = state.fatal { throw fatal }
            if transactional, !state.inTransaction {
                throw BrokerError(.invalidTransactionState, "a transactional producer sends inside a transaction: call beginTransaction first")
            }
            var batches: [InProcessBroker.PartitionBatch] = []
            var batchIndex: [TopicPartition: Int] = [:]
            var slots: [(batch: Int, index: Int)] = []
            slots.reserveCapacity(records.count)
            for record in records {
                let partition = try self.partition(for: record, state: &state)
                let index: Int
                if let existing = batchIndex[partition] {
                    index = existing
                } else {
                    index = batches.count
                    batchIndex[partition] = index
                    let identity = producerId >= 0
                        ? ProducerIdentity(producerId: producerId, epoch: epoch, baseSequence: state.sequences[partition] ?? 0)
                        : nil
                    batches.append(InProcessBroker.PartitionBatch(partition: partition, records: [], producer: identity))
                }
                slots.append((index, batches[index].records.count))
                batches[index].records.append(
                    StoredRecord(record, producer: batches[index].producer, transactional: transactional, now: now))
            }
            do throws(BrokerError) {
                let (baseOffsets, ticket) = try broker.append(batches, transactionalId: config.transactionalId)
                for batch in batches where batch.producer != nil {
                    state.sequences[batch.partition] = ProducerEntry.sequence(
                        state.sequences[batch.partition] ?? 0, plus: batch.records.count)
                }
                return (batches, slots, baseOffsets, ticket)
            } catch {
                if error.code == .storage || error.code == .producerFenced || error.code == .invalidProducerEpoch {
                    state.fatal = error
                }
                throw error
            }
        }
        if config.acks == .all { try await broker.waitDurable(ticket) }
        return slots.map { slot in
            let batch = batches[slot.batch]
            let offset = config.acks == .none ? -1 : baseOffsets[slot.batch] + Int64(slot.index)
            return RecordMetadata(
                topic: batch.partition.topic, partition: batch.partition.partition, offset: offset,
                timestamp: batch.records[slot.index].timestamp)
        }
    }

    private func partition(for record: OutgoingRecord, state: inout State) throws(BrokerError) -> TopicPartition {
        let count: Int
        if let known = state.partitionCounts[record.topic] {
            count = known
        } else {
            count = try broker.partitionCount(record.topic)
            state.partitionCounts[record.topic] = count
        }
        if let partition = record.partition {
            guard partition >= 0, partition < count else {
                throw BrokerError(.unknownTopicOrPartition, "\(record.topic)-\(partition) does not exist: '\(record.topic)' has \(count) partitions")
            }
            return TopicPartition(record.topic, partition)
        }
        if let key = record.key {
            return TopicPartition(record.topic, Murmur2.partition(forKey: key, partitions: count))
        }
        return TopicPartition(record.topic, state.sticky.partition(topic: record.topic, partitions: count, valueBytes: record.value.count))
    }

    // MARK: Transactions

    private func transactionalId() throws(BrokerError) -> String {
        guard let id = config.transactionalId else {
            throw BrokerError(.invalidTransactionState, "this producer has no transactionalId: set one in ProducerConfig to use transactions")
        }
        return id
    }

    public func beginTransaction() async throws {
        let id = try transactionalId()
        try state.withLock { (state) throws(BrokerError) in
            if let fatal = state.fatal { throw fatal }
            try broker.beginTransaction(id, producerId: producerId, epoch: epoch)
            state.inTransaction = true
        }
    }

    public func sendOffsetsToTransaction(_ offsets: [TopicPartition: Int64], group: String) async throws {
        let id = try transactionalId()
        try broker.addOffsetsToTransaction(id, producerId: producerId, epoch: epoch, group: group, offsets: offsets)
    }

    public func commitTransaction() async throws {
        try await endTransaction(commit: true)
    }

    public func abortTransaction() async throws {
        try await endTransaction(commit: false)
    }

    private func endTransaction(commit: Bool) async throws {
        let id = try transactionalId()
        let ticket = try state.withLock { (state) throws(BrokerError) -> UInt64? in
            do throws(BrokerError) {
                let ticket = try broker.endTransaction(id, producerId: producerId, epoch: epoch, commit: commit)
                state.inTransaction = false
                return ticket
            } catch {
                if error.code == .producerFenced { state.fatal = error }
                throw error
            }
        }
        try await broker.waitDurable(ticket)
    }

    public func close() async {
        state.withLock { $0.closed = true }
    }
}

extension InProcessBroker {
    func partitionCount(_ topic: String) throws(BrokerError) -> Int {
        try withState { (state) throws(BrokerError) in try state.topic(topic).partitions.count }
    }
}
