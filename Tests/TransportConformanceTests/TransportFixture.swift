import EventBroker
import EventTestSupport
import Foundation
import Testing
#if Kafka
import KafkaTransport
#endif

/// The transports the conformance suite runs on: the in-process broker always; with the `Kafka`
/// trait, librdkafka's mock cluster and a Kafka-protocol broker that is not librdkafka's
/// (`noida-db`, a process per test: `KafkaBrokerProcess`).
enum TransportFixture: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case inProcess
    #if Kafka
    case kafkaMock
    case kafkaBroker
    #endif

    var testDescription: String {
        switch self {
        case .inProcess: "in-process broker"
        #if Kafka
        case .kafkaMock: "Kafka mock cluster"
        case .kafkaBroker: "Kafka-protocol broker (noida-db)"
        #endif
        }
    }

    /// A fresh transport with `topics` (name → partitions).
    func make(topics: [String: Int]) async throws -> TransportUnderTest {
        switch self {
        case .inProcess:
            let broker = try await makeBroker(topics, clock: SystemClock())
            return TransportUnderTest(
                transport: broker, hidesAbortedRecords: true, honoursCommitsDuringRebalance: true,
                consumer: { ConsumerConfig(groupId: $0, offsetReset: .earliest, assignment: $1) },
                groupLag: { broker.groupLag(group: $0, topics: $1) }, keepAlive: broker)
        #if Kafka
        case .kafkaMock:
            let kafka = try MockKafka(topics: topics)
            return TransportUnderTest(
                // librdkafka 2.0.2's mock cluster does not hide aborted transactions from
                // read_committed, and often refuses commits during a cooperative rebalance, even
                // those of a revoked callback (REBALANCE_IN_PROGRESS): its hand-over is at least once.
                transport: kafka.transport, hidesAbortedRecords: false, honoursCommitsDuringRebalance: false,
                consumer: { testConsumer($0, assignment: $1) },
                groupLag: { try await kafka.transport.groupLag(group: $0, topics: $1) }, keepAlive: kafka)
        case .kafkaBroker:
            let kafka = try await KafkaBrokerProcess(topics: topics)
            return TransportUnderTest(
                // noida-db 0.2.3 starts a new generation as soon as a member joins, without waiting
                // for the others to rejoin, and refuses their commits with ILLEGAL_GENERATION
                // (Kafka accepts a commit of the current generation while a rebalance is being
                // prepared): librdkafka then takes the partitions as lost and the hand-over is at
                // least once, as on the mock. `rebalanceHandOver` reads 20 of 40 records twice on it.
                transport: kafka.transport, hidesAbortedRecords: true, honoursCommitsDuringRebalance: false,
                consumer: { testConsumer($0, assignment: $1) },
                groupLag: { try await kafka.transport.groupLag(group: $0, topics: $1) }, keepAlive: kafka)
        #endif
        }
    }
}

/// A transport with what the suite needs to know about it.
struct TransportUnderTest: Sendable {
    let transport: any Transport
    /// Whether `read_committed` consumers skip aborted records on this transport.
    let hidesAbortedRecords: Bool
    /// Whether a commit made while the group rebalances (in a revoked callback) is accepted.
    let honoursCommitsDuringRebalance: Bool
    /// A consumer config for a group, reading from the earliest offset.
    let consumer: @Sendable (_ group: String, _ assignment: AssignmentStrategy) -> ConsumerConfig
    let groupLag: @Sendable (_ group: String, _ topics: [String]) async throws -> [TopicPartition: Int64]
    /// What must live as long as the transport (the mock cluster).
    let keepAlive: any Sendable

    func consumer(_ group: String, assignment: AssignmentStrategy = .range) -> ConsumerConfig { consumer(group, assignment) }

    /// `count` records with text values `v0`, `v1`… on `partition`.
    func fill(_ topic: String, partition: Int, count: Int, from first: Int = 0) async throws {
        let producer = try await transport.makeProducer(ProducerConfig())
        _ = try await producer.send((first..<(first + count)).map { record(topic, key: nil, "v\($0)", partition: partition) })
        await producer.close()
    }
}
