import EventRuntime
import Foundation
import KafkaTransport
import Logging

/// A 3-broker mock cluster and a transport on it; librdkafka's chatter only from warnings up.
struct MockKafka {
    let cluster: KafkaMockCluster
    let transport: KafkaTransport
    /// For processors in the tests too.
    let logger: Logger

    init(brokers: Int = 3, topics: [String: Int] = [:]) throws {
        var logger = Logger(label: "eventcontracts.kafka.test")
        logger.logLevel = ProcessInfo.processInfo.environment["KAFKA_TEST_LOG"].flatMap(Logger.Level.init(rawValue:)) ?? .error
        self.logger = logger
        cluster = try KafkaMockCluster(brokers: brokers, logger: logger)
        var properties = [
            // New topics are seen within half a second.
            "topic.metadata.refresh.interval.ms": "500",
            // Members notice a rebalance on their next heartbeat: every 3 s by default.
            "heartbeat.interval.ms": "500",
        ]
        // KAFKA_TEST_DEBUG=cgrp,fetch turns on librdkafka's debug contexts (with KAFKA_TEST_LOG=debug).
        if let contexts = ProcessInfo.processInfo.environment["KAFKA_TEST_DEBUG"] { properties["debug"] = contexts }
        transport = KafkaTransport(mock: cluster, clientId: "kafka-tests", properties: properties, logger: logger)
        for (topic, partitions) in topics.sorted(by: { $0.key < $1.key }) {
            try cluster.createTopic(topic, partitions: partitions)
        }
    }
}

/// A record with a text key and value.
func record(_ topic: String, key: String?, _ value: String, headers: [RecordHeader] = []) -> OutgoingRecord {
    OutgoingRecord(topic: topic, key: key.map { Array($0.utf8) }, value: Array(value.utf8), headers: headers)
}

extension ConsumerRecord {
    var text: String { String(decoding: value, as: UTF8.self) }
    var keyText: String? { key.map { String(decoding: $0, as: UTF8.self) } }
}

/// Polls until `count` records arrived or `deadline` passed.
func drain(_ consumer: any TransportConsumer, count: Int, within deadline: Duration = .seconds(30)) async throws -> [ConsumerRecord] {
    var records: [ConsumerRecord] = []
    let end = ContinuousClock.now + deadline
    while records.count < count, ContinuousClock.now < end {
        records += try await consumer.poll(max: 500, timeout: .milliseconds(100))
    }
    return records
}

/// Waits until `condition` holds, checking every 20 ms, for at most `deadline`.
func eventually(within deadline: Duration = .seconds(30), _ condition: () async throws -> Bool) async rethrows -> Bool {
    let end = ContinuousClock.now + deadline
    while ContinuousClock.now < end {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return try await condition()
}

/// A consumer config for the mock: a short session, because the mock (like Kafka) holds a join
/// until every member it knows has rejoined or timed out, and a client that rejoins at once after
/// a metadata change leaves its first member id behind.
func testConsumer(_ group: String, assignment: AssignmentStrategy = .range) -> ConsumerConfig {
    ConsumerConfig(groupId: group, offsetReset: .earliest, assignment: assignment, sessionTimeout: .seconds(6))
}
