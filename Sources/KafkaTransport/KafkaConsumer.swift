#if Kafka
import CRdKafka
import Dispatch
import EventTransport
import Logging
import Metrics
import Synchronization

/// The runtime's consumer on librdkafka: a consumer group member with manual commits.
///
/// `poll` and `close` run on the consumer's own serial queue, which is where librdkafka calls the
/// rebalance callback; the callback runs the `RebalanceListener` to the end before it hands
/// partitions over, so a processor commits what it handled before a partition is revoked.
final class KafkaConsumer: TransportConsumer {
    private let client: RdKafkaClient
    private let context: ConsumerContext
    private let queue: DispatchQueue
    private let groupId: String
    private let metrics: any MetricsFactory
    private let closing = Atomic(false)
    private let closed = Atomic(false)

    init(configuration: KafkaConfiguration, config: ConsumerConfig, logger: Logger, metrics: any MetricsFactory) throws {
        let properties = configuration.consumerProperties(config)
        // The last setting wins: the configuration's own properties may override the strategy.
        let strategy = properties.last { $0.0 == "partition.assignment.strategy" }?.1 ?? ""
        context = ConsumerContext(logger: logger, cooperativeSticky: strategy.contains(AssignmentStrategy.cooperativeSticky.rawValue))
        client = try RdKafkaClient(
            RD_KAFKA_CONSUMER, properties: properties, context: context,
            // close() leaves the group; a consumer dropped without it just stops (its session expires).
            destroyFlags: Int32(RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE)
        ) { conf in
            rd_kafka_conf_set_rebalance_cb(conf, rebalance)
        }
        // Errors and logs are served by the consumer's poll too.
        rd_kafka_poll_set_consumer(client.pointer)
        queue = DispatchQueue(label: "rdkafka-consumer-\(config.groupId)")
        groupId = config.groupId
        self.metrics = metrics
    }

    func subscribe(_ topics: [String], listener: RebalanceListener) async throws {
        try checkOpen()
        context.listener.withLock { $0 = listener }
        let list = PartitionList(topics.map { TopicPartition($0, Int(RD_KAFKA_PARTITION_UA)) })
        try KafkaErrors.check(rd_kafka_subscribe(client.pointer, list.pointer), "subscribing to \(topics)")
    }

    func poll(max: Int, timeout: Duration) async throws -> [ConsumerRecord] {
        try checkOpen()
        let client = client
        let logger = context.logger
        return try await blocking(on: queue) {
            var records: [ConsumerRecord] = []
            var wait = timeout.rdKafkaMilliseconds
            // rkt handles are stable per topic: convert each topic's name once per poll.
            var topicNames: [OpaquePointer: String] = [:]
            while records.count < max, let message = rd_kafka_consumer_poll(client.pointer, wait) {
                defer { rd_kafka_message_destroy(message) }
                wait = 0
                let error = message.pointee.err
                guard error == .success else {
                    if error == RD_KAFKA_RESP_ERR__PARTITION_EOF { continue }
                    let description = KafkaErrors.describe(message)
                    if error == RD_KAFKA_RESP_ERR__FATAL { throw KafkaErrors.error(error, "consuming", detail: description, fatal: true) }
                    // librdkafka recovers from the rest by itself (a broker away, a topic not there yet).
                    logger.warning("Kafka consumer: \(KafkaErrors.name(error)): \(description)")
                    continue
                }
                records.append(ConsumerRecord(message, topicNames: &topicNames))
            }
            return records
        }
    }

    func commit(_ offsets: [TopicPartition: Int64]) async throws {
        try checkOpen()
        guard !offsets.isEmpty else { return }
        let client = client
        let list = PartitionList(offsets: offsets)
        try await blocking {
            try KafkaErrors.check(rd_kafka_commit(client.pointer, list.pointer, 0), "committing offsets")
            for entry in list.entries where entry.error != .success {
                throw KafkaErrors.error(entry.error, "committing offset \(entry.offset) of \(entry.partition)")
            }
        }
    }

    func seek(_ partition: TopicPartition, to position: SeekPosition) async throws {
        try checkOpen()
        guard await assignment().contains(partition) else {
            throw TransportError(.notAssigned, "cannot seek \(partition): it is not assigned to this consumer (poll first to receive partitions)")
        }
        let client = client
        try await blocking {
            let offset: Int64
            switch position {
            case .offset(let value): offset = value
            case .beginning: offset = Int64(RD_KAFKA_OFFSET_BEGINNING)
            case .end: offset = Int64(RD_KAFKA_OFFSET_END)
            case .timestamp(let milliseconds):
                let query = PartitionList([partition], offsets: [partition: milliseconds])
                try KafkaErrors.check(rd_kafka_offsets_for_times(client.pointer, query.pointer, RdKafkaClient.requestTimeout), "finding the offset for time \(milliseconds) in \(partition)")
                let found = query.entries.first?.offset ?? -1
                offset = found >= 0 ? found : Int64(RD_KAFKA_OFFSET_END)
            }
            let list = PartitionList([partition], offsets: [partition: offset])
            try KafkaErrors.check(rd_kafka_seek_partitions(client.pointer, list.pointer, RdKafkaClient.requestTimeout), "seeking \(partition)")
            for entry in list.entries where entry.error != .success { throw KafkaErrors.error(entry.error, "seeking \(entry.partition)") }
        }
    }

    func pause(_ partitions: [TopicPartition]) async throws {
        try checkOpen()
        let list = PartitionList(partitions)
        try KafkaErrors.check(rd_kafka_pause_partitions(client.pointer, list.pointer), "pausing \(partitions)")
    }

    func resume(_ partitions: [TopicPartition]) async throws {
        try checkOpen()
        let list = PartitionList(partitions)
        try KafkaErrors.check(rd_kafka_resume_partitions(client.pointer, list.pointer), "resuming \(partitions)")
    }

    func assignment() async -> Set<TopicPartition> {
        guard !closed.load(ordering: .acquiring) else { return [] }
        var list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?
        guard rd_kafka_assignment(client.pointer, &list) == .success, let list else { return [] }
        return Set(PartitionList(owning: list).entries.map(\.partition))
    }

    func position(_ partition: TopicPartition) async throws -> Int64? {
        try checkOpen()
        let list = PartitionList([partition])
        try KafkaErrors.check(rd_kafka_position(client.pointer, list.pointer), "reading the position of \(partition)")
        return list.entries.first.flatMap { $0.offset >= 0 ? $0.offset : nil }
    }

    /// Records between each assigned partition's position (or committed offset) and its high
    /// watermark; published as the `eventcontracts_kafka_consumer_lag` gauge.
    func lag() async throws -> [TopicPartition: Int64] {
        try checkOpen()
        let partitions = await assignment()
        guard !partitions.isEmpty else { return [:] }
        let client = client
        let groupId = groupId
        let metrics = metrics
        return try await blocking {
            let positions = PartitionList(partitions.sorted())
            try KafkaErrors.check(rd_kafka_position(client.pointer, positions.pointer), "reading positions")
            let unread = positions.entries.filter { $0.offset < 0 }.map(\.partition)
            var committed: [TopicPartition: Int64] = [:]
            if !unread.isEmpty {
                let list = PartitionList(unread)
                try KafkaErrors.check(rd_kafka_committed(client.pointer, list.pointer, RdKafkaClient.requestTimeout), "reading committed offsets")
                for entry in list.entries where entry.offset >= 0 { committed[entry.partition] = entry.offset }
            }
            var result: [TopicPartition: Int64] = [:]
            for entry in positions.entries {
                let lag = try client.unread(entry.partition, after: entry.offset >= 0 ? entry.offset : committed[entry.partition])
                result[entry.partition] = lag
                Gauge(
                    label: "eventcontracts_kafka_consumer_lag",
                    dimensions: [("group", groupId), ("topic", entry.partition.topic), ("partition", String(entry.partition.partition))],
                    factory: metrics
                ).record(lag)
            }
            return result
        }
    }

    /// Leaves the group: the revoked callback runs (so a processor commits), then the partitions
    /// go to the other members at once.
    func close() async throws {
        guard !closing.exchange(true, ordering: .acquiringAndReleasing) else { return }
        let client = client
        // Still open while it leaves: the revoked callback commits through this consumer.
        defer { closed.store(true, ordering: .releasing) }
        try await blocking(on: queue) { try KafkaErrors.check(rd_kafka_consumer_close(client.pointer), "leaving the group") }
    }

    private func checkOpen() throws {
        if closed.load(ordering: .acquiring) { throw KafkaError.closed }
    }
}

/// The consumer's state that librdkafka's rebalance callback reaches.
final class ConsumerContext: ClientContext, @unchecked Sendable {
    let listener = Mutex(RebalanceListener())
    /// Set by the first assign callback (librdkafka's assignor has received an assignment by then).
    let assignmentReceived = Atomic(false)
    private let cooperativeSticky: Bool

    init(logger: Logger, cooperativeSticky: Bool) {
        self.cooperativeSticky = cooperativeSticky
        super.init(logger: logger)
    }

    /// librdkafka before 2.3.0 aborts the process when it destroys a cooperative-sticky consumer
    /// that joined its group but never received an assignment (a processor stopped during its
    /// first rebalance): the sticky assignor's state is still NULL and its destructor asserts
    /// (librdkafka issue #4312, fixed by #4381 in 2.3.0; Debian 12 ships 2.0.2). Such a consumer
    /// is left undestroyed instead: its threads and connections stay until the process exits.
    override var canBeDestroyed: Bool {
        !cooperativeSticky || assignmentReceived.load(ordering: .acquiring) || rd_kafka_version() >= Self.firstVersionDestroyingUnassigned
    }

    /// librdkafka 2.3.0, as `rd_kafka_version()` spells it (0xMMmmrrxx).
    private static let firstVersionDestroyingUnassigned: Int32 = 0x0203_0000
}

/// librdkafka's rebalance callback, on the consumer's queue inside `poll` or `close`: tells the
/// listener, then applies the assignment (eager: all at once; cooperative: only what moved).
private func rebalance(
    _ client: OpaquePointer?, _ error: rd_kafka_resp_err_t, _ partitions: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?,
    _ opaque: UnsafeMutableRawPointer?
) {
    guard let client, let context = ClientContext.from(client) as? ConsumerContext else { return }
    let listener = context.listener.withLock { $0 }
    let moved = PartitionList.entries(of: partitions).map(\.partition)
    let cooperative = String(cString: rd_kafka_rebalance_protocol(client)) == "COOPERATIVE"
    var failure: (any Error)?
    switch error {
    case RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS:
        failure = cooperative
            ? KafkaErrors.take(rd_kafka_incremental_assign(client, partitions), "taking partitions \(moved)")
            : (rd_kafka_assign(client, partitions) == .success ? nil : KafkaErrors.error(RD_KAFKA_RESP_ERR__STATE, "taking partitions \(moved)"))
        context.assignmentReceived.store(true, ordering: .releasing)
        runToCompletion { await listener.assigned(moved) }
    case RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS:
        if rd_kafka_assignment_lost(client) != 0 {
            runToCompletion { await listener.lost(moved) }
        } else {
            runToCompletion { await listener.revoked(moved) }
        }
        failure = cooperative
            ? KafkaErrors.take(rd_kafka_incremental_unassign(client, partitions), "giving up partitions \(moved)")
            : (rd_kafka_assign(client, nil) == .success ? nil : KafkaErrors.error(RD_KAFKA_RESP_ERR__STATE, "giving up partitions \(moved)"))
    default:
        context.logger.error("Kafka rebalance failed: \(KafkaErrors.name(error)); dropping the assignment")
        _ = rd_kafka_assign(client, nil)
    }
    if let failure { context.logger.error("Kafka rebalance: \(failure)") }
}

/// Runs an async listener from librdkafka's callback thread (never a cooperative-pool thread) and
/// waits for it: the rebalance must not go on until the listener has committed.
private func runToCompletion(_ body: @escaping @Sendable () async -> Void) {
    let done = DispatchSemaphore(value: 0)
    Task {
        await body()
        done.signal()
    }
    done.wait()
}

extension ConsumerRecord {
    /// Copies a message out of librdkafka's buffer.
    init(_ message: UnsafeMutablePointer<rd_kafka_message_t>, topicNames: inout [OpaquePointer: String]) {
        let raw = message.pointee
        var topic = ""
        if let handle = raw.rkt {
            if let name = topicNames[handle] {
                topic = name
            } else {
                topic = String(cString: rd_kafka_topic_name(handle))
                topicNames[handle] = topic
            }
        }
        var timestampType = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE
        self.init(
            topic: topic, partition: Int(raw.partition), offset: raw.offset,
            timestamp: rd_kafka_message_timestamp(message, &timestampType),
            key: raw.key.map { Array(UnsafeRawBufferPointer(start: $0, count: raw.key_len)) },
            value: raw.payload.map { Array(UnsafeRawBufferPointer(start: $0, count: raw.len)) } ?? [],
            headers: Self.headers(of: message))
    }

    private static func headers(of message: UnsafeMutablePointer<rd_kafka_message_t>) -> [RecordHeader] {
        var list: OpaquePointer?
        guard rd_kafka_message_headers(message, &list) == .success, let list else { return [] }
        var headers: [RecordHeader] = []
        headers.reserveCapacity(rd_kafka_header_cnt(list))
        var index = 0
        var name: UnsafePointer<CChar>?
        var value: UnsafeRawPointer?
        var size = 0
        while rd_kafka_header_get_all(list, index, &name, &value, &size) == .success {
            let bytes = value.map { Array(UnsafeRawBufferPointer(start: $0, count: size)) } ?? []
            headers.append(RecordHeader(name.map { String(cString: $0) } ?? "", bytes: bytes))
            index += 1
        }
        return headers
    }
}

extension KafkaErrors {
    /// A consumed error message's text (librdkafka puts it in the payload).
    static func describe(_ message: UnsafeMutablePointer<rd_kafka_message_t>) -> String {
        if let text = rd_kafka_message_errstr(message) { return String(cString: text) }
        return String(cString: rd_kafka_err2str(message.pointee.err))
    }
}
#endif
