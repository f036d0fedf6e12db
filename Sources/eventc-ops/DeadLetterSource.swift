import ArgumentParser
import EventBroker
import EventCore
import EventProcessing
import Foundation
import Logging
#if Kafka
import KafkaTransport
#endif

/// Where the dead-letter topic lives: a durable in-process broker's folder, or a Kafka cluster.
enum DeadLetterSource: Sendable, Hashable {
    case brokerDirectory(String)
    case kafka(bootstrapServers: String)

    /// Runs `body` on a transport to the source, closed afterwards. A broker folder opens
    /// read-only for `readOnly` (nothing is written, and it works beside a running service).
    func withTransport<Result: Sendable>(
        topic: String, readOnly: Bool, _ body: (any Transport) async throws -> Result
    ) async throws -> Result {
        switch self {
        case .brokerDirectory(let directory):
            let broker = try DeadLetterBroker.open(directory, topic: topic, readOnly: readOnly)
            defer { broker.close() }
            return try await body(broker)
        case .kafka(let bootstrapServers):
            #if Kafka
            var environment = ProcessInfo.processInfo.environment
            environment[KafkaConfiguration.Environment.bootstrapServers] = bootstrapServers
            var logger = Logger(label: "eventc-ops.kafka")
            logger.logLevel = .error
            let transport = KafkaTransport(try KafkaConfiguration(environment: environment), logger: logger)
            return try await body(transport)
            #else
            throw ValidationError("this eventc-ops was built without Kafka; build it with `swift build --traits Kafka` (needs librdkafka-dev)")
            #endif
        }
    }
}

/// `--broker-dir DIR` or `--kafka BOOTSTRAP`, exactly one.
struct DeadLetterSourceOptions: ParsableArguments {
    @Option(help: "A durable in-process broker's folder.")
    var brokerDir: String?

    @Option(help: "A Kafka cluster's bootstrap servers (host:port,…); other settings from the KAFKA_* environment.")
    var kafka: String?

    func validate() throws {
        guard (brokerDir == nil) != (kafka == nil) else { throw ValidationError("give either --broker-dir DIR or --kafka BOOTSTRAP") }
    }

    func source() throws -> DeadLetterSource {
        if let brokerDir { return .brokerDirectory(brokerDir) }
        if let kafka { return .kafka(bootstrapServers: kafka) }
        throw ValidationError("give either --broker-dir DIR or --kafka BOOTSTRAP")
    }
}

/// Which dead letters a command takes: all by default.
struct DeadLetterFilter: Sendable, Hashable {
    var eventType: String?
    var cause: String?
    /// Dead-lettered at or after / before, in milliseconds since 1970 (the record's timestamp).
    var since: Int64?
    var until: Int64?

    @Sendable func accepts(_ letter: DeadLetter) -> Bool {
        if let eventType, letter.eventType != eventType { return false }
        if let cause, letter.cause != cause { return false }
        if let since, letter.record.timestamp < since { return false }
        if let until, letter.record.timestamp >= until { return false }
        return true
    }
}

struct DeadLetterFilterOptions: ParsableArguments {
    @Option(help: "Only records of this event type (ce_type).")
    var eventType: String?

    @Option(help: "Only records dead-lettered for this cause: deserialization, contract-violation or exhausted.")
    var cause: String?

    @Option(help: "Only records dead-lettered at or after this RFC 3339 time.")
    var since: String?

    @Option(help: "Only records dead-lettered before this RFC 3339 time.")
    var until: String?

    func validate() throws {
        let causes = DeliveryPolicy.DeadLetterReason.allCases.map(\.rawValue)
        if let cause, !causes.contains(cause) {
            throw ValidationError("--cause \(cause) is not a cause; use one of \(causes.joined(separator: ", "))")
        }
        _ = try filter()
    }

    func filter() throws -> DeadLetterFilter {
        func milliseconds(_ text: String?, _ option: String) throws -> Int64? {
            guard let text else { return nil }
            guard let time = Timestamp(rfc3339: Array(text.utf8)) else {
                throw ValidationError("\(option) \(text) is not an RFC 3339 time, such as 2026-12-04T09:00:00Z")
            }
            return time.secondsSince1970 * 1000 + Int64(time.nanoseconds / 1_000_000)
        }
        return DeadLetterFilter(eventType: eventType, cause: cause, since: try milliseconds(since, "--since"), until: try milliseconds(until, "--until"))
    }
}
