#if Kafka
import EventRuntime
import EventTestKit
import EventTestSupport
import Foundation
import GeneratedContracts
import KafkaTransport
import Synchronization
import Testing
import ToolTestSupport

/// Debian's `kcat`, an independent client (librdkafka underneath, but its own partitioner choice
/// and record handling), reading what we write and writing what we read.
@Suite("Interoperability with kcat", .serialized)
struct KcatInteropTests {
    /// Runs kcat with these arguments and standard input; returns its standard output.
    private func kcat(_ arguments: [String], input: String = "") async throws -> String {
        let kcat = try #require(
            ExternalTool.executable(named: ["kcat", "kafkacat"]), "kcat is not installed: apt-get install -y kcat (.ci/run does)")
        return String(decoding: try await ExternalTool.run(kcat, arguments, input: Data(input.utf8)), as: UTF8.self)
    }

    @Test("kcat reads our records on the partitions murmur2 predicts, with the CloudEvents headers", arguments: KafkaBrokerKind.allCases)
    func kcatReadsOurRecords(broker: KafkaBrokerKind) async throws {
        let kafka = try await broker.make(topics: [ProductLiked.topic: ProductLiked.partitions])
        let producer = try await kafka.transport.makeProducer(ProducerConfig())
        let publisher = EventPublisher(sink: producer, source: "/tests/storefront")
        let keys = ["foobar", "21", "a-little-bit-long-string"] + (0..<20).map { "product-\($0)" }
        var sent: [OutgoingRecord] = []
        for key in keys { sent.append(try publisher.record(for: ProductLiked(productId: key, userId: "user-1"))) }
        let metadata = try await producer.send(sent)
        await producer.close()
        for (record, stored) in zip(sent, metadata) {
            #expect(stored.partition == Murmur2.partition(forKey: record.key ?? [], partitions: ProductLiked.partitions))
        }

        let output = try await kcat([
            "-b", kafka.bootstrapServers, "-C", "-t", ProductLiked.topic, "-o", "beginning", "-e", "-q",
            "-f", "%p\t%k\t%h\t%s\n",
        ])
        let lines = output.split(separator: "\n").map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
        #expect(lines.count == keys.count)
        for line in lines where line.count == 4 {
            let key = line[1]
            #expect(Int(line[0]) == Murmur2.partition(forKey: Array(key.utf8), partitions: ProductLiked.partitions), "key \(key)")
            #expect(line[2].contains("ce_type=ProductLiked"))
            #expect(line[2].contains("ce_specversion=1.0"))
            #expect(line[2].contains("ce_contractversion=1"))
            #expect(line[2].contains("ce_source=/tests/storefront"))
            #expect(line[3].contains("\"productId\":\"\(key)\""))
        }
        // The published vectors, spelled out: Java's client puts these keys on these partitions.
        #expect(lines.contains { $0.first == "\(Int(Int32(-790_332_482) & 0x7fff_ffff) % 24)" && $0.dropFirst().first == "foobar" })
        #expect(lines.contains { $0.first == "\(Int(Int32(-973_932_308) & 0x7fff_ffff) % 24)" && $0.dropFirst().first == "21" })
    }

    @Test("records kcat writes are handled by our processor", arguments: KafkaBrokerKind.allCases)
    func processorHandlesKcatRecords(broker: KafkaBrokerKind) async throws {
        let kafka = try await broker.make(topics: [ProductLiked.topic: ProductLiked.partitions, ProductLiked.delivery.deadLetterTopic: ProductLiked.partitions])
        for index in 0..<5 {
            _ = try await kcat(
                [
                    "-b", kafka.bootstrapServers, "-P", "-t", ProductLiked.topic, "-K", "|",
                    "-H", "ce_type=ProductLiked", "-H", "ce_specversion=1.0", "-H", "ce_contractversion=1",
                    "-H", "ce_id=kcat-\(index)", "-H", "ce_source=/kcat", "-H", "content-type=application/json",
                ],
                input: "product-\(index)|{\"productId\":\"product-\(index)\",\"userId\":\"kcat-user\"}\n")
        }
        let handled = Mutex<[String: String]>([:])
        let processor = EventProcessor(
            transport: kafka.transport,
            configuration: .init(
                groupId: "kcat-readers", consumer: testConsumer("kcat-readers", assignment: .cooperativeSticky), logger: kafka.logger),
            handlers: [EventHandlerRegistration(ProductLiked.self) { event, context in handled.withLock { $0[context.eventId] = event.productId } }],
            inbox: InMemoryInbox())
        let task = Task { try await processor.run() }
        let done = await eventually { handled.withLock { $0.count } == 5 }
        processor.stop()
        try await task.value
        #expect(done)
        #expect(handled.withLock { $0 } == Dictionary(uniqueKeysWithValues: (0..<5).map { ("kcat-\($0)", "product-\($0)") }))
    }
}
#endif
