import EventTransport
import Synchronization

/// A producer on the in-process broker: partitions records (murmur2 of the key, sticky without
/// one), numbers them per partition for idempotence, and runs transactions.
///
/// Sends through one producer are serialized, so its sequence numbers reach each partition in
/// order; concurrent sends from several producers (or tasks with their own) run in parallel
/// and share fsyncs.
public final class BrokerProducer: TransportProducer {
    /// How it was configured.
    public let config: ProducerConfig
    private let broker: InProcessBroker
    private let state: Mutex<State>
    /// -1 without idempotence.
    public let producerId: Int64
    /// The producer's epoch: a newer producer with the same transactional id fences this one.
    public let epoch: Int16

    private struct State {
        var sequences: [TopicPartition: Int32] = [:]
        var sticky: StickyPartitioner
        var partitionCounts: [String: Int] = [:]
        var inTransaction = false
        var closed = false
        /// After a storage error or fencing, the producer cannot know what was written: it stops.
        var fatal: TransportError?
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

    /// Stores `records` and returns where each went, in order; with `acks: all` on a durable broker,
    /// once they are fsynced.
    public func send(_ records: [OutgoingRecord]) async throws -> [RecordMetadata] {
        guard !records.isEmpty else { return [] }
        let now = broker.clock.milliseconds()
        let transactional = config.transactionalId != nil
        // Where each record went: its batch and its index there, to answer in the order given.
        var slots: [(batch: Int32, index: Int32)] = []
        slots.reserveCapacity(records.count)
        let (partitions, baseOffsets, ticket) = try state.withLock {
            (state) throws(TransportError) -> ([TopicPartition], [Int64], UInt64?) in
            guard !state.closed else { throw TransportError(.closed, "the producer is closed") }
            if let fatal = state.fatal { throw fatal }
            if transactional, !state.inTransaction {
                throw TransportError(.invalidTransactionState, "a transactional producer sends inside a transaction: call beginTransaction first")
            }
            var batches: [RecordBatch] = []
            // Batch index per partition of the topic last seen (sends rarely mix topics).
            var currentTopic = ""
            var batchOfPartition: [Int] = []
            var otherTopics: [String: [Int]] = [:]
            try records.withUnsafeBufferPointer { (records) throws(TransportError) in
                for position in records.indices {
                    let topic = records[position].topic
                    if topic != currentTopic {
                        if !currentTopic.isEmpty { otherTopics[currentTopic] = batchOfPartition }
                        currentTopic = topic
                        if let known = otherTopics[topic] {
                            batchOfPartition = known
                        } else {
                            batchOfPartition = Array(repeating: -1, count: try partitionCount(topic, state: &state))
                        }
                    }
                    let partition = try self.partition(
                        explicit: records[position].partition, key: records[position].key,
                        valueBytes: records[position].value.count, topic: topic, partitions: batchOfPartition.count, state: &state)
                    var batch = batchOfPartition[partition]
                    if batch < 0 {
                        batch = batches.count
                        batchOfPartition[partition] = batch
                        let target = TopicPartition(topic, partition)
                        let identity = producerId >= 0
                            ? ProducerIdentity(producerId: producerId, epoch: epoch, baseSequence: state.sequences[target] ?? 0)
                            : nil
                        batches.append(RecordBatch(partition: target, producer: identity))
                    }
                    slots.append((Int32(batch), Int32(batches[batch].records.count)))
                    batches[batch].append(
                        StoredRecord(
                            timestamp: records[position].timestamp ?? now, key: records[position].key,
                            value: records[position].value, headers: records[position].headers,
                            producerId: producerId, producerEpoch: epoch, flags: transactional ? .transactional : []))
                }
            }
            let partitions = batches.map(\.partition)
            let counts = batches.map(\.records.count)
            do throws(TransportError) {
                let (baseOffsets, ticket) = try broker.append(batches, transactionalId: config.transactionalId)
                if producerId >= 0 {
                    for (partition, count) in zip(partitions, counts) {
                        state.sequences[partition] = ProducerEntry.sequence(state.sequences[partition] ?? 0, plus: count)
                    }
                }
                return (partitions, baseOffsets, ticket)
            } catch {
                if error.code == .storage || error.code == .producerFenced || error.code == .invalidProducerEpoch {
                    state.fatal = error
                }
                throw error
            }
        }
        if config.acks == .all { try await broker.waitDurable(ticket) }
        var metadata: [RecordMetadata] = []
        metadata.reserveCapacity(records.count)
        for (position, slot) in slots.enumerated() {
            let partition = partitions[Int(slot.batch)]
            let offset = config.acks == .none ? -1 : baseOffsets[Int(slot.batch)] + Int64(slot.index)
            metadata.append(RecordMetadata(
                topic: partition.topic, partition: partition.partition, offset: offset, timestamp: records[position].timestamp ?? now))
        }
        return metadata
    }

    private func partitionCount(_ topic: String, state: inout State) throws(TransportError) -> Int {
        if let known = state.partitionCounts[topic] { return known }
        let count = try broker.partitionCount(topic)
        state.partitionCounts[topic] = count
        return count
    }

    private func partition(
        explicit: Int?, key: [UInt8]?, valueBytes: Int, topic: String, partitions count: Int, state: inout State
    ) throws(TransportError) -> Int {
        if let explicit {
            guard explicit >= 0, explicit < count else {
                throw TransportError(.unknownTopicOrPartition, "\(topic)-\(explicit) does not exist: '\(topic)' has \(count) partitions")
            }
            return explicit
        }
        if let key { return Murmur2.partition(forKey: key, partitions: count) }
        return state.sticky.partition(topic: topic, partitions: count, valueBytes: valueBytes)
    }

    // MARK: Transactions

    private func transactionalId() throws(TransportError) -> String {
        guard let id = config.transactionalId else {
            throw TransportError(.invalidTransactionState, "this producer has no transactionalId: set one in ProducerConfig to use transactions")
        }
        return id
    }

    /// Starts a transaction (needs a `transactionalId`).
    public func beginTransaction() async throws {
        let id = try transactionalId()
        try state.withLock { (state) throws(TransportError) in
            if let fatal = state.fatal { throw fatal }
            try broker.beginTransaction(id, producerId: producerId, epoch: epoch)
            state.inTransaction = true
        }
    }

    /// Commits the group's `offsets` with the transaction (consume-transform-produce).
    public func sendOffsetsToTransaction(_ offsets: [TopicPartition: Int64], group: String) async throws {
        let id = try transactionalId()
        try broker.addOffsetsToTransaction(id, producerId: producerId, epoch: epoch, group: group, offsets: offsets)
    }

    /// Makes the transaction's records and offsets visible at once.
    public func commitTransaction() async throws {
        try await endTransaction(commit: true)
    }

    /// Discards the transaction's records: `read_committed` consumers never see them.
    public func abortTransaction() async throws {
        try await endTransaction(commit: false)
    }

    private func endTransaction(commit: Bool) async throws {
        let id = try transactionalId()
        let ticket = try state.withLock { (state) throws(TransportError) -> UInt64? in
            do throws(TransportError) {
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

    /// Releases the producer; an open transaction is aborted.
    public func close() async {
        state.withLock { $0.closed = true }
    }
}

extension InProcessBroker {
    func partitionCount(_ topic: String) throws(TransportError) -> Int {
        try withState { (state) throws(TransportError) in try state.topic(topic).partitions.count }
    }
}
