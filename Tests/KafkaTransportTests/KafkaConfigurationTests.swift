#if Kafka
import EventRuntime
import EventTestSupport
import KafkaTransport
import Testing

@Suite("Kafka configuration")
struct KafkaConfigurationTests {
    @Test("the environment gives servers, security and pass-through librdkafka properties")
    func readsTheEnvironment() throws {
        let configuration = try KafkaConfiguration(environment: [
            "KAFKA_BOOTSTRAP_SERVERS": "broker1:9093,broker2:9093", "KAFKA_CLIENT_ID": "payments",
            "KAFKA_SECURITY_PROTOCOL": "sasl_ssl", "KAFKA_SASL_MECHANISM": "SCRAM-SHA-512", "KAFKA_SASL_USERNAME": "svc",
            "KAFKA_SASL_PASSWORD": "s3cret", "KAFKA_SSL_CA_LOCATION": "/etc/ssl/kafka-ca.pem", "KAFKA_REPLICATION_FACTOR": "3",
            "KAFKA_PROPERTY_QUEUE_BUFFERING_MAX_MS": "20", "UNRELATED": "x",
        ])
        #expect(configuration.bootstrapServers == "broker1:9093,broker2:9093")
        #expect(configuration.clientId == "payments")
        #expect(configuration.security.securityProtocol == "sasl_ssl")
        #expect(configuration.security.saslMechanism == "SCRAM-SHA-512")
        #expect(configuration.security.saslUsername == "svc")
        #expect(configuration.security.saslPassword == "s3cret")
        #expect(configuration.security.caLocation == "/etc/ssl/kafka-ca.pem")
        #expect(configuration.replicationFactor == 3)
        #expect(configuration.properties == ["queue.buffering.max.ms": "20"])
        // Printing a configuration never shows the password.
        #expect(!configuration.description.contains("s3cret"))
        #expect(configuration.description.contains("SCRAM-SHA-512"))
    }

    @Test("defaults: plaintext, client id eventcontracts, the brokers' replication factor")
    func defaults() throws {
        let configuration = try KafkaConfiguration(environment: ["KAFKA_BOOTSTRAP_SERVERS": "localhost:9092"])
        #expect(configuration.security == .plaintext)
        #expect(configuration.clientId == "eventcontracts")
        #expect(configuration.replicationFactor == nil)
        #expect(configuration.properties.isEmpty)
    }

    @Test("missing servers and a bad replication factor are configuration errors that say what to set")
    func badEnvironment() {
        let missing = #expect(throws: KafkaError.self) { _ = try KafkaConfiguration(environment: [:]) }
        #expect(missing?.name == "CONFIGURATION")
        #expect(missing?.message.contains("KAFKA_BOOTSTRAP_SERVERS") == true)
        let factor = #expect(throws: KafkaError.self) {
            _ = try KafkaConfiguration(environment: ["KAFKA_BOOTSTRAP_SERVERS": "h:1", "KAFKA_REPLICATION_FACTOR": "zero"])
        }
        #expect(factor?.message.contains("KAFKA_REPLICATION_FACTOR") == true)
    }

    @Test("a property librdkafka refuses is named in the error, with secrets hidden")
    func refusedProperty() async {
        let transport = KafkaTransport(KafkaConfiguration(
            bootstrapServers: "localhost:1", properties: ["no.such.property": "1"]))
        let unknown = await #expect(throws: KafkaError.self) { _ = try await transport.makeConsumer(ConsumerConfig(groupId: "g")) }
        #expect(unknown?.message.contains("no.such.property") == true)

        let secret = KafkaTransport(KafkaConfiguration(bootstrapServers: "localhost:1", properties: ["custom.password": "hunter2"]))
        let error = await #expect(throws: KafkaError.self) { _ = try await secret.makeProducer(ProducerConfig()) }
        #expect(error?.message.contains("custom.password=***") == true)
        #expect(error?.message.contains("hunter2") == false)
    }
}
#endif
