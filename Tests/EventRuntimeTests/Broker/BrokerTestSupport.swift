import EventRuntime
import Foundation
import Logging
import Metrics

extension InProcessBroker.Options {
    /// Options for tests: warnings only, so test logs show what matters.
    static func testing(
        storage: Storage = .memory, clock: any BrokerClock = ManualClock(), metrics: any MetricsFactory = MetricsSystem.factory
    ) -> Self {
        var logger = Logger(label: "eventcontracts.broker.test")
        logger.logLevel = .warning
        return Self(storage: storage, clock: clock, logger: logger, metrics: metrics)
    }
}

/// A record with a text key and value.
func record(_ topic: String, key: String?, _ value: String, partition: Int? = nil, timestamp: Int64? = nil) -> OutgoingRecord {
    OutgoingRecord(
        topic: topic, key: key.map { Array($0.utf8) }, value: Array(value.utf8),
        headers: [RecordHeader("h", value)], partition: partition, timestamp: timestamp)
}

extension ConsumerRecord {
    var text: String { String(decoding: value, as: UTF8.self) }
}

/// A broker with the given topics (name → partitions).
func makeBroker(
    _ topics: [String: Int] = ["t": 3], clock: any BrokerClock = ManualClock(), storage: InProcessBroker.Options.Storage = .memory,
    config: (Int) -> TopicConfig = { TopicConfig(partitions: $0) }
) async throws -> InProcessBroker {
    let broker = try InProcessBroker(.testing(storage: storage, clock: clock))
    for (name, partitions) in topics.sorted(by: { $0.key < $1.key }) where !broker.topicNames().contains(name) {
        try await broker.createTopic(name, config: config(partitions))
    }
    return broker
}

/// Polls until `count` records arrived (or fails after `attempts` empty polls).
func drain(_ consumer: any TransportConsumer, count: Int, attempts: Int = 50) async throws -> [ConsumerRecord] {
    var records: [ConsumerRecord] = []
    var empty = 0
    while records.count < count, empty < attempts {
        let batch = try await consumer.poll(max: 500, timeout: .milliseconds(20))
        if batch.isEmpty { empty += 1 }
        records += batch
    }
    return records
}

/// Polls a few times and returns everything that came.
func pollAll(_ consumer: any TransportConsumer, polls: Int = 3) async throws -> [ConsumerRecord] {
    var records: [ConsumerRecord] = []
    for _ in 0..<polls { records += try await consumer.poll(max: 500, timeout: .milliseconds(10)) }
    return records
}

/// A fresh folder for a test, inside this test process's scratch folder.
func temporaryDirectory(_ name: String = #function) -> String {
    let path = scratchFolder + "/\(name.filter(\.isLetter))-\(UUID().uuidString)"
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// One folder per test process, removed when it exits: each run used to leave hundreds of broker
/// folders in the temporary directory.
let scratchFolder: String = {
    let folder = NSTemporaryDirectory() + "eventcontracts-tests-\(UUID().uuidString)"
    try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    atexit { try? FileManager.default.removeItem(atPath: scratchFolder) }
    return folder
}()

/// Runs `body` expecting a BrokerError with `code`.
func expectBrokerError(_ code: BrokerError.Code, _ body: () async throws -> Void) async -> Bool {
    do {
        try await body()
        return false
    } catch let error as BrokerError {
        return error.code == code
    } catch {
        return false
    }
}
