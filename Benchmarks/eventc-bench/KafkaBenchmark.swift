#if Kafka
import EventRuntime
import Foundation
import KafkaTransport
import Logging

/// The Kafka transport on librdkafka's 3-broker mock cluster (loopback sockets, Kafka's wire
/// protocol, acks=all with idempotence), beside the in-process broker on the same workload in the
/// same run. The mock is not a real cluster: the figures say what our librdkafka layer costs and
/// sustains, not what a networked cluster does.
enum KafkaBenchmark {
    /// 12.5k records a partition: the mock keeps only the newest segments of a partition, and a
    /// consumer behind by more than that would find its records gone.
    static let recordCount = 100_000
    static let batchSize = 5_000
    static let concurrentSenders = 4
    static let partitions = 8

    static func run() async {
        do {
            try await measure()
        } catch {
            FileOutput.standardError("kafka benchmark failed: \(error)\n")
        }
    }

    private static func batches(topic: String) -> [[OutgoingRecord]] {
        (0..<(recordCount / batchSize)).map { batch in
            (0..<batchSize).map {
                OutgoingRecord(
                    topic: topic, key: Array("key-\(batch * batchSize + $0)".utf8), value: [UInt8](repeating: 0x61, count: 100),
                    headers: [RecordHeader("ce_type", "BenchEvent"), RecordHeader("ce_id", "\($0)")])
            }
        }
    }

    /// Sends every batch from `concurrentSenders` tasks, as a busy service does.
    private static func produce(_ producer: any TransportProducer, _ input: [[OutgoingRecord]]) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for sender in 0..<concurrentSenders {
                group.addTask {
                    for index in stride(from: sender, to: input.count, by: concurrentSenders) { _ = try await producer.send(input[index]) }
                }
            }
            try await group.waitForAll()
        }
    }

    private static func consume(_ consumer: any TransportConsumer, count: Int) async throws {
        var received = 0
        while received < count { received += try await consumer.poll(max: 5_000, timeout: .milliseconds(100)).count }
    }

    /// Subscribes and waits until the group has given this consumer its partitions.
    /// Subscribes and waits until the group has given this consumer its partitions and the
    /// warm-up record came.
    private static func joined(_ transport: any Transport, group: String, topic: String) async throws -> any TransportConsumer {
        let consumer = try await transport.makeConsumer(ConsumerConfig(groupId: group, offsetReset: .earliest, sessionTimeout: .seconds(6)))
        try await consumer.subscribe([topic])
        try await consume(consumer, count: 1)
        return consumer
    }

    private static func measure() async throws {
        var logger = Logger(label: "eventc-bench.kafka")
        // librdkafka logs "connection refused" at error level while the mock cluster shuts down;
        // a real failure of the benchmark is thrown, and printed by `run`.
        logger.logLevel = .critical
        let clock = ContinuousClock()
        let cluster = try KafkaMockCluster(brokers: 3, logger: logger)
        let kafka = KafkaTransport(mock: cluster, clientId: "eventc-bench", logger: logger)
        let broker = try InProcessBroker(.init(logger: logger))
        var rates: [String: (kafka: Double, broker: Double)] = [:]

        for (name, transport) in [("kafka", kafka as any Transport), ("broker", broker as any Transport)] {
            try await transport.createTopic("produce", config: TopicConfig(partitions: partitions, retentionMilliseconds: nil))
            try await transport.createTopic("e2e", config: TopicConfig(partitions: partitions, retentionMilliseconds: nil))
            let producer = try await transport.makeProducer(ProducerConfig(acks: .all))
            // A warm-up send: connections, metadata and the producer id, outside the clock.
            _ = try await producer.send([OutgoingRecord(topic: "produce", key: nil, value: [1]), OutgoingRecord(topic: "e2e", key: nil, value: [1])])

            let input = batches(topic: "produce")
            let produceTime = try await clock.measure { try await produce(producer, input) }

            let consumer = try await joined(transport, group: "bench-\(name)", topic: "e2e")
            let endToEndInput = batches(topic: "e2e")
            let endToEndTime = try await clock.measure {
                async let sent: Void = produce(producer, endToEndInput)
                try await consume(consumer, count: recordCount)
                try await sent
            }
            try await consumer.close()
            await producer.close()
            let produceRate = Double(recordCount) / Measure.seconds(produceTime)
            let endToEndRate = Double(recordCount) / Measure.seconds(endToEndTime)
            rates["produce", default: (0, 0)].kafka += name == "kafka" ? produceRate : 0
            rates["produce", default: (0, 0)].broker += name == "broker" ? produceRate : 0
            rates["end_to_end", default: (0, 0)].kafka += name == "kafka" ? endToEndRate : 0
            rates["end_to_end", default: (0, 0)].broker += name == "broker" ? endToEndRate : 0
        }
        for figure in ["produce", "end_to_end"] {
            guard let rate = rates[figure] else { continue }
            Measure.figure("kafka.\(figure)_records_per_s", rate.kafka, "records/s")
            Measure.figure("kafka.in_process_\(figure)_records_per_s", rate.broker, "records/s")
            Measure.figure("kafka.\(figure)_vs_in_process", rate.kafka / rate.broker, "x")
        }
    }
}
#endif
