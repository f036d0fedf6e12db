import EventRuntime
import EventTestSupport
import Foundation
import GeneratedContracts
import Testing

/// The committed Generated/ code for Contracts/, used as a user would.
@Suite("Generated contracts")
struct GeneratedContractsTests {
    final class RecordingSink: EventSink, @unchecked Sendable {
        private let lock = NSLock()
        private var stored: [OutgoingRecord] = []
        var records: [OutgoingRecord] { lock.withLock { stored } }
        func send(_ record: OutgoingRecord) async throws { lock.withLock { stored.append(record) } }
    }

    @Test("the catalog lists every contract in Contracts/")
    func catalog() {
        #expect(EventCatalog.contracts.map(\.eventType) == [
            "DeliveryStarted", "OrderApproved", "OrderCancelled", "OrderCreated", "PaymentCompleted", "ProductLiked",
            "ProductUnliked", "RefundIssued",
        ])
        #expect(EventCatalog.contracts.first { $0.eventType == "OrderCreated" }?.deadLetterTopic == "orders.dlq")
    }

    @Test("publishing sets the key, the value in the contract's encoding (Avro in Confluent's frame here) and the CloudEvents headers")
    func publishing() async throws {
        let sink = RecordingSink()
        let publisher = EventPublisher(sink: sink, source: "/shop/payments")
        let id = UUID()
        let payment = PaymentCompleted(
            orderId: "o-1", paymentId: UUID(), total: .init(amount: "19.9"), capturedAt: Timestamp(secondsSince1970: 0),
            method: .wallet, installments: 3)
        try await publisher.publish(payment, id: id, time: Timestamp(secondsSince1970: 60))
        let record = try #require(sink.records.first)
        #expect(record.topic == "payments.payment-completed")
        #expect(record.key == Array("o-1".utf8))
        #expect(record.header("ce_id") == id.uuidString.lowercased())
        #expect(record.header("ce_type") == "PaymentCompleted")
        #expect(record.header("ce_source") == "/shop/payments")
        #expect(record.header("ce_time") == "1970-01-01T00:01:00Z")
        #expect(record.header("ce_specversion") == "1.0")
        #expect(record.header("ce_contractversion") == "3")
        #expect(record.header("content-type") == "application/avro")
        let id3 = try #require(PaymentCompleted.schemas?.derivedId(ofVersion: 3))
        #expect(Array(record.value.prefix(5)) == [0] + withUnsafeBytes(of: UInt32(bitPattern: id3).bigEndian) { Array($0) })
        #expect(Array(record.value.dropFirst(5)) == (try payment.avroBytes()))
        #expect(try PaymentCompleted.decode(recordValue: record.value, contentType: record.header("content-type"), version: 3) == payment)
    }

    @Test("publishing a generated event gives it a time-ordered (version 7) id when none is given")
    func publishDefaultsToTimeOrderedIds() async throws {
        let sink = RecordingSink()
        let publisher = EventPublisher(sink: sink, source: "/shop/orders")
        try await publisher.publish(OrderApproved(orderId: "o-1", approvedBy: "x"))
        try await publisher.publish(OrderApproved(orderId: "o-1", approvedBy: "x"))
        let ids = sink.records.compactMap { $0.header("ce_id").flatMap(UUID.init(uuidString:)) }
        #expect(ids.count == 2)
        #expect(ids.allSatisfy { $0.uuid.6 >> 4 == 7 && $0.uuid.8 >> 6 == 0b10 })
        #expect(ids[0] != ids[1])
    }

    @Test("PaymentCompleted written by version 1 reads as version 3 with defaults")
    func paymentUpcast() throws {
        let v1 = #"{"orderId":"o","paymentId":"00000000-0000-0000-0000-000000000001","total":{"amount":5},"capturedAt":"2024-01-01T00:00:00Z"}"#
        let payment = try PaymentCompleted.decode(json: Array(v1.utf8), version: 1)
        #expect(payment.method == .card)
        #expect(payment.installments == 1)
        #expect(payment.total.currency == "KRW")
        #expect(payment.total.amount.text == "5")
    }

    @Test("the publisher gives each record a time-ordered id unless told one")
    func publisherDefaultsToTimeOrderedIds() throws {
        let publisher = EventPublisher(sink: RecordingSink(), source: "/tests")
        let event = OrderApproved(orderId: "o", approvedBy: "x")
        let first = try publisher.record(for: event)
        let given = UUID()
        let second = try publisher.record(for: event, id: given)
        let id = first.header(CloudEventHeader.id).flatMap(UUID.init(uuidString:))
        #expect(id.map { $0.uuidString.dropFirst(14).first } == "7")
        #expect(second.header(CloudEventHeader.id).flatMap(UUID.init(uuidString:)) == given)
    }
}
