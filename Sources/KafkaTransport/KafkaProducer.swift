#if Kafka
import CRdKafka
import EventTransport
import Logging
import Synchronization

/// The runtime's producer on librdkafka: records are queued with `rd_kafka_produceva` (copied, so
/// the Swift arrays are free at once) and `send` returns when every record's delivery report has
/// arrived, in the order given. Delivery reports are served on the client's own poll thread.
final class KafkaProducer: TransportProducer {
    private let client: RdKafkaClient
    private let pollThread: PollThread
    private let closed = Atomic(false)
    private let transactionTimeout: Duration

    init(configuration: KafkaConfiguration, config: ProducerConfig, logger: Logger, transactionTimeout: Duration) async throws {
        let client = try RdKafkaClient(
            RD_KAFKA_PRODUCER, properties: try configuration.producerProperties(config), context: ClientContext(logger: logger)
        ) { conf in
            rd_kafka_conf_set_dr_msg_cb(conf, deliveryReport)
        }
        self.client = client
        self.transactionTimeout = transactionTimeout
        pollThread = PollThread(client, name: "rdkafka-producer-poll")
        if config.transactionalId != nil {
            // Java's initTransactions(): fences older producers with the same transactional id.
            let timeout = transactionTimeout.rdKafkaMilliseconds
            do {
                try await blocking { try KafkaErrors.check(rd_kafka_init_transactions(client.pointer, timeout), "initialising transactions") }
            } catch {
                pollThread.stop()
                throw error
            }
        }
    }

    deinit {
        pollThread.stop(waiting: false)
    }

    func send(_ records: [OutgoingRecord]) async throws -> [RecordMetadata] {
        guard !closed.load(ordering: .acquiring) else { throw KafkaError.closed }
        guard !records.isEmpty else { return [] }
        let batch = DeliveryBatch(records)
        var enqueued = 0
        var enqueueError: (any Error)?
        var arena: [UInt8] = []
        var arguments: [rd_kafka_vu_t] = []
        while enqueued < records.count {
            guard let error = enqueue(records[enqueued], opaque: batch.opaque(for: enqueued), arena: &arena, arguments: &arguments) else {
                enqueued += 1
                continue
            }
            if rd_kafka_error_code(error) == RD_KAFKA_RESP_ERR__QUEUE_FULL, !Task.isCancelled {
                // librdkafka's queue is full (queue.buffering.max.messages): wait for deliveries to drain it.
                rd_kafka_error_destroy(error)
                try? await Task.sleep(for: .milliseconds(1))
                continue
            }
            enqueueError = KafkaErrors.take(error, "queueing a record for \(records[enqueued].topic)")
            break
        }
        // Records already queued are reported on whatever happens next: wait for them all, so no
        // delivery report outlives the batch it points into.
        await batch.waitForReports(count: enqueued)
        if let enqueueError { throw enqueueError }
        return try batch.metadata()
    }

    /// Queues one record. The topic, header names and header values are laid out NUL-terminated in
    /// one reused buffer, so a record costs no allocations of its own on the way in.
    private func enqueue(
        _ record: OutgoingRecord, opaque: UnsafeMutableRawPointer, arena: inout [UInt8], arguments: inout [rd_kafka_vu_t]
    ) -> OpaquePointer? {
        arena.removeAll(keepingCapacity: true)
        arena.append(contentsOf: record.topic.utf8)
        arena.append(0)
        for header in record.headers {
            arena.append(contentsOf: header.name.utf8)
            arena.append(0)
            arena.append(contentsOf: header.value)
        }
        arguments.removeAll(keepingCapacity: true)
        return arena.withUnsafeBufferPointer { arenaBytes in
            record.value.withUnsafeBufferPointer { value in
                withOptionalBytes(record.key) { key in
                    guard let base = arenaBytes.baseAddress else { return nil }
                    func argument(_ type: rd_kafka_vtype_t, _ fill: (inout rd_kafka_vu_t) -> Void) {
                        var vu = rd_kafka_vu_t()
                        vu.vtype = type
                        fill(&vu)
                        arguments.append(vu)
                    }
                    argument(RD_KAFKA_VTYPE_TOPIC) { $0.u.cstr = UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self) }
                    argument(RD_KAFKA_VTYPE_PARTITION) { $0.u.i32 = record.partition.map { Int32($0) } ?? RD_KAFKA_PARTITION_UA }
                    if let key {
                        argument(RD_KAFKA_VTYPE_KEY) {
                            $0.u.mem.ptr = UnsafeMutableRawPointer(mutating: key.baseAddress)
                            $0.u.mem.size = key.count
                        }
                    }
                    argument(RD_KAFKA_VTYPE_VALUE) {
                        $0.u.mem.ptr = UnsafeMutableRawPointer(mutating: value.baseAddress)
                        $0.u.mem.size = value.count
                    }
                    var offset = record.topic.utf8.count + 1
                    for header in record.headers {
                        let nameOffset = offset
                        offset += header.name.utf8.count + 1
                        let valueOffset = offset
                        offset += header.value.count
                        argument(RD_KAFKA_VTYPE_HEADER) {
                            $0.u.header.name = UnsafeRawPointer(base + nameOffset).assumingMemoryBound(to: CChar.self)
                            $0.u.header.val = UnsafeRawPointer(base + valueOffset)
                            $0.u.header.size = header.value.count
                        }
                    }
                    if let timestamp = record.timestamp { argument(RD_KAFKA_VTYPE_TIMESTAMP) { $0.u.i64 = timestamp } }
                    argument(RD_KAFKA_VTYPE_MSGFLAGS) { $0.u.i = RD_KAFKA_MSG_F_COPY }
                    argument(RD_KAFKA_VTYPE_OPAQUE) { $0.u.ptr = opaque }
                    return arguments.withUnsafeBufferPointer { rd_kafka_produceva(client.pointer, $0.baseAddress, $0.count) }
                }
            }
        }
    }

    func beginTransaction() async throws {
        try checkOpen()
        try KafkaErrors.check(rd_kafka_begin_transaction(client.pointer), "beginning a transaction")
    }

    func sendOffsetsToTransaction(_ offsets: [TopicPartition: Int64], group: String) async throws {
        try checkOpen()
        let client = client
        let timeout = transactionTimeout.rdKafkaMilliseconds
        let list = PartitionList(offsets: offsets)
        try await blocking {
            guard let metadata = rd_kafka_consumer_group_metadata_new(group) else {
                throw KafkaError.configuration("could not describe consumer group '\(group)'")
            }
            defer { rd_kafka_consumer_group_metadata_destroy(metadata) }
            try KafkaErrors.check(
                rd_kafka_send_offsets_to_transaction(client.pointer, list.pointer, metadata, timeout),
                "adding group '\(group)' offsets to the transaction")
        }
    }

    func commitTransaction() async throws {
        try await endTransaction(rd_kafka_commit_transaction, "committing the transaction")
    }

    func abortTransaction() async throws {
        try await endTransaction(rd_kafka_abort_transaction, "aborting the transaction")
    }

    /// Commit and abort: the same blocking call with the transaction timeout.
    private func endTransaction(
        _ call: @escaping @Sendable (OpaquePointer?, Int32) -> OpaquePointer?, _ what: String
    ) async throws {
        try checkOpen()
        let client = client
        let timeout = transactionTimeout.rdKafkaMilliseconds
        try await blocking { try KafkaErrors.check(call(client.pointer, timeout), what) }
    }

    /// Waits for queued records to be delivered (up to the transaction timeout), then stops.
    func close() async {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        let client = client
        let pollThread = pollThread
        let timeout = transactionTimeout.rdKafkaMilliseconds
        _ = try? await blocking {
            let remaining = rd_kafka_flush(client.pointer, timeout)
            if remaining != .success {
                client.context.logger.warning("closing the Kafka producer with records undelivered: \(KafkaErrors.name(remaining))")
            }
            pollThread.stop()
        }
    }

    private func checkOpen() throws {
        if closed.load(ordering: .acquiring) { throw KafkaError.closed }
    }
}

private func withOptionalBytes<R>(_ bytes: [UInt8]?, _ body: (UnsafeBufferPointer<UInt8>?) -> R) -> R {
    guard let bytes else { return body(nil) }
    return bytes.withUnsafeBufferPointer { body($0) }
}

/// One `send`'s records on their way: collects their delivery reports and wakes the sender when
/// the last one arrives. Each record's opaque pointer is a slot holding the batch's address, so
/// the report finds both the batch and the record's index without an allocation per record.
final class DeliveryBatch: @unchecked Sendable {
    private let slots: UnsafeMutablePointer<UnsafeMutableRawPointer>
    private let topics: [String]
    private let state: Mutex<State>

    private struct State {
        var metadata: [RecordMetadata]
        var failure: (any Error)?
        var reported = 0
        var expected: Int?
        var waiter: CheckedContinuation<Void, Never>?
    }

    init(_ records: [OutgoingRecord]) {
        topics = records.map(\.topic)
        state = Mutex(State(metadata: records.map { RecordMetadata(topic: $0.topic, partition: -1, offset: -1, timestamp: -1) }))
        slots = .allocate(capacity: records.count)
        slots.initialize(repeating: Unmanaged.passUnretained(self).toOpaque(), count: records.count)
    }

    deinit {
        slots.deinitialize(count: topics.count)
        slots.deallocate()
    }

    func opaque(for index: Int) -> UnsafeMutableRawPointer {
        UnsafeMutableRawPointer(slots + index)
    }

    /// The batch and record index an opaque pointer from `opaque(for:)` stands for. The batch is
    /// alive: its `send` waits for every report.
    static func resolve(_ opaque: UnsafeMutableRawPointer) -> (DeliveryBatch, Int) {
        let slot = opaque.assumingMemoryBound(to: UnsafeMutableRawPointer.self)
        let batch = Unmanaged<DeliveryBatch>.fromOpaque(slot.pointee).takeUnretainedValue()
        return (batch, slot - batch.slots)
    }

    func report(_ index: Int, _ result: Result<(partition: Int, offset: Int64, timestamp: Int64), any Error>) {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            switch result {
            case .success(let stored):
                state.metadata[index] = RecordMetadata(topic: topics[index], partition: stored.partition, offset: stored.offset, timestamp: stored.timestamp)
            case .failure(let error):
                if state.failure == nil { state.failure = error }
            }
            state.reported += 1
            guard state.reported == state.expected else { return nil }
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume()
    }

    func topic(_ index: Int) -> String { topics[index] }

    func waitForReports(count: Int) async {
        await withCheckedContinuation { continuation in
            let done = state.withLock { state -> Bool in
                state.expected = count
                if state.reported == count { return true }
                state.waiter = continuation
                return false
            }
            if done { continuation.resume() }
        }
    }

    func metadata() throws -> [RecordMetadata] {
        try state.withLock { state in
            if let failure = state.failure { throw failure }
            return state.metadata
        }
    }
}

private func deliveryReport(_ client: OpaquePointer?, _ message: UnsafePointer<rd_kafka_message_t>?, _ opaque: UnsafeMutableRawPointer?) {
    guard let message, let slot = message.pointee._private else { return }
    let (batch, index) = DeliveryBatch.resolve(slot)
    let error = message.pointee.err
    guard error == .success else {
        var detail: String?
        if error == RD_KAFKA_RESP_ERR__FATAL, let client {
            var text = [CChar](repeating: 0, count: 512)
            let cause = rd_kafka_fatal_error(client, &text, text.count)
            detail = "\(KafkaErrors.name(cause)): " + String(errorBuffer: text)
        }
        let retriable = [RD_KAFKA_RESP_ERR__MSG_TIMED_OUT, RD_KAFKA_RESP_ERR__TIMED_OUT, RD_KAFKA_RESP_ERR__TRANSPORT].contains(error)
        batch.report(index, .failure(KafkaErrors.error(
            error, "delivering a record to \(batch.topic(index))", detail: detail, retriable: retriable, fatal: error == RD_KAFKA_RESP_ERR__FATAL)))
        return
    }
    var timestampType = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE
    let timestamp = rd_kafka_message_timestamp(message, &timestampType)
    // acks=0 stores without telling the offset: -1, as the in-process broker answers.
    let offset = message.pointee.offset >= 0 ? message.pointee.offset : -1
    batch.report(index, .success((Int(message.pointee.partition), offset, timestamp)))
}
#endif
