import EventBroker
import EventProcessing
import EventTestKit
import EventTestSupport
import Foundation
import GeneratedContracts
import Synchronization
import Testing

/// The processor picks each record's codec by its `content-type`: JSON and Avro on one topic (a
/// migration), Avro in Confluent's frame from a producer that sets no CloudEvents headers (a Java
/// or Python service's stock serializer), and records nobody can read dead-lettered with why.
@Suite("Processor: encodings")
struct EncodingTests {
    static let payment = PaymentCompleted(
        orderId: "o-1", paymentId: UUID(uuidString: "0f4a2c4e-9a1b-4d2c-8e3f-112233445566")!, total: .init(amount: "19.9", currency: "EUR"),
        capturedAt: Timestamp(secondsSince1970: 1_700_000_000, nanoseconds: 1), method: .wallet, note: "n", installments: 2)

    private func broker() throws -> InProcessBroker {
        let broker = try InProcessBroker(.testing())
        try broker.createTopics(for: EventCatalog.contracts)
        return broker
    }

    /// Runs a processor with a PaymentCompleted handler until `expected` events were handled or
    /// `deadLettered` records were dead-lettered; returns what the handler saw.
    private func process(
        _ broker: InProcessBroker, schemaIds: any SchemaIdResolver = .derived, batch: Bool = false,
        until condition: @escaping (EventProcessor, Int) -> Bool
    ) async throws -> (events: [PaymentCompleted], processor: EventProcessor) {
        let seen = Mutex<[PaymentCompleted]>([])
        var configuration = EventProcessor.Configuration(groupId: "billing", pollTimeout: .milliseconds(10), sleep: { _ in })
        configuration.schemaIds = schemaIds
        let registration = batch
            ? EventHandlerRegistration(PaymentCompleted.self, batch: { items in seen.withLock { $0 += items.map(\.event) } })
            : EventHandlerRegistration(PaymentCompleted.self) { event, _ in seen.withLock { $0.append(event) } }
        let processor = EventProcessor(transport: broker, configuration: configuration, handlers: [registration], inbox: InMemoryInbox())
        let task = Task { try await processor.run() }
        for _ in 0..<500 where !condition(processor, seen.withLock { $0.count }) { try await Task.sleep(for: .milliseconds(10)) }
        processor.stop()
        try await task.value
        #expect(condition(processor, seen.withLock { $0.count }))
        return (seen.withLock { $0 }, processor)
    }

    private func send(_ broker: InProcessBroker, _ records: [OutgoingRecord]) async throws {
        let producer = try await broker.makeProducer(ProducerConfig())
        for record in records { try await producer.send(record) }
    }

    private func deadLetters(_ broker: InProcessBroker) async throws -> [ConsumerRecord] {
        let consumer = try await broker.makeConsumer(ConsumerConfig(groupId: "dlq-reader", offsetReset: .earliest))
        try await consumer.subscribe([PaymentCompleted.delivery.deadLetterTopic])
        return try await pollAll(consumer)
    }

    @Test("one topic carrying JSON and Avro records of the same event: each read with its own codec, in order", arguments: [false, true])
    func mixedEncodings(batch: Bool) async throws {
        let broker = try broker()
        // Each record its own event id (the inbox would take a repeated one for a redelivery).
        func json() throws -> OutgoingRecord {
            var record = try EventPublisher.record(for: Self.payment, source: "/tests")
            record.value = try Self.payment.jsonBytes()
            record.headers = record.headers.map { $0.name == CloudEventHeader.contentType ? .init($0.name, "application/json") : $0 }
            return record
        }
        let avro = try EventPublisher.record(for: Self.payment, source: "/tests")
        #expect(avro.header(CloudEventHeader.contentType) == "application/avro" && avro.value.first == 0)
        try await send(broker, [try json(), avro, try json()])
        let (events, processor) = try await process(broker, batch: batch) { _, count in count == 3 }
        #expect(events == [Self.payment, Self.payment, Self.payment])
        #expect(processor.statistics.deadLettered == 0)
    }

    @Test("Avro from a producer without CloudEvents headers (a stock Confluent serializer) is routed by its topic and read by its frame")
    func confluentProducerWithoutHeaders() async throws {
        let broker = try broker()
        let value = try Self.payment.recordValue()
        try await send(broker, [OutgoingRecord(topic: PaymentCompleted.topic, key: Array("o-1".utf8), value: value)])
        let (events, _) = try await process(broker) { _, count in count == 1 }
        #expect(events == [Self.payment])
    }

    @Test("a record written with an older version's schema id reads as the newest shape, defaults filled in")
    func olderVersionsSchemaId() async throws {
        let broker = try broker()
        let schemas = try #require(PaymentCompleted.schemas)
        let v1 = JSONValue.object([
            ("orderId", .string("o-9")), ("paymentId", .string("0f4a2c4e-9a1b-4d2c-8e3f-112233445566")),
            ("total", .object([("amount", .string("5")), ("currency", .string("KRW"))])), ("capturedAt", .string("2024-01-01T00:00:00Z")),
        ])
        var writer = AvroWriter()
        try SchemaDrivenCoding.write(v1, as: schemas.versions[0].schema, to: &writer)
        let id = try #require(schemas.derivedId(ofVersion: 1))
        let frame = [0] + withUnsafeBytes(of: UInt32(bitPattern: id).bigEndian) { Array($0) } + writer.bytes
        try await send(broker, [OutgoingRecord(topic: PaymentCompleted.topic, key: nil, value: frame)])
        let (events, _) = try await process(broker) { _, count in count == 1 }
        #expect(events.first?.orderId == "o-9" && events.first?.method == .card && events.first?.installments == 1)
    }

    @Test("an unknown content type, an unknown schema id and a damaged frame are dead-lettered as deserialization failures, with why")
    func unreadableRecordsAreDeadLettered() async throws {
        let broker = try broker()
        var unknownType = try EventPublisher.record(for: Self.payment, source: "/tests")
        unknownType.headers = unknownType.headers.map { $0.name == CloudEventHeader.contentType ? .init($0.name, "application/x-protobuf") : $0 }
        var unknownId = try EventPublisher.record(for: Self.payment, source: "/tests")
        unknownId.value.replaceSubrange(1..<5, with: [0x7F, 0x7F, 0x7F, 0x7F])
        var cut = try EventPublisher.record(for: Self.payment, source: "/tests")
        cut.value.removeLast(3)
        try await send(broker, [unknownType, unknownId, cut])
        let (_, processor) = try await process(broker) { processor, _ in processor.statistics.deadLettered == 3 }
        let letters = try await deadLetters(broker)
        #expect(letters.count == 3)
        let messages = letters.map { $0.headers.value(of: DeadLetterHeader.exceptionMessage) ?? "" }
        #expect(letters.allSatisfy { $0.headers.value(of: DeadLetterHeader.cause) == "deserialization" })
        #expect(messages[0].contains("application/x-protobuf"), "\(messages[0])")
        #expect(messages[1].contains("schema id"), "\(messages[1])")
        #expect(messages[2].contains("truncated"), "\(messages[2])")
        #expect(processor.statistics.deadLettered == 3)
    }

    @Test("a schema table gives a reader the schema of a version its code does not know, by id")
    func schemaTableResolvesNewerWriters() async throws {
        let broker = try broker()
        let schemas = try #require(PaymentCompleted.schemas)
        // A v4 written by a producer ahead of this reader: one more field, with a default.
        let newer = #"{"type":"record","name":"PaymentCompleted","namespace":"payments","fields":[{"name":"orderId","type":"string"},{"name":"paymentId","type":{"type":"string","logicalType":"uuid"}},{"name":"total","type":{"type":"record","name":"Money","fields":[{"name":"amount","type":{"type":"bytes","logicalType":"decimal","precision":38,"scale":18}},{"name":"currency","type":"string","default":"KRW"}]}},{"name":"capturedAt","type":{"type":"long","logicalType":"timestamp-nanos"}},{"name":"method","type":{"type":"enum","name":"Method","symbols":["card","transfer","points","wallet","voucher"],"default":"card"},"default":"card"},{"name":"note","type":["null","string"],"default":null},{"name":"installments","type":"int","default":1},{"name":"channel","type":"string","default":"web"}]}"#
        let schema = try AvroSchema(json: newer)
        var value = try JSONValue.parse(Self.payment.jsonBytes())
        if case .object(var members) = value {
            members = members.map { $0.0 == "method" ? ($0.0, .string("voucher")) : $0 } + [("channel", .string("app"))]
            value = .object(members)
        }
        var writer = AvroWriter()
        try SchemaDrivenCoding.write(value, as: schema, to: &writer)
        let table = SchemaTable([(id: 42, schema: schema)] + schemas.versions.enumerated().map { (Int32(100 + $0.offset), $0.element.schema) })
        try await send(broker, [OutgoingRecord(topic: PaymentCompleted.topic, key: nil, value: [0, 0, 0, 0, 42] + writer.bytes)])
        let (events, _) = try await process(broker, schemaIds: table) { _, count in count == 1 }
        var expected = Self.payment
        expected.method = .card  // 'voucher' is no symbol this code knows: the enum's default
        #expect(events == [expected])
    }
}
