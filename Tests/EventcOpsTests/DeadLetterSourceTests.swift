import ArgumentParser
import EventRuntime
import EventTestKit
import EventTestSupport
import EventcCommandLine
import Foundation
import Testing
@testable import eventc_ops

@Suite("eventc-ops dlq: filters and sources")
struct DeadLetterSourceTests {
    /// Three dead letters on `transport`'s orders.dlq: OrderApproved/exhausted at t=1000 s,
    /// OrderCancelled/deserialization at t=2000 s, OrderApproved/contract-violation at t=3000 s.
    static func deadLetters() -> [OutgoingRecord] {
        let facts = [("OrderApproved", "exhausted"), ("OrderCancelled", "deserialization"), ("OrderApproved", "contract-violation")]
        return facts.enumerated().map { index, fact in
            OutgoingRecord(
                topic: "orders.dlq", key: Array("o\(index)".utf8), value: Array("{\"orderId\":\"o\(index)\"}".utf8),
                headers: [
                    RecordHeader(CloudEventHeader.id, "id-\(index)"), RecordHeader(CloudEventHeader.type, fact.0),
                    RecordHeader(DeadLetterHeader.originalTopic, "orders"), RecordHeader(DeadLetterHeader.originalPartition, "0"),
                    RecordHeader(DeadLetterHeader.originalOffset, "\(index)"), RecordHeader(DeadLetterHeader.cause, fact.1),
                    RecordHeader(DeadLetterHeader.attempts, "1"), RecordHeader(DeadLetterHeader.exceptionMessage, "boom"),
                ],
                partition: 0, timestamp: Int64(index + 1) * 1_000_000)
        }
    }

    static func folder() async throws -> String {
        let directory = NSTemporaryDirectory() + "eventc-dlq-filter-\(UUID().uuidString)"
        var options = InProcessBroker.Options(storage: .directory(directory))
        options.logger.logLevel = .error
        let broker = try InProcessBroker(options)
        try await broker.createTopic("orders", config: TopicConfig(partitions: 1))
        try await broker.createTopic("orders.dlq", config: TopicConfig(partitions: 1))
        _ = try await broker.makeProducer(ProducerConfig()).send(deadLetters())
        broker.close()
        return directory
    }

    static func listedIds(_ outcome: CommandOutcome) -> [String] {
        outcome.output.split(separator: "\n").compactMap { line in
            line.split(separator: " ").first { $0.hasPrefix("id=") }.map { String($0.dropFirst(3)) }
        }
    }

    @Test("list filters by event type, cause and time; replay takes the same filters")
    func filters() async throws {
        let directory = try await Self.folder()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        func list(_ arguments: [String]) async throws -> CommandOutcome {
            let filter = try DeadLetterFilterOptions.parse(arguments).filter()
            return await DeadLetterListRun(topic: "orders.dlq", source: .brokerDirectory(directory), format: .text, filter: filter).execute()
        }
        #expect(Self.listedIds(try await list([])) == ["id-0", "id-1", "id-2"])
        #expect(Self.listedIds(try await list(["--event-type", "OrderApproved"])) == ["id-0", "id-2"])
        #expect(Self.listedIds(try await list(["--cause", "deserialization"])) == ["id-1"])
        #expect(Self.listedIds(try await list(["--since", "1970-01-01T00:33:20Z"])) == ["id-1", "id-2"])
        #expect(Self.listedIds(try await list(["--since", "1970-01-01T00:33:20Z", "--until", "1970-01-01T00:50:00Z"])) == ["id-1"])
        let filter = try DeadLetterFilterOptions.parse(["--cause", "contract-violation"]).filter()
        let replay = await DeadLetterReplayRun(topic: "orders.dlq", source: .brokerDirectory(directory), filter: filter).execute()
        #expect(replay.output == "replayed 1 record: 1 to orders\n")
    }

    @Test("--decode prints each payload's JSON under its line, or says it is not JSON")
    func decode() async throws {
        let directory = try await Self.folder()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let outcome = await DeadLetterListRun(
            topic: "orders.dlq", source: .brokerDirectory(directory), format: .text, filter: DeadLetterFilter(cause: "exhausted"), decode: true
        ).execute()
        let lines = outcome.output.split(separator: "\n").map(String.init)
        #expect(lines.count == 5, "\(outcome.output)")
        #expect(lines[0].hasPrefix("orders.dlq-0@0 OrderApproved id=id-0 "))
        #expect(Array(lines[1...3]) == ["  {", "    \"orderId\" : \"o0\"", "  }"])
        #expect(DeadLetterListRun.payload(Array("{\"a\":\u{1}".utf8)) == "  payload is not JSON (6 bytes): {\"a\":\\u{1}")
    }

    @Test("the source is --broker-dir or --kafka, exactly one; causes and times are checked")
    func arguments() throws {
        #expect(throws: (any Error).self) { try DeadLetterListCommand.parse(["orders.dlq"]) }
        #expect(throws: (any Error).self) { try DeadLetterListCommand.parse(["orders.dlq", "--broker-dir", "d", "--kafka", "k:9092"]) }
        #expect(throws: (any Error).self) { try DeadLetterListCommand.parse(["orders.dlq", "--broker-dir", "d", "--cause", "timeout"]) }
        #expect(throws: (any Error).self) { try DeadLetterListCommand.parse(["orders.dlq", "--broker-dir", "d", "--since", "yesterday"]) }
        let command = try DeadLetterReplayCommand.parse(["orders.dlq", "--kafka", "k:9092", "--event-type", "OrderApproved"])
        #expect(try command.source.source() == .kafka(bootstrapServers: "k:9092"))
        #expect(try command.filter.filter() == DeadLetterFilter(eventType: "OrderApproved"))
    }

    #if Kafka
    @Test("on a Kafka cluster: the same listing, and replay with the same bookkeeping", arguments: KafkaBrokerKind.allCases)
    func kafka(broker: KafkaBrokerKind) async throws {
        let kafka = try await broker.make(topics: ["orders": 1, "orders.dlq": 1])
        let producer = try await kafka.transport.makeProducer(ProducerConfig())
        _ = try await producer.send(Self.deadLetters())
        await producer.close()
        let directory = try await Self.folder()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let source = DeadLetterSource.kafka(bootstrapServers: kafka.bootstrapServers)

        let onKafka = await DeadLetterListRun(topic: "orders.dlq", source: source, format: .text).execute()
        let inFolder = await DeadLetterListRun(topic: "orders.dlq", source: .brokerDirectory(directory), format: .text).execute()
        #expect(onKafka.exitCode == 0, "\(onKafka.errorOutput)")
        #expect(onKafka.output == inFolder.output)
        let filtered = await DeadLetterListRun(
            topic: "orders.dlq", source: source, format: .text, filter: DeadLetterFilter(cause: "deserialization")).execute()
        #expect(Self.listedIds(filtered) == ["id-1"])

        let first = await DeadLetterReplayRun(topic: "orders.dlq", source: source, filter: DeadLetterFilter(eventType: "OrderCancelled")).execute()
        #expect(first.output == "replayed 1 record: 1 to orders\n", "\(first.errorOutput)")
        let second = await DeadLetterReplayRun(topic: "orders.dlq", source: source).execute()
        #expect(second.output == "nothing to replay in orders.dlq\n", "\(second.errorOutput)")
        let reader = try await kafka.transport.makeConsumer(testConsumer("check"))
        try await reader.subscribe(["orders"])
        let replayed = try await drain(reader, count: 1)
        try await reader.close()
        #expect(replayed.map { $0.headers.value(of: CloudEventHeader.id) } == ["id-1"])
        #expect(replayed.first?.headers.value(of: DeadLetterHeader.cause) == nil)
    }
    #endif
}
