import EventRuntime
import EventTestSupport
import EventcCommandLine
import Foundation
import Testing
@testable import eventc_ops

@Suite("eventc-ops dlq")
struct DeadLetterCommandTests {
    /// A durable broker folder whose orders.dlq holds two dead letters from orders.
    private func folderWithDeadLetters() async throws -> String {
        let directory = NSTemporaryDirectory() + "eventc-dlq-\(UUID().uuidString)"
        var options = InProcessBroker.Options(storage: .directory(directory))
        options.logger.logLevel = .error
        let broker = try InProcessBroker(options)
        try await broker.createTopic("orders", config: TopicConfig(partitions: 2))
        try await broker.createTopic("orders.dlq", config: TopicConfig(partitions: 2))
        let producer = try await broker.makeProducer(ProducerConfig())
        var letters: [OutgoingRecord] = []
        for index in 0..<2 {
            letters.append(OutgoingRecord(
                topic: "orders.dlq", key: Array("o\(index)".utf8), value: Array("{\"orderId\":\"o\(index)\"}".utf8),
                headers: [
                    RecordHeader(CloudEventHeader.id, "id-\(index)"), RecordHeader(CloudEventHeader.type, index == 0 ? "OrderApproved" : "OrderCancelled"),
                    RecordHeader(DeadLetterHeader.originalTopic, "orders"), RecordHeader(DeadLetterHeader.originalPartition, "1"),
                    RecordHeader(DeadLetterHeader.originalOffset, "\(index + 10)"), RecordHeader(DeadLetterHeader.cause, "exhausted"),
                    RecordHeader(DeadLetterHeader.attempts, "5"), RecordHeader(DeadLetterHeader.exceptionMessage, "boom"),
                ],
                partition: 0))
        }
        _ = try await producer.send(letters)
        // An ordinary topic: listing or replaying "payments" as a DLQ must be refused.
        try await broker.createTopic("payments", config: TopicConfig(partitions: 2))
        _ = try await producer.send([OutgoingRecord(topic: "payments", key: nil, value: Array("{}".utf8), partition: 1)])
        broker.close()
        return directory
    }

    @Test("list prints each dead letter with where it came from and why, as text or JSON")
    func listShowsTheFacts() async throws {
        let directory = try await folderWithDeadLetters()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let text = await DeadLetterListRun(topic: "orders.dlq", source: .brokerDirectory(directory), format: .text).execute()
        #expect(text.exitCode == 0)
        #expect(text.output.contains("orders.dlq-0@0 OrderApproved id=id-0 from orders-1@10 group=? cause=exhausted attempts=5 error=boom"))
        #expect(text.output.hasSuffix("2 dead letters in orders.dlq\n"))
        let json = await DeadLetterListRun(topic: "orders.dlq", source: .brokerDirectory(directory), format: .json).execute()
        let parsed = try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [[String: Any]]
        #expect(parsed?.count == 2)
        #expect(parsed?.first?["originalOffset"] as? Int == 10)
    }

    @Test("replay sends the chosen letters to their original topic, once")
    func replaySendsOnce() async throws {
        let directory = try await folderWithDeadLetters()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let first = await DeadLetterReplayRun(topic: "orders.dlq", source: .brokerDirectory(directory), filter: DeadLetterFilter(eventType: "OrderApproved")).execute()
        #expect(first.output == "replayed 1 record: 1 to orders\n")
        let second = await DeadLetterReplayRun(topic: "orders.dlq", source: .brokerDirectory(directory)).execute()
        #expect(second.output == "nothing to replay in orders.dlq\n")
        var options = InProcessBroker.Options(storage: .directory(directory))
        options.logger.logLevel = .error
        let broker = try InProcessBroker(options)
        defer { broker.close() }
        let ends = try (0..<2).map { try broker.offsets(of: TopicPartition("orders", $0)).end }
        #expect(ends.reduce(0, +) == 1)
    }

    @Test("a folder that is not a broker's, a missing topic, a topic that is not a DLQ, or replaying into a folder in use are errors with exit 2")
    func errors() async throws {
        let missing = await DeadLetterListRun(topic: "x", source: .brokerDirectory("/nonexistent"), format: .text).execute()
        #expect(missing.exitCode == 2 && missing.errorOutput.contains("not a broker folder"))
        let directory = try await folderWithDeadLetters()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let unknown = await DeadLetterListRun(topic: "nope.dlq", source: .brokerDirectory(directory), format: .text).execute()
        #expect(unknown.exitCode == 2 && unknown.errorOutput.contains("no topic 'nope.dlq'"))
        for outcome in [
            await DeadLetterListRun(topic: "payments", source: .brokerDirectory(directory), format: .text).execute(),
            await DeadLetterReplayRun(topic: "payments", source: .brokerDirectory(directory)).execute(),
        ] {
            #expect(outcome.exitCode == 2 && outcome.output.isEmpty)
            #expect(outcome.errorOutput.contains("payments is not a dead-letter topic: 1 of its records carry no dead-letter headers (payments-1@0)"),
                    "\(outcome.errorOutput)")
        }
        var options = InProcessBroker.Options(storage: .directory(directory))
        options.logger.logLevel = .error
        let running = try InProcessBroker(options)
        // Replaying writes, so it waits for the service to stop; listing only reads, so it need not.
        let locked = await DeadLetterReplayRun(topic: "orders.dlq", source: .brokerDirectory(directory)).execute()
        #expect(locked.exitCode == 2 && locked.errorOutput.contains("in use"))
        let listed = await DeadLetterListRun(topic: "orders.dlq", source: .brokerDirectory(directory), format: .text).execute()
        #expect(listed.exitCode == 0 && listed.output.hasSuffix("2 dead letters in orders.dlq\n"))
        running.close()
    }
}

@Suite("eventc-ops command line")
struct OpsCommandLineTests {
    @Test("every eventc-ops command the documentation gives parses through the root command")
    func documentedCommandsParse() throws {
        let commands = try DocumentedCommands.documented(for: "eventc-ops")
        #expect(commands.filter { $0.starts(with: ["dlq", "list"]) || $0.starts(with: ["dlq", "replay"]) }.count >= 2)
        for arguments in commands {
            #expect(throws: Never.self, "\(arguments)") { _ = try EventcOps.parseAsRoot(arguments) }
        }
    }
}
