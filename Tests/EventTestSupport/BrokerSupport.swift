import EventBroker
import EventTestKit
import Foundation
import Logging
import Metrics

extension InProcessBroker.Options {
    /// Options for tests: warnings only, so test logs show what matters.
    public static func testing(
        storage: Storage = .memory, clock: any BrokerClock = ManualClock(), metrics: any MetricsFactory = MetricsSystem.factory
    ) -> Self {
        var logger = Logger(label: "eventcontracts.broker.test")
        logger.logLevel = .warning
        return Self(storage: storage, clock: clock, logger: logger, metrics: metrics)
    }
}

/// A broker with the given topics (name → partitions).
public func makeBroker(
    _ topics: [String: Int] = ["t": 3], clock: any BrokerClock = ManualClock(), storage: InProcessBroker.Options.Storage = .memory,
    config: (Int) -> TopicConfig = { TopicConfig(partitions: $0) }
) async throws -> InProcessBroker {
    let broker = try InProcessBroker(.testing(storage: storage, clock: clock))
    for (name, partitions) in topics.sorted(by: { $0.key < $1.key }) where !broker.topicNames().contains(name) {
        try await broker.createTopic(name, config: config(partitions))
    }
    return broker
}
