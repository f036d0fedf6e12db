import EventTransport
import Foundation
import Logging
import Metrics
import Synchronization

/// The bundled broker: partitioned topics, consumer groups, idempotent and transactional
/// producers, retention, and optionally durable segment files, with Kafka's semantics, in one
/// process. It implements `Transport`, so moving to a Kafka cluster changes only the transport.
public final class InProcessBroker: Transport, Sendable {
    /// How a broker stores and times its records, and where its logs and metrics go.
    public struct Options: Sendable {
        /// Where the records live.
        public enum Storage: Sendable, Hashable {
            /// In memory only: gone when the broker is (tests, demos).
            case memory
            /// Segment files, journals and recovery under this folder. Records are also kept in
            /// memory while the broker runs (reads never touch the disk).
            case directory(String)
            /// An existing broker folder, for inspection: nothing on disk is created, cut,
            /// compacted or locked exclusively (a running broker may keep it open), and every
            /// call that would write throws. A torn tail is skipped, not cut.
            case readOnlyDirectory(String)
        }

        /// Where the records live (`.memory` unless told).
        public var storage: Storage
        /// Also fsync written files this often (nil: only when `acks: all` or a commit waits).
        public var flushInterval: Duration?
        /// The time records are stamped with and retention counts by (a manual clock in tests).
        public var clock: any BrokerClock
        /// Topic creation, recovery and damage found on disk are logged here.
        public var logger: Logger
        /// Where produce/consume rates and lag go (swift-metrics; the bootstrapped system by default).
        public var metrics: any MetricsFactory
        /// How often appends check retention (milliseconds of the broker's clock).
        public var retentionCheckIntervalMilliseconds: Int64
        /// The files behind `.directory`: the operating system's, or in tests a disk that loses power.
        package var fileSystem: any BrokerFileSystem = PosixFileSystem()
        /// The recovery-point checkpoint is written at most this often.
        package var recoveryCheckpointInterval: Duration = .seconds(1)

        /// Options with these settings; the defaults are an in-memory broker on the system clock.
        public init(
            storage: Storage = .memory, flushInterval: Duration? = nil, clock: any BrokerClock = SystemClock(),
            logger: Logger = Logger(label: "eventcontracts.broker"), metrics: any MetricsFactory = MetricsSystem.factory,
            retentionCheckIntervalMilliseconds: Int64 = 1_000
        ) {
            self.metrics = metrics
            self.storage = storage
            self.flushInterval = flushInterval
            self.clock = clock
            self.logger = logger
            self.retentionCheckIntervalMilliseconds = retentionCheckIntervalMilliseconds
        }
    }

    let state: Mutex<BrokerState>
    let flusher: DurabilityFlusher?
    let directoryLock: (any FolderLock)?
    let options: Options
    let directory: String?
    var clock: any BrokerClock { options.clock }
    var logger: Logger { options.logger }

    /// Opens a broker; with `.directory`, recovers the topics, offsets and producer state found there.
    public init(_ options: Options = Options()) throws {
        self.options = options
        var initial = BrokerState()
        switch options.storage {
        case .memory:
            directory = nil
            flusher = nil
            directoryLock = nil
        case .directory(let path), .readOnlyDirectory(let path):
            let writable = options.storage == .directory(path)
            directory = path
            let recovered = try Self.recover(path, writable: writable, options: options)
            directoryLock = recovered.lock
            initial = recovered.state
            flusher = writable
                ? DurabilityFlusher(
                    interval: options.flushInterval,
                    checkpointer: RecoveryCheckpointer(
                        points: recovered.recoveryPoints, root: path, fileSystem: options.fileSystem,
                        interval: options.recoveryCheckpointInterval))
                : nil
        }
        state = Mutex(initial)
    }

    deinit { flusher?.stop() }

    /// Stops the broker: waiting polls return, the fsync thread flushes and ends, and later calls
    /// fail with `CLIENT_CLOSED`.
    public func close() {
        let waiting = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.closed = true
            defer { state.waiters.removeAll() }
            return state.waiters.values.map(\.continuation)
        }
        for continuation in waiting { continuation.resume() }
        flusher?.stop()
        directoryLock?.release()
    }

    /// Runs `body` under the lock, then wakes the polls it made ready.
    func withState<Result: Sendable>(
        _ body: (inout BrokerState) throws(TransportError) -> Result
    ) throws(TransportError) -> Result {
        let (result, wakeups) = try state.withLock { (state) throws(TransportError) -> (Result, [CheckedContinuation<Void, Never>]) in
            guard !state.closed else { throw TransportError(.closed, "the broker is closed") }
            let result = try body(&state)
            guard !state.changedTopics.isEmpty || !state.changedGroups.isEmpty else { return (result, []) }
            return (result, state.takeWaiters())
        }
        for continuation in wakeups { continuation.resume() }
        return result
    }

    // MARK: Topics

    /// Creates a topic; refuses a name Kafka would refuse, a partition count outside
    /// `TopicLimits.partitionRange`, and a name that exists (`TOPIC_ALREADY_EXISTS`).
    public func createTopic(_ name: String, config: TopicConfig) async throws {
        try createTopic(name, config: config, ifMissing: false)
    }

    /// Creates each contract's topic and its DLQ (same partition count), skipping those that exist.
    public func createTopics(for contracts: [ContractDescriptor], config: TopicConfig? = nil) throws {
        for contract in contracts {
            var topicConfig = config ?? TopicConfig(partitions: contract.partitions)
            topicConfig.partitions = contract.partitions
            try createTopic(contract.topic, config: topicConfig, ifMissing: true)
            try createTopic(contract.deadLetterTopic, config: topicConfig, ifMissing: true)
        }
    }

    func createTopic(_ name: String, config: TopicConfig, ifMissing: Bool) throws(TransportError) {
        try TransportError.checkTopicName(name)
        guard TopicLimits.partitionRange.contains(config.partitions) else {
            throw TransportError(
                .invalidPartitions,
                "topic '\(name)' needs \(TopicLimits.partitionRange.lowerBound)...\(TopicLimits.partitionRange.upperBound) partitions, not \(config.partitions)")
        }
        let directory = directory
        let fileSystem = options.fileSystem
        let created = try withState { (state) throws(TransportError) -> Bool in
            if let existing = state.topics[name] {
                guard ifMissing else { throw TransportError(.topicAlreadyExists, "topic '\(name)' already exists") }
                guard existing.partitions.count == config.partitions else {
                    throw TransportError(.invalidPartitions, "topic '\(name)' exists with \(existing.partitions.count) partitions, not \(config.partitions)")
                }
                return false
            }
            try state.checkWritable()
            var partitions: [PartitionLog] = []
            for index in 0..<config.partitions {
                let partition = TopicPartition(name, index)
                if let directory {
                    // A folder left by a creation that crashed before its journal entry is reused.
                    let storage = Self.partitionStorage(directory, partition, fileSystem: fileSystem, writable: true)
                    partitions.append(try PartitionLog.recover(partition, storage: storage, recoveryPoint: nil).0)
                } else {
                    partitions.append(try PartitionLog(topicPartition: partition, storage: nil))
                }
            }
            try state.journals?.topics.append { Self.writeTopic(name, config, into: &$0) }
            try state.journals?.topics.file.sync()
            state.topics[name] = TopicState(config: config, partitions: partitions, produced: Self.producedCounter(name, options.metrics))
            return true
        }
        if created { logger.info("created topic", metadata: ["topic": "\(name)", "partitions": "\(config.partitions)"]) }
    }

    /// The topics that exist, sorted.
    public func topicNames() -> [String] {
        state.withLock { $0.topics.keys.sorted() }
    }

    /// Log start and end offsets of a partition (records below the start were removed by retention).
    public func offsets(of partition: TopicPartition) throws -> (start: Int64, end: Int64, lastStable: Int64) {
        try withState { (state) throws(TransportError) in
            try state.checkPartition(partition)
            let log = state.topics[partition.topic]!.partitions[partition.partition]
            return (log.logStartOffset, log.logEndOffset, log.lastStableOffset)
        }
    }

    /// Every record of a partition, oldest first (transaction markers aside), read without a
    /// group: for tools and tests that inspect a log.
    package func records(in partition: TopicPartition) throws(TransportError) -> [ConsumerRecord] {
        try withState { (state) throws(TransportError) in
            try state.checkPartition(partition)
            guard let log = state.topics[partition.topic]?.partitions[partition.partition] else { return [] }
            var records: [ConsumerRecord] = []
            _ = log.read(from: log.logStartOffset, limit: log.logEndOffset, max: Int.max, readCommitted: false, into: &records)
            return records
        }
    }

    // MARK: Producing

    /// A producer on this broker (idempotent and transactional as `config` asks).
    public func makeProducer(_ config: ProducerConfig = ProducerConfig()) async throws -> any TransportProducer {
        try await BrokerProducer(broker: self, config: config)
    }

    /// A consumer on this broker, a member of `config.groupId` once it subscribes.
    public func makeConsumer(_ config: ConsumerConfig) async throws -> any TransportConsumer {
        BrokerConsumer(broker: self, config: config)
    }

    /// Appends batches atomically with respect to readers; validates everything first, so a bad
    /// batch leaves nothing behind. Returns each batch's base offset and the durability ticket.
    func append(_ batches: [RecordBatch], transactionalId: String?) throws(TransportError) -> (baseOffsets: [Int64], ticket: UInt64?) {
        let now = clock.milliseconds()
        let flusher = flusher
        return try withState { (state) throws(TransportError) in
            try state.checkWritable()
            for batch in batches {
                try state.checkPartition(batch.partition)
                let limit = state.topics[batch.partition.topic]!.config.maxRecordBytes
                guard batch.largestRecord <= limit else {
                    throw TransportError(.recordTooLarge, "a record of ~\(batch.largestRecord) bytes exceeds \(batch.partition.topic)'s limit of \(limit) bytes")
                }
            }
            if let transactionalId {
                try state.checkTransactionalSend(transactionalId, batches: batches)
            }
            var baseOffsets: [Int64] = []
            baseOffsets.reserveCapacity(batches.count)
            var ticket: UInt64?
            for batch in batches where !batch.records.isEmpty {
                let tp = batch.partition
                let config = state.topics[tp.topic]!.config
                let outcome = try state.topics[tp.topic]!.partitions[tp.partition].append(batch, config: config)
                baseOffsets.append(outcome.baseOffset)
                if let file = outcome.file, let flusher { ticket = flusher.markWritten(file, logEnd: (tp, outcome.logEnd)) }
                if !outcome.duplicate {
                    state.topics[tp.topic]!.produced.increment(by: batch.records.count)
                    state.noteChange(topic: tp.topic)
                }
            }
            if now - state.lastRetentionCheck >= options.retentionCheckIntervalMilliseconds {
                state.lastRetentionCheck = now
                Self.applyRetention(&state, now: now, logger: logger)
            }
            return (baseOffsets, ticket)
        }
    }

    /// Appends one batch to one partition with an explicit producer identity, as a producer's retry
    /// does. For tools and tests that replay a producer's batches; applications use a producer.
    public func append(
        _ records: [OutgoingRecord], to partition: TopicPartition, producer: ProducerIdentity?, acks: DeliveryPolicy.Acks = .all
    ) async throws -> [RecordMetadata] {
        let now = clock.milliseconds()
        let stored = records.map { StoredRecord($0, producer: producer, transactional: false, now: now) }
        let (offsets, ticket) = try append([RecordBatch(partition: partition, producer: producer, records: stored)], transactionalId: nil)
        if acks == .all, let ticket { try await flusher?.waitDurable(ticket) }
        let base = offsets.first ?? -1
        return stored.enumerated().map { index, record in
            RecordMetadata(topic: partition.topic, partition: partition.partition, offset: base + Int64(index), timestamp: record.timestamp)
        }
    }

    func waitDurable(_ ticket: UInt64?) async throws {
        if let ticket, let flusher { try await flusher.waitDurable(ticket) }
    }

    func allocateProducerId() throws(TransportError) -> Int64 {
        try withState { state in
            defer { state.nextProducerId += 1 }
            return state.nextProducerId
        }
    }

    // MARK: Retention

    /// Deletes segments past their topic's retention now (appends also do it once a second).
    public func enforceRetention() throws {
        let now = clock.milliseconds()
        try withState { (state) throws(TransportError) in
            state.lastRetentionCheck = now
            Self.applyRetention(&state, now: now, logger: logger)
        }
    }

    static func applyRetention(_ state: inout BrokerState, now: Int64, logger: Logger) {
        for name in state.topics.keys {
            let config = state.topics[name]!.config
            for index in state.topics[name]!.partitions.indices {
                let removed = state.topics[name]!.partitions[index].applyRetention(now: now, config: config)
                if removed > 0 {
                    logger.debug("retention removed records", metadata: ["partition": "\(name)-\(index)", "records": "\(removed)"])
                }
            }
        }
    }

    // MARK: Waiting

    /// Suspends until a change that may interest this poll (an append to one of `topics`, a change
    /// in `group`), the deadline, or cancellation. `version` is what the caller saw when it found
    /// nothing, so a change in between returns at once instead of being missed.
    func waitForChange(after version: UInt64, topics: Set<String>, group: String, deadline: ContinuousClock.Instant) async {
        let id = state.withLock { state -> UInt64 in
            defer { state.nextWaiterId += 1 }
            return state.nextWaiterId
        }
        let timer = Task {
            try? await Task.sleep(until: deadline, clock: .continuous)
            self.resumeWaiter(id)
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let registered = state.withLock { state -> Bool in
                    guard !state.closed, state.version == version, !Task.isCancelled,
                        ContinuousClock.now < deadline
                    else { return false }
                    state.waiters[id] = PollWaiter(topics: topics, group: group, continuation: continuation)
                    return true
                }
                if !registered { continuation.resume() }
            }
        } onCancel: {
            self.resumeWaiter(id)
        }
        timer.cancel()
    }

    private func resumeWaiter(_ id: UInt64) {
        state.withLock { $0.waiters.removeValue(forKey: id) }?.continuation.resume()
    }

    // MARK: Metrics

    static func producedCounter(_ topic: String, _ factory: any MetricsFactory) -> Counter {
        Counter(label: "eventcontracts_broker_produced_records_total", dimensions: [("topic", topic)], factory: factory)
    }
}

extension BrokerState {
    mutating func noteChange(topic: String) {
        version &+= 1
        changedTopics.insert(topic)
    }

    mutating func noteChange(group: String) {
        version &+= 1
        changedGroups.insert(group)
    }

    /// Removes and returns the waiters interested in what changed.
    mutating func takeWaiters() -> [CheckedContinuation<Void, Never>] {
        defer {
            changedTopics.removeAll(keepingCapacity: true)
            changedGroups.removeAll(keepingCapacity: true)
        }
        var ready: [CheckedContinuation<Void, Never>] = []
        guard !waiters.isEmpty else { return ready }
        for (id, waiter) in waiters
        where changedGroups.contains(waiter.group) || !waiter.topics.isDisjoint(with: changedTopics) {
            ready.append(waiter.continuation)
            waiters[id] = nil
        }
        return ready
    }
}

extension StoredRecord {
    init(_ record: OutgoingRecord, producer: ProducerIdentity?, transactional: Bool, now: Int64) {
        self.init(
            timestamp: record.timestamp ?? now, key: record.key, value: record.value, headers: record.headers,
            producerId: producer?.producerId ?? -1, producerEpoch: producer?.epoch ?? -1,
            flags: transactional ? .transactional : [])
    }
}
