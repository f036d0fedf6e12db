#if Kafka
import CRdKafka
import EventTransport
import Logging
import Metrics
import Synchronization

/// The runtime's `Transport` on an Apache Kafka cluster, through librdkafka: the same processors,
/// publishers and outbox relay that run on the in-process broker run here unchanged.
public final class KafkaTransport: Transport {
    /// The cluster, the client id and the settings every client of this transport gets.
    public let configuration: KafkaConfiguration
    private let logger: Logger
    private let metrics: any MetricsFactory
    /// How long transactional calls and a closing producer's flush may take.
    private let transactionTimeout: Duration
    /// Created on first use, for topics and metadata: one connection set shared by those calls.
    private let admin = Mutex<(client: RdKafkaClient, poller: PollThread)?>(nil)
    /// Set on a mock cluster's transport: 2.0.2's mock has no CreateTopics API, so topics are
    /// made in the mock directly.
    private let mock: KafkaMockCluster?

    /// A transport on the cluster `configuration` names. Nothing connects until a client is made.
    public convenience init(
        _ configuration: KafkaConfiguration, logger: Logger = Logger(label: "eventcontracts.kafka"),
        metrics: any MetricsFactory = MetricsSystem.factory, transactionTimeout: Duration = .seconds(30)
    ) {
        self.init(configuration, mock: nil, logger: logger, metrics: metrics, transactionTimeout: transactionTimeout)
    }

    /// A transport on librdkafka's mock cluster, creating topics in the mock.
    public convenience init(
        mock: KafkaMockCluster, clientId: String = "eventcontracts", properties: [String: String] = [:],
        logger: Logger = Logger(label: "eventcontracts.kafka"), metrics: any MetricsFactory = MetricsSystem.factory,
        transactionTimeout: Duration = .seconds(30)
    ) {
        var configuration = mock.configuration(clientId: clientId)
        configuration.properties = properties
        self.init(configuration, mock: mock, logger: logger, metrics: metrics, transactionTimeout: transactionTimeout)
    }

    private init(
        _ configuration: KafkaConfiguration, mock: KafkaMockCluster?, logger: Logger, metrics: any MetricsFactory, transactionTimeout: Duration
    ) {
        self.configuration = configuration
        self.logger = logger
        self.metrics = metrics
        self.transactionTimeout = transactionTimeout
        self.mock = mock
    }

    deinit {
        admin.withLock { $0?.poller.stop(waiting: false) }
    }

    /// A librdkafka producer as `config` asks (idempotent with `acks=all` by default, transactional
    /// when it names a transactional id); its delivery reports are served on a thread of its own.
    public func makeProducer(_ config: ProducerConfig) async throws -> any TransportProducer {
        try await KafkaProducer(configuration: configuration, config: config, logger: logger, transactionTimeout: transactionTimeout)
    }

    /// A librdkafka consumer in `config.groupId` with manual commits; it joins the group when it subscribes.
    public func makeConsumer(_ config: ConsumerConfig) async throws -> any TransportConsumer {
        try KafkaConsumer(configuration: configuration, config: config, logger: logger, metrics: metrics)
    }

    /// Creates a topic through the Admin API, with the config's partitions, retention and sizes.
    /// Throws `TransportError(.topicAlreadyExists)` when it exists, as the in-process broker does.
    public func createTopic(_ name: String, config: TopicConfig) async throws {
        // Refused here as Kafka's broker would refuse it: the mock cluster accepts any name.
        try TransportError.checkTopicName(name)
        if let mock {
            guard try await partitionCount(name) == 0 else { throw TransportError(.topicAlreadyExists, "topic '\(name)' already exists") }
            return try mock.createTopic(name, partitions: config.partitions, replicationFactor: configuration.replicationFactor)
        }
        let client = try adminClient()
        let replication = Int32(configuration.replicationFactor ?? -1)
        let timeout = transactionTimeout.rdKafkaMilliseconds
        var settings: [(String, String)] = [
            ("segment.bytes", String(config.segmentBytes)), ("max.message.bytes", String(config.maxRecordBytes)),
            ("retention.ms", String(config.retentionMilliseconds ?? -1)),
        ]
        if let bytes = config.retentionBytes { settings.append(("retention.bytes", String(bytes))) }
        try await blocking { [settings] in
            var errorText = [CChar](repeating: 0, count: 512)
            guard let topic = rd_kafka_NewTopic_new(name, Int32(config.partitions), replication, &errorText, errorText.count) else {
                throw TransportError(.invalidPartitions, "topic '\(name)': \(String(errorBuffer: errorText))")
            }
            defer { rd_kafka_NewTopic_destroy(topic) }
            for (key, value) in settings { _ = rd_kafka_NewTopic_set_config(topic, key, value) }
            let options = rd_kafka_AdminOptions_new(client.pointer, RD_KAFKA_ADMIN_OP_CREATETOPICS)
            defer { rd_kafka_AdminOptions_destroy(options) }
            _ = rd_kafka_AdminOptions_set_operation_timeout(options, timeout, &errorText, errorText.count)
            let queue = rd_kafka_queue_new(client.pointer)
            defer { rd_kafka_queue_destroy(queue) }
            var topics: [OpaquePointer?] = [topic]
            rd_kafka_CreateTopics(client.pointer, &topics, 1, options, queue)
            guard let event = rd_kafka_queue_poll(queue, timeout + 1_000) else {
                throw KafkaError(name: "_TIMED_OUT", code: RD_KAFKA_RESP_ERR__TIMED_OUT.rawValue, message: "creating topic '\(name)': no answer", isRetriable: true)
            }
            defer { rd_kafka_event_destroy(event) }
            let eventError = rd_kafka_event_error(event)
            if eventError != .success {
                throw KafkaErrors.error(eventError, "creating topic '\(name)'", detail: rd_kafka_event_error_string(event).map { String(cString: $0) })
            }
            var count = 0
            guard let result = rd_kafka_event_CreateTopics_result(event), let results = rd_kafka_CreateTopics_result_topics(result, &count),
                count > 0, let first = results[0]
            else { return }
            let topicError = rd_kafka_topic_result_error(first)
            if topicError != .success {
                throw KafkaErrors.error(topicError, "creating topic '\(name)'", detail: rd_kafka_topic_result_error_string(first).map { String(cString: $0) })
            }
        }
    }

    /// Creates each contract's topic and dead-letter topic unless they exist; an existing one must
    /// have the contract's partition count (a different count would move keys to other partitions).
    public func createTopics(for contracts: [ContractDescriptor], config: TopicConfig? = nil) async throws {
        for contract in contracts {
            var topicConfig = config ?? TopicConfig(partitions: contract.partitions)
            topicConfig.partitions = contract.partitions
            for topic in [contract.topic, contract.deadLetterTopic] {
                do {
                    try await createTopic(topic, config: topicConfig)
                } catch let error as TransportError where error.code == .topicAlreadyExists {
                    let existing = try await partitionCount(topic)
                    guard existing == contract.partitions else {
                        throw TransportError(.invalidPartitions, "topic '\(topic)' exists with \(existing) partitions, not the contract's \(contract.partitions)")
                    }
                }
            }
        }
    }

    /// The topic's partition count from the cluster's metadata (0 when it does not exist).
    public func partitionCount(_ topic: String) async throws -> Int {
        let client = try adminClient()
        let timeout = transactionTimeout
        return try await blocking { try client.partitionCount(topic, timeout: timeout) }
    }

    /// Records the group has not committed yet, per partition of these topics: what a service
    /// still owes. Reads the group's committed offsets without joining it.
    public func groupLag(group: String, topics: [String]) async throws -> [TopicPartition: Int64] {
        var partitions: [TopicPartition] = []
        for topic in topics {
            let count = try await partitionCount(topic)
            partitions += (0..<count).map { TopicPartition(topic, $0) }
        }
        guard !partitions.isEmpty else { return [:] }
        var properties = configuration.adminProperties
        properties.append(("group.id", group))
        let reader = try RdKafkaClient(
            RD_KAFKA_CONSUMER, properties: properties, context: ClientContext(logger: logger),
            destroyFlags: Int32(RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE))
        return try await blocking { [partitions] in
            let committed = PartitionList(partitions)
            try KafkaErrors.check(rd_kafka_committed(reader.pointer, committed.pointer, RdKafkaClient.requestTimeout), "reading group '\(group)' offsets")
            var lag: [TopicPartition: Int64] = [:]
            for entry in committed.entries {
                lag[entry.partition] = try reader.unread(entry.partition, after: entry.offset >= 0 ? entry.offset : nil)
            }
            return lag
        }
    }

    private func adminClient() throws -> RdKafkaClient {
        try admin.withLock { admin in
            if let admin { return admin.client }
            let client = try RdKafkaClient(RD_KAFKA_PRODUCER, properties: configuration.adminProperties, context: ClientContext(logger: logger))
            admin = (client, PollThread(client, name: "rdkafka-admin-poll"))
            return client
        }
    }
}
#endif
