#if Kafka
import CRdKafka
import Dispatch
import Logging

/// librdkafka's built-in mock cluster: brokers on loopback ports that speak Kafka's protocol, for
/// tests and demos without a Kafka server. Any client, ours or `kcat`, connects through
/// `bootstrapServers`. Limits of 2.0.2's mock: no read_committed filtering of aborted
/// transactions, no offsets-for-times, topic configs ignored.
public final class KafkaMockCluster: @unchecked Sendable {
    /// The client that owns the cluster (librdkafka ties a mock cluster to one).
    private let owner: RdKafkaClient
    private let poller: PollThread
    private let cluster: OpaquePointer
    /// How many brokers the cluster has (numbered from 1).
    public let brokers: Int
    /// The brokers' loopback addresses, for any client's `bootstrap.servers`.
    public let bootstrapServers: String

    /// Starts a cluster of `brokers` brokers on loopback ports.
    public init(brokers: Int = 3, logger: Logger = Logger(label: "eventcontracts.kafka.mock")) throws(KafkaError) {
        owner = try RdKafkaClient(RD_KAFKA_PRODUCER, properties: [], context: ClientContext(logger: logger))
        guard let cluster = rd_kafka_mock_cluster_new(owner.pointer, Int32(brokers)) else {
            throw .configuration("librdkafka could not start a mock cluster of \(brokers) brokers")
        }
        self.cluster = cluster
        self.brokers = brokers
        bootstrapServers = String(cString: rd_kafka_mock_cluster_bootstraps(cluster))
        poller = PollThread(owner, name: "rdkafka-mock-poll")
    }

    /// Destroying the cluster joins its thread: done on a dispatch queue, not a cooperative one.
    deinit {
        let teardown = Teardown(cluster: cluster, owner: owner)
        poller.stop(waiting: false)
        DispatchQueue.global().async { teardown.run() }
    }

    private struct Teardown: @unchecked Sendable {
        let cluster: OpaquePointer
        let owner: RdKafkaClient

        func run() {
            rd_kafka_mock_cluster_destroy(cluster)
            withExtendedLifetime(owner) {}
        }
    }

    /// A configuration for clients of this cluster.
    public func configuration(clientId: String = "eventcontracts") -> KafkaConfiguration {
        KafkaConfiguration(bootstrapServers: bootstrapServers, clientId: clientId)
    }

    /// Creates a topic directly in the mock (replicated on every broker unless told otherwise).
    public func createTopic(_ name: String, partitions: Int, replicationFactor: Int? = nil) throws {
        try KafkaErrors.check(
            rd_kafka_mock_topic_create(cluster, name, Int32(partitions), Int32(replicationFactor ?? brokers)), "creating mock topic '\(name)'")
    }

    /// Brokers are numbered 1...brokers. A broker that is down closes its connections and refuses new ones.
    public func setBrokerDown(_ broker: Int) throws {
        try KafkaErrors.check(rd_kafka_mock_broker_set_down(cluster, Int32(broker)), "taking mock broker \(broker) down")
    }

    /// Brings broker `broker` back up after ``setBrokerDown(_:)``.
    public func setBrokerUp(_ broker: Int) throws {
        try KafkaErrors.check(rd_kafka_mock_broker_set_up(cluster, Int32(broker)), "bringing mock broker \(broker) up")
    }

    /// Kafka API keys whose requests can be made to fail.
    public enum API: Int16, Sendable {
        /// Produce (API key 0).
        case produce = 0
        /// Fetch (1).
        case fetch = 1
        /// ListOffsets (2).
        case listOffsets = 2
        /// Metadata (3).
        case metadata = 3
        /// OffsetCommit (8).
        case offsetCommit = 8
        /// OffsetFetch (9).
        case offsetFetch = 9
        /// FindCoordinator (10).
        case findCoordinator = 10
        /// JoinGroup (11).
        case joinGroup = 11
        /// Heartbeat (12).
        case heartbeat = 12
        /// SyncGroup (14).
        case syncGroup = 14
        /// InitProducerId (22).
        case initProducerId = 22
    }

    /// The next requests of this API fail with these Kafka error codes, one per request, in order
    /// (e.g. 6 NOT_LEADER_OR_FOLLOWER, 7 REQUEST_TIMED_OUT, 19 NOT_ENOUGH_REPLICAS).
    public func failNextRequests(_ api: API, withErrors codes: [Int32]) {
        let errors = codes.map { rd_kafka_resp_err_t(rawValue: $0) }
        errors.withUnsafeBufferPointer { rd_kafka_mock_push_request_errors_array(cluster, api.rawValue, $0.count, $0.baseAddress) }
    }
}
#endif
