#if Kafka
import EventTransport
import Foundation
import KafkaTransport
import Logging

/// A 3-broker mock cluster and a transport on it; librdkafka's chatter only from warnings up.
public struct MockKafka: Sendable {
    public let cluster: KafkaMockCluster
    public let transport: KafkaTransport
    /// For processors in the tests too.
    public let logger: Logger

    public init(brokers: Int = 3, topics: [String: Int] = [:]) throws {
        logger = kafkaTestLogger()
        cluster = try KafkaMockCluster(brokers: brokers, logger: logger)
        transport = KafkaTransport(mock: cluster, clientId: "kafka-tests", properties: kafkaTestProperties(), logger: logger)
        for (topic, partitions) in topics.sorted(by: { $0.key < $1.key }) {
            try cluster.createTopic(topic, partitions: partitions)
        }
    }
}

/// The Kafka tests' logger: librdkafka's chatter only from warnings up, unless `KAFKA_TEST_LOG`
/// names a level.
func kafkaTestLogger() -> Logger {
    var logger = Logger(label: "eventcontracts.kafka.test")
    logger.logLevel = ProcessInfo.processInfo.environment["KAFKA_TEST_LOG"].flatMap(Logger.Level.init(rawValue:)) ?? .error
    return logger
}

/// The client settings every Kafka test's transport gets, whichever broker it is on.
func kafkaTestProperties() -> [String: String] {
    var properties = [
        // New topics are seen within half a second.
        "topic.metadata.refresh.interval.ms": "500",
        // Members notice a rebalance on their next heartbeat: every 3 s by default.
        "heartbeat.interval.ms": "500",
    ]
    // KAFKA_TEST_DEBUG=cgrp,fetch turns on librdkafka's debug contexts (with KAFKA_TEST_LOG=debug).
    if let contexts = ProcessInfo.processInfo.environment["KAFKA_TEST_DEBUG"] { properties["debug"] = contexts }
    return properties
}

/// A consumer config for the mock: a short session, because the mock (like Kafka) holds a join
/// until every member it knows has rejoined or timed out, and a client that rejoins at once after
/// a metadata change leaves its first member id behind.
public func testConsumer(_ group: String, assignment: AssignmentStrategy = .range) -> ConsumerConfig {
    ConsumerConfig(groupId: group, offsetReset: .earliest, assignment: assignment, sessionTimeout: .seconds(6))
}
#endif
