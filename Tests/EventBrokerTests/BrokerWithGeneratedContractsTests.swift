import EventBroker
import EventTestKit
import EventTestSupport
import Foundation
import GeneratedContracts
import Testing

@Suite("Broker with the generated contracts")
struct BrokerWithGeneratedContractsTests {
    @Test("the broker article's flow: topics from the catalog, a typed publish, a group reads and decodes it on the key's partition")
    func publishAndConsumeAGeneratedEvent() async throws {
        let broker = try InProcessBroker(.testing(clock: ManualClock()))
        try broker.createTopics(for: EventCatalog.contracts)
        for contract in EventCatalog.contracts {
            #expect(broker.topicNames().contains(contract.topic))
            #expect(broker.topicNames().contains(contract.deadLetterTopic))
        }
        let producer = try await broker.makeProducer(ProducerConfig(acks: .all))
        let publisher = EventPublisher(sink: producer, source: "/shop/payments")
        let payment = PaymentCompleted(
            // Avro carries the number, not its text (19.90 reads back as 19.9): a value that survives as written.
            orderId: "o-42", paymentId: UUID(), total: .init(amount: "19.9"), capturedAt: Timestamp(secondsSince1970: 0),
            method: .wallet, installments: 3)
        try await publisher.publish(payment)

        let consumer = try await broker.makeConsumer(ConsumerConfig(groupId: "billing", offsetReset: .earliest))
        try await consumer.subscribe([PaymentCompleted.topic])
        let records = try await drain(consumer, count: 1)
        let record = try #require(records.first)
        #expect(record.partition == Murmur2.partition(forKey: Array("o-42".utf8), partitions: PaymentCompleted.partitions))
        let version = try #require(record.headers.value(of: CloudEventHeader.contractVersion).flatMap(Int.init))
        #expect(try PaymentCompleted.decode(recordValue: record.value, contentType: record.headers.value(of: CloudEventHeader.contentType), version: version) == payment)
        try await consumer.commitPositions()
        let committed = broker.committedOffsets(group: "billing")
        #expect(committed[record.topicPartition] == record.offset + 1)
        #expect(committed.count == PaymentCompleted.partitions && committed.values.reduce(0, +) == 1)
    }
}
