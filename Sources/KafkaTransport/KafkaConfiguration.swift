#if Kafka
import EventTransport
import Foundation

/// How to reach a Kafka cluster. Everything the runtime needs has a named field with a documented
/// default; any other librdkafka property (see its CONFIGURATION.md) passes through `properties`.
public struct KafkaConfiguration: Sendable, Hashable, CustomStringConvertible {
    /// `host:port[,host:port…]` (librdkafka's `bootstrap.servers`).
    public var bootstrapServers: String
    /// Names this client in the brokers' logs and quotas (`client.id`).
    public var clientId: String
    /// TLS and SASL settings (plaintext unless given).
    public var security: Security
    /// Replication of topics created through `createTopic`: nil lets the brokers decide
    /// (`default.replication.factor`), which suits a one-broker development cluster and a real one.
    public var replicationFactor: Int?
    /// Extra librdkafka properties, applied last, so they override the runtime's choices.
    public var properties: [String: String]

    /// A configuration in code; `init(environment:)` reads the same fields from `KAFKA_*` variables.
    public init(
        bootstrapServers: String, clientId: String = "eventcontracts", security: Security = .plaintext,
        replicationFactor: Int? = nil, properties: [String: String] = [:]
    ) {
        self.bootstrapServers = bootstrapServers
        self.clientId = clientId
        self.security = security
        self.replicationFactor = replicationFactor
        self.properties = properties
    }

    /// TLS and SASL settings, passed to librdkafka as they are.
    public struct Security: Sendable, Hashable {
        /// `plaintext`, `ssl`, `sasl_plaintext` or `sasl_ssl` (`security.protocol`).
        public var securityProtocol: String
        /// `PLAIN`, `SCRAM-SHA-256`, `SCRAM-SHA-512`, `GSSAPI` or `OAUTHBEARER` (`sasl.mechanism`).
        public var saslMechanism: String?
        /// The SASL user (`sasl.username`).
        public var saslUsername: String?
        /// The SASL password (`sasl.password`); never printed in descriptions or errors.
        public var saslPassword: String?
        /// PEM file of the CA that signed the brokers' certificates (`ssl.ca.location`).
        public var caLocation: String?
        /// This client's certificate and key, for mutual TLS.
        public var certificateLocation: String?
        /// PEM file of this client's private key (`ssl.key.location`).
        public var keyLocation: String?
        /// The private key's password (`ssl.key.password`); never printed.
        public var keyPassword: String?

        /// Security settings; only the protocol is required.
        public init(
            securityProtocol: String, saslMechanism: String? = nil, saslUsername: String? = nil, saslPassword: String? = nil,
            caLocation: String? = nil, certificateLocation: String? = nil, keyLocation: String? = nil, keyPassword: String? = nil
        ) {
            self.securityProtocol = securityProtocol
            self.saslMechanism = saslMechanism
            self.saslUsername = saslUsername
            self.saslPassword = saslPassword
            self.caLocation = caLocation
            self.certificateLocation = certificateLocation
            self.keyLocation = keyLocation
            self.keyPassword = keyPassword
        }

        /// No TLS, no SASL: a development cluster on a trusted network.
        public static let plaintext = Security(securityProtocol: "plaintext")

        var properties: [(String, String?)] {
            [
                ("security.protocol", securityProtocol), ("sasl.mechanism", saslMechanism), ("sasl.username", saslUsername),
                ("sasl.password", saslPassword), ("ssl.ca.location", caLocation), ("ssl.certificate.location", certificateLocation),
                ("ssl.key.location", keyLocation), ("ssl.key.password", keyPassword),
            ]
        }
    }

    /// Names of the environment variables `init(environment:)` reads.
    public enum Environment {
        /// `KAFKA_BOOTSTRAP_SERVERS`: `bootstrap.servers`, required.
        public static let bootstrapServers = "KAFKA_BOOTSTRAP_SERVERS"
        /// `KAFKA_CLIENT_ID`: `client.id`.
        public static let clientId = "KAFKA_CLIENT_ID"
        /// `KAFKA_SECURITY_PROTOCOL`: `security.protocol`.
        public static let securityProtocol = "KAFKA_SECURITY_PROTOCOL"
        /// `KAFKA_SASL_MECHANISM`: `sasl.mechanism`.
        public static let saslMechanism = "KAFKA_SASL_MECHANISM"
        /// `KAFKA_SASL_USERNAME`: `sasl.username`.
        public static let saslUsername = "KAFKA_SASL_USERNAME"
        /// `KAFKA_SASL_PASSWORD`: `sasl.password`.
        public static let saslPassword = "KAFKA_SASL_PASSWORD"
        /// `KAFKA_SSL_CA_LOCATION`: `ssl.ca.location`.
        public static let caLocation = "KAFKA_SSL_CA_LOCATION"
        /// `KAFKA_SSL_CERTIFICATE_LOCATION`: `ssl.certificate.location`.
        public static let certificateLocation = "KAFKA_SSL_CERTIFICATE_LOCATION"
        /// `KAFKA_SSL_KEY_LOCATION`: `ssl.key.location`.
        public static let keyLocation = "KAFKA_SSL_KEY_LOCATION"
        /// `KAFKA_SSL_KEY_PASSWORD`: `ssl.key.password`.
        public static let keyPassword = "KAFKA_SSL_KEY_PASSWORD"
        /// `KAFKA_REPLICATION_FACTOR`: the replication of topics `createTopic` makes.
        public static let replicationFactor = "KAFKA_REPLICATION_FACTOR"
        /// `KAFKA_PROPERTY_QUEUE_BUFFERING_MAX_MS=20` sets `queue.buffering.max.ms` (librdkafka's
        /// property names have dots and no underscores, so the mapping is exact).
        public static let propertyPrefix = "KAFKA_PROPERTY_"
    }

    /// Reads the configuration from the environment (twelve-factor style), so a service points at
    /// another cluster without a rebuild. `KAFKA_BOOTSTRAP_SERVERS` is required.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) throws(KafkaError) {
        func value(_ name: String) -> String? {
            environment[name].flatMap { $0.isEmpty ? nil : $0 }
        }
        guard let servers = value(Environment.bootstrapServers) else {
            throw .configuration("\(Environment.bootstrapServers) is not set: give the cluster's host:port list, e.g. broker1:9092,broker2:9092")
        }
        var replication: Int?
        if let text = value(Environment.replicationFactor) {
            guard let factor = Int(text), factor >= 1 else {
                throw .configuration("\(Environment.replicationFactor) must be a whole number of at least 1, not '\(text)'")
            }
            replication = factor
        }
        var properties: [String: String] = [:]
        for (name, text) in environment where name.hasPrefix(Environment.propertyPrefix) {
            let property = name.dropFirst(Environment.propertyPrefix.count).lowercased().replacingOccurrences(of: "_", with: ".")
            guard !property.isEmpty else { continue }
            properties[property] = text
        }
        self.init(
            bootstrapServers: servers, clientId: value(Environment.clientId) ?? "eventcontracts",
            security: Security(
                securityProtocol: value(Environment.securityProtocol) ?? "plaintext", saslMechanism: value(Environment.saslMechanism),
                saslUsername: value(Environment.saslUsername), saslPassword: value(Environment.saslPassword),
                caLocation: value(Environment.caLocation), certificateLocation: value(Environment.certificateLocation),
                keyLocation: value(Environment.keyLocation), keyPassword: value(Environment.keyPassword)),
            replicationFactor: replication, properties: properties)
    }

    /// The settings shared by producers, consumers and the admin client, in the order applied.
    var commonProperties: [(String, String)] {
        var list = [("bootstrap.servers", bootstrapServers), ("client.id", clientId)]
        for case let (name, value?) in security.properties { list.append((name, value)) }
        return list
    }

    /// A producer's settings. Why these: idempotence and `acks=all` are what make the outbox relay
    /// and the DLQ lose and duplicate nothing; `murmur2_random` puts a key on the partition Java's
    /// client and the in-process broker choose (librdkafka's default, `consistent_random`, is CRC32).
    /// `stickyBatchBytes` is not passed on: librdkafka sticks keyless records to a partition by
    /// time (`sticky.partitioning.linger.ms`), and its `batch.size` (1 MB) is better left alone.
    func producerProperties(_ config: ProducerConfig) throws(KafkaError) -> [(String, String)] {
        if config.idempotent, config.acks != .all {
            throw .configuration("an idempotent producer needs acks all (Kafka refuses idempotence with acks \(config.acks.rawValue)); set idempotent: false to use it")
        }
        var list = commonProperties
        list.append(("acks", config.acks == .none ? "0" : config.acks == .leader ? "1" : "all"))
        list.append(("enable.idempotence", config.idempotent ? "true" : "false"))
        list.append(("partitioner", "murmur2_random"))
        if let transactionalId = config.transactionalId { list.append(("transactional.id", transactionalId)) }
        return list + overrides
    }

    /// A consumer's settings: commits are the application's (after processing), never automatic,
    /// unless the config asks for auto-commit.
    func consumerProperties(_ config: ConsumerConfig) -> [(String, String)] {
        var list = commonProperties
        list.append(("group.id", config.groupId))
        list.append(("auto.offset.reset", config.offsetReset == .none ? "error" : config.offsetReset.rawValue))
        list.append(("isolation.level", config.isolation.rawValue))
        list.append(("partition.assignment.strategy", config.assignment.rawValue))
        list.append(("session.timeout.ms", String(config.sessionTimeout.milliseconds)))
        list.append(("enable.auto.offset.store", "false"))
        if let interval = config.autoCommitInterval {
            list.append(("enable.auto.commit", "true"))
            list.append(("auto.commit.interval.ms", String(interval.milliseconds)))
        } else {
            list.append(("enable.auto.commit", "false"))
        }
        return list + overrides
    }

    var adminProperties: [(String, String)] { commonProperties + overrides }

    private var overrides: [(String, String)] { properties.sorted { $0.key < $1.key } }

    /// What it says, in one line.
    public var description: String {
        var text = "Kafka at \(bootstrapServers) as \(clientId) over \(security.securityProtocol)"
        if let mechanism = security.saslMechanism { text += " (SASL \(mechanism), user \(security.saslUsername ?? "?"))" }
        return text
    }
}
#endif
