import EventRuntime
#if Kafka
import KafkaTransport
#endif

/// Where the shop's events live: the in-process broker, or Kafka (librdkafka's mock cluster or a
/// real one). The services only see the `Transport`; topic setup and the lag the demo waits on
/// are the two things asked of the backend itself.
enum Backend: Sendable {
    case inProcess(InProcessBroker)
    #if Kafka
    /// The mock cluster, when there is one, lives as long as the backend.
    case kafka(KafkaTransport, mock: KafkaMockCluster?)
    #endif

    var transport: any Transport {
        switch self {
        case .inProcess(let broker): broker
        #if Kafka
        case .kafka(let kafka, _): kafka
        #endif
        }
    }

    var name: String {
        switch self {
        case .inProcess: "the in-process broker"
        #if Kafka
        case .kafka(_, let mock?): "a \(mock.brokers)-broker mock Kafka cluster at \(mock.bootstrapServers)"
        case .kafka(let kafka, nil): "Kafka at \(kafka.configuration.bootstrapServers)"
        #endif
        }
    }

    func createTopics(for contracts: [ContractDescriptor]) async throws {
        switch self {
        case .inProcess(let broker): try broker.createTopics(for: contracts)
        #if Kafka
        case .kafka(let kafka, _): try await kafka.createTopics(for: contracts)
        #endif
        }
    }

    /// Records the group has not committed on these topics.
    func groupLag(_ group: String, _ topics: [String]) async throws -> Int64 {
        switch self {
        case .inProcess(let broker): broker.groupLag(group: group, topics: topics).values.reduce(0, +)
        #if Kafka
        case .kafka(let kafka, _): try await kafka.groupLag(group: group, topics: topics).values.reduce(0, +)
        #endif
        }
    }
}
