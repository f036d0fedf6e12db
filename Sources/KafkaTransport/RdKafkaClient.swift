#if Kafka
import CRdKafka
import Dispatch
import EventTransport
import Foundation
import Logging
import Synchronization

/// One librdkafka client (`rd_kafka_t`). librdkafka's handles are thread-safe, which is what makes
/// sharing the pointer across tasks sound; the client is destroyed with the last reference.
final class RdKafkaClient: @unchecked Sendable {
    let pointer: OpaquePointer
    let context: ClientContext
    private let destroyFlags: Int32

    /// Creates a producer-type or consumer-type client with these properties, applied in order.
    init(
        _ type: rd_kafka_type_t, properties: [(String, String)], context: ClientContext, destroyFlags: Int32 = 0,
        configure: (OpaquePointer) -> Void = { _ in }
    ) throws(KafkaError) {
        guard let conf = rd_kafka_conf_new() else { throw .configuration("librdkafka could not allocate a configuration") }
        var errorText = [CChar](repeating: 0, count: 512)
        for (name, value) in properties {
            if rd_kafka_conf_set(conf, name, value, &errorText, errorText.count) != RD_KAFKA_CONF_OK {
                rd_kafka_conf_destroy(conf)
                throw .configuration("\(name)=\(Self.redacted(name, value)): \(String(errorBuffer: errorText))")
            }
        }
        // librdkafka's log lines go to swift-log, not to stderr.
        rd_kafka_conf_set_log_cb(conf, clientLog)
        rd_kafka_conf_set_error_cb(conf, clientError)
        rd_kafka_conf_set_opaque(conf, Unmanaged.passUnretained(context).toOpaque())
        configure(conf)
        guard let handle = rd_kafka_new(type, conf, &errorText, errorText.count) else {
            rd_kafka_conf_destroy(conf)
            throw .configuration("could not create the Kafka client: \(String(errorBuffer: errorText))")
        }
        pointer = handle
        self.context = context
        self.destroyFlags = destroyFlags
    }

    /// rd_kafka_destroy waits for librdkafka's threads to finish (up to seconds): it runs on a
    /// dispatch queue, so dropping the last reference never parks a cooperative-pool thread. The
    /// context stays alive until then, for the callbacks that may still come.
    deinit {
        guard context.canBeDestroyed else {
            context.logger.warning(
                "a cooperative-sticky consumer that never received an assignment is not destroyed: librdkafka \(String(cString: rd_kafka_version_str())) would abort the process (fixed in 2.3.0); its threads stay until the process exits")
            // Its callbacks may still come: the context they reach must outlive them.
            _ = Unmanaged.passRetained(context)
            return
        }
        let handle = Handle(pointer: pointer, context: context, flags: destroyFlags)
        DispatchQueue.global().async { handle.destroy() }
    }

    private struct Handle: @unchecked Sendable {
        let pointer: OpaquePointer
        let context: ClientContext
        let flags: Int32

        func destroy() {
            rd_kafka_destroy_flags(pointer, flags)
            withExtendedLifetime(context) {}
        }
    }

    private static func redacted(_ name: String, _ value: String) -> String {
        name.contains("password") || name.contains("secret") ? "***" : value
    }

    /// How long a request to the cluster that a caller waits on (commits read back, watermarks,
    /// seeks, offsets for times) may take, in librdkafka's milliseconds.
    static let requestTimeout: Int32 = 10_000

    /// Records in `partition` after `offset` (after the log start when there is none): asks the
    /// partition leader for the watermarks, not the cache fetches fill (a paused partition's goes stale).
    func unread(_ partition: TopicPartition, after offset: Int64?) throws -> Int64 {
        var low: Int64 = 0
        var high: Int64 = 0
        try KafkaErrors.check(
            rd_kafka_query_watermark_offsets(pointer, partition.topic, Int32(partition.partition), &low, &high, Self.requestTimeout),
            "reading the watermarks of \(partition)")
        return max(0, high - (offset ?? low))
    }

    /// The partition count of a topic, from the cluster's metadata; 0 when it does not exist.
    /// Asks for all topics: a request naming the topic would let a producer-type client create it
    /// (with the broker's default partitions) where `auto.create.topics.enable` is on.
    func partitionCount(_ topic: String, timeout: Duration) throws -> Int {
        var metadata: UnsafePointer<rd_kafka_metadata>?
        try KafkaErrors.check(rd_kafka_metadata(pointer, 1, nil, &metadata, timeout.rdKafkaMilliseconds), "reading the cluster's metadata")
        guard let metadata else { return 0 }
        defer { rd_kafka_metadata_destroy(metadata) }
        guard let topics = metadata.pointee.topics else { return 0 }
        for index in 0..<Int(metadata.pointee.topic_cnt) where String(cString: topics[index].topic) == topic {
            if topics[index].err == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART { return 0 }
            try KafkaErrors.check(topics[index].err, "reading metadata of '\(topic)'")
            return Int(topics[index].partition_cnt)
        }
        return 0
    }
}

/// What librdkafka's callbacks reach through the client's opaque pointer. Subclassed by the
/// consumer for its rebalance state.
class ClientContext: @unchecked Sendable {
    let logger: Logger

    init(logger: Logger) {
        self.logger = logger
    }

    /// Whether librdkafka can destroy the client without harm (see `ConsumerContext`).
    var canBeDestroyed: Bool { true }

    static func from(_ client: OpaquePointer?) -> ClientContext? {
        guard let client, let opaque = rd_kafka_opaque(client) else { return nil }
        return Unmanaged<ClientContext>.fromOpaque(opaque).takeUnretainedValue()
    }
}

private func clientLog(_ client: OpaquePointer?, _ level: Int32, _ facility: UnsafePointer<CChar>?, _ text: UnsafePointer<CChar>?) {
    guard let context = ClientContext.from(client), let text else { return }
    // syslog levels: 0-3 errors, 4 warning, 5-6 notice/info, 7 debug.
    let swiftLevel: Logger.Level = level <= 3 ? .error : level == 4 ? .warning : level <= 6 ? .info : .debug
    context.logger.log(
        level: swiftLevel, "\(String(cString: text))",
        metadata: ["facility": "\(facility.map { String(cString: $0) } ?? "")"], source: "librdkafka")
}

private func clientError(_ client: OpaquePointer?, _ code: Int32, _ reason: UnsafePointer<CChar>?, _ opaque: UnsafeMutableRawPointer?) {
    guard let context = ClientContext.from(client) else { return }
    let error = rd_kafka_resp_err_t(rawValue: code)
    // Most client errors are transient (a broker went away) and librdkafka recovers by itself.
    let level: Logger.Level = error == RD_KAFKA_RESP_ERR__FATAL ? .critical : .warning
    context.logger.log(
        level: level, "\(KafkaErrors.name(error)): \(reason.map { String(cString: $0) } ?? "")", source: "librdkafka")
}

/// Serves a producer-type client's callbacks (delivery reports, errors) on a thread of its own,
/// so nothing blocks the Swift cooperative pool.
final class PollThread: Sendable {
    private let running = Atomic(true)
    private let finished = DispatchSemaphore(value: 0)

    init(_ client: RdKafkaClient, name: String) {
        let thread = Thread { [self] in
            while running.load(ordering: .acquiring) { rd_kafka_poll(client.pointer, 50) }
            finished.signal()
        }
        thread.name = name
        thread.start()
    }

    /// Stops the loop; `waiting` for it takes at most one poll interval (a deinit does not wait:
    /// the thread holds what it polls until it ends).
    func stop(waiting: Bool = true) {
        guard running.exchange(false, ordering: .acquiringAndReleasing), waiting else { return }
        finished.wait()
    }
}

/// Runs librdkafka's blocking calls (commits, transactions, close) on a dispatch queue and
/// resumes the caller when they return: the cooperative pool's threads are never parked in C.
func blocking<T: Sendable>(on queue: DispatchQueue = .global(), _ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        queue.async { continuation.resume(with: Result { try body() }) }
    }
}

/// A `rd_kafka_topic_partition_list_t` built from Swift values and destroyed with this value.
final class PartitionList: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>

    init(_ partitions: some Sequence<TopicPartition>, offsets: [TopicPartition: Int64] = [:]) {
        let partitions = Array(partitions)
        pointer = rd_kafka_topic_partition_list_new(Int32(max(partitions.count, 1)))
        for partition in partitions {
            let entry = rd_kafka_topic_partition_list_add(pointer, partition.topic, Int32(partition.partition))
            if let offset = offsets[partition] { entry?.pointee.offset = offset }
        }
    }

    convenience init(offsets: [TopicPartition: Int64]) {
        self.init(offsets.keys.sorted(), offsets: offsets)
    }

    /// Takes ownership of a list librdkafka returned.
    init(owning pointer: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>) {
        self.pointer = pointer
    }

    deinit {
        rd_kafka_topic_partition_list_destroy(pointer)
    }

    var entries: [(partition: TopicPartition, offset: Int64, error: rd_kafka_resp_err_t)] {
        Self.entries(of: pointer)
    }

    static func entries(of list: UnsafePointer<rd_kafka_topic_partition_list_t>?) -> [(partition: TopicPartition, offset: Int64, error: rd_kafka_resp_err_t)] {
        guard let list, let elements = list.pointee.elems else { return [] }
        return (0..<Int(list.pointee.cnt)).map { index in
            let element = elements[index]
            return (TopicPartition(String(cString: element.topic), Int(element.partition)), element.offset, element.err)
        }
    }
}

extension Duration {
    /// librdkafka's timeout arguments: whole milliseconds in an Int32.
    var rdKafkaMilliseconds: Int32 { Int32(clamping: milliseconds) }
}

extension String {
    /// The text librdkafka wrote into an error buffer, up to its NUL.
    init(errorBuffer: [CChar]) {
        self.init(decoding: errorBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
#endif
