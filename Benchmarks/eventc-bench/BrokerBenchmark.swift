import EventRuntime
import Foundation
import Logging
import Synchronization

/// The in-process broker against a bare baseline measured in the same run: a lock-protected
/// array of the same records, appended and read in the same batches by the same two tasks.
/// Everything the broker adds (partitions, offsets, groups, idempotence, wake-ups) is the difference.
enum BrokerBenchmark {
    static let recordCount = 2_000_000
    static let batchSize = 500
    static let pollSize = 2_000
    static let value = [UInt8](repeating: 0x61, count: 100)
    static let options: InProcessBroker.Options = {
        var logger = Logger(label: "eventc-bench.broker")
        logger.logLevel = .warning
        return InProcessBroker.Options(logger: logger)
    }()

    static func run() async {
        do {
            try await measure()
        } catch {
            FileOutput.standardError("broker benchmark failed: \(error)\n")
        }
    }

    /// Every record gets its own value buffer, as serialized events do (one shared buffer would
    /// make both cores fight over its reference count, which no real workload does). Built before
    /// the clock starts.
    private static func batches(topic: String, count: Int = recordCount) -> [[OutgoingRecord]] {
        (0..<(count / batchSize)).map { _ in
            (0..<batchSize).map { OutgoingRecord(topic: topic, key: nil, value: Array(value), partition: $0 % 4) }
        }
    }

    private static func rate(_ count: Int, _ duration: Duration) -> Double {
        Double(count) / Measure.seconds(duration)
    }

    private static func measure() async throws {
        let clock = ContinuousClock()

        // Produce, then consume the same records.
        let broker = try InProcessBroker(options)
        try await broker.createTopic("bench", config: TopicConfig(partitions: 4, retentionMilliseconds: nil))
        let producer = try await broker.makeProducer(ProducerConfig(acks: .leader))
        let input = batches(topic: "bench")
        let produce = try await clock.measure {
            for batch in input { _ = try await producer.send(batch) }
        }
        let consumer = try await broker.makeConsumer(ConsumerConfig(groupId: "bench", offsetReset: .earliest))
        try await consumer.subscribe(["bench"])
        let consume = try await clock.measure {
            var received = 0
            while received < recordCount { received += try await consumer.poll(max: pollSize, timeout: .seconds(1)).count }
        }
        Measure.figure("broker.produce_records_per_s", rate(recordCount, produce), "records/s")
        Measure.figure("broker.consume_records_per_s", rate(recordCount, consume), "records/s")

        // End to end: a producer task and a consumer task at once, best of three.
        var endToEnd = Duration.seconds(1_000)
        var bare = Duration.seconds(1_000)
        for round in 0..<3 {
            endToEnd = min(endToEnd, try await brokerEndToEnd(round: round))
            bare = min(bare, await bareEndToEnd())
        }
        let brokerRate = rate(recordCount, endToEnd)
        let bareRate = rate(recordCount, bare)
        Measure.figure("broker.end_to_end_records_per_s", brokerRate, "records/s")
        Measure.figure("broker.bare_baseline_records_per_s", bareRate, "records/s")
        Measure.figure("broker.vs_bare_baseline", brokerRate / bareRate, "x")
        Measure.figure("broker.p99_handoff_us", try await handoffLatencyP99(), "us")
        Measure.figure("broker.durable_records_per_s", try await durableAcksAll(), "records/s")
    }

    private static func brokerEndToEnd(round: Int) async throws -> Duration {
        let broker = try InProcessBroker(options)
        try await broker.createTopic("e2e", config: TopicConfig(partitions: 4, retentionMilliseconds: nil))
        let producer = try await broker.makeProducer(ProducerConfig(acks: .leader))
        let consumer = try await broker.makeConsumer(ConsumerConfig(groupId: "e2e", offsetReset: .earliest))
        try await consumer.subscribe(["e2e"])
        _ = try await consumer.poll(max: 0, timeout: .zero)
        let input = batches(topic: "e2e")
        return try await ContinuousClock().measure {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for batch in input { _ = try await producer.send(batch) }
                }
                group.addTask {
                    var received = 0
                    while received < recordCount { received += try await consumer.poll(max: pollSize, timeout: .seconds(1)).count }
                }
                try await group.waitForAll()
            }
        }
    }

    /// The floor: the same records through a Mutex-protected array, batch in, batch out.
    private static func bareEndToEnd() async -> Duration {
        let queue = BareQueue()
        let input = (0..<(recordCount / batchSize)).map { _ in
            (0..<batchSize).map {
                ConsumerRecord(topic: "bare", partition: $0 % 4, offset: 0, timestamp: 0, key: nil, value: Array(value), headers: [])
            }
        }
        return await ContinuousClock().measure {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    for batch in input { queue.append(batch) }
                }
                group.addTask {
                    var received = 0
                    while received < recordCount {
                        let taken = queue.read(from: received, max: pollSize)
                        if taken.isEmpty { await Task.yield() }
                        received += taken.count
                    }
                }
            }
        }
    }

    /// One record at a time to a consumer waiting in poll: how long the hand-off takes.
    private static func handoffLatencyP99() async throws -> Double {
        let broker = try InProcessBroker(options)
        try await broker.createTopic("latency", config: TopicConfig(partitions: 1))
        let producer = try await broker.makeProducer(ProducerConfig(acks: .leader))
        let consumer = try await broker.makeConsumer(ConsumerConfig(groupId: "latency", offsetReset: .earliest))
        try await consumer.subscribe(["latency"])
        _ = try await consumer.poll(max: 0, timeout: .zero)
        let samples = 2_000
        let origin = ContinuousClock.now
        let latencies = try await withThrowingTaskGroup(of: [Double].self) { group in
            group.addTask {
                var latencies: [Double] = []
                while latencies.count < samples {
                    for record in try await consumer.poll(max: 100, timeout: .seconds(1)) {
                        let sent = record.value.withUnsafeBytes { $0.loadUnaligned(as: Int64.self) }
                        let now = Int64(Measure.seconds(ContinuousClock.now - origin) * 1e9)
                        latencies.append(Double(now - sent) / 1_000)
                    }
                }
                return latencies
            }
            group.addTask {
                for _ in 0..<samples {
                    try await Task.sleep(for: .microseconds(200))
                    var value = [UInt8](repeating: 0, count: 100)
                    let now = Int64(Measure.seconds(ContinuousClock.now - origin) * 1e9)
                    withUnsafeBytes(of: now) { value.replaceSubrange(0..<8, with: $0) }
                    _ = try await producer.send([OutgoingRecord(topic: "latency", key: nil, value: value)])
                }
                return []
            }
            var all: [Double] = []
            for try await part in group { all += part }
            return all
        }
        let sorted = latencies.sorted()
        return sorted[min(sorted.count - 1, Int(Double(sorted.count) * 0.99))]
    }

    /// acks=all on a durable broker: eight producers in parallel share fsyncs (group commit).
    private static func durableAcksAll() async throws -> Double {
        let directory = NSTemporaryDirectory() + "eventc-bench-durable-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var durable = options
        durable.storage = .directory(directory)
        let broker = try InProcessBroker(durable)
        defer { broker.close() }
        try await broker.createTopic("durable", config: TopicConfig(partitions: 4, retentionMilliseconds: nil, segmentBytes: 64 << 20))
        let producers = 8
        let perProducer = 125_000
        let duration = try await ContinuousClock().measure {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<producers {
                    let input = batches(topic: "durable", count: perProducer)
                    group.addTask {
                        let producer = try await broker.makeProducer(ProducerConfig(acks: .all))
                        for batch in input { _ = try await producer.send(batch) }
                    }
                }
                try await group.waitForAll()
            }
        }
        return rate(producers * perProducer, duration)
    }
}

/// The baseline: a lock-protected array, appended and read in batches.
private final class BareQueue: Sendable {
    private let records = Mutex<[ConsumerRecord]>([])

    func append(_ batch: [ConsumerRecord]) {
        records.withLock { $0.append(contentsOf: batch) }
    }

    func read(from index: Int, max: Int) -> [ConsumerRecord] {
        records.withLock { records in
            guard index < records.count else { return [] }
            return Array(records[index..<Swift.min(records.count, index + max)])
        }
    }
}
