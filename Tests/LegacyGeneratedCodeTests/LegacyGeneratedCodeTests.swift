import EventRuntime
import Foundation
import GeneratedContracts
import Synchronization
import Testing

/// Files generated for older runtime API versions, compiled against today's runtime: this target
/// building is half the test; the other half is that they still read and write the same bytes
/// as code generated today.
@Suite("Code generated for older runtime API versions")
struct LegacyGeneratedCodeTests {
    static let payment = PaymentCompleted(
        orderId: "o-1", paymentId: UUID(uuidString: "00000000-0000-0000-0000-00000000000A")!,
        total: .init(amount: "19.90", currency: "EUR"), capturedAt: Timestamp(secondsSince1970: 1_700_000_000, nanoseconds: 5_000_000),
        method: .wallet, note: "gift", installments: 3)

    @Test("version 1, 2 and 3 code pass the version check and write the bytes today's code writes")
    func legacyEncodersWriteTodaysBytes() throws {
        let today = try Self.payment.jsonBytes()
        let v1 = LegacyV1PaymentCompleted(
            orderId: "o-1", paymentId: Self.payment.paymentId, total: .init(amount: "19.90", currency: "EUR"),
            capturedAt: Self.payment.capturedAt, method: .wallet, note: "gift", installments: 3)
        let v2 = LegacyV2PaymentCompleted(
            orderId: "o-1", paymentId: Self.payment.paymentId, total: .init(amount: "19.90", currency: "EUR"),
            capturedAt: Self.payment.capturedAt, method: .wallet, note: "gift", installments: 3)
        let v3 = LegacyV3PaymentCompleted(
            orderId: "o-1", paymentId: Self.payment.paymentId, total: .init(amount: "19.90", currency: "EUR"),
            capturedAt: Self.payment.capturedAt, method: .wallet, note: "gift", installments: 3)
        #expect(try v1.jsonBytes() == today)
        #expect(try v2.jsonBytes() == today)
        #expect(try v3.jsonBytes() == today)
    }

    @Test("code generated before runtime API version 4 has no Avro: encoding or decoding it says to regenerate")
    func legacyCodeHasNoAvro() throws {
        let v3 = try LegacyV3PaymentCompleted.decode(json: Self.payment.jsonBytes(), version: 3)
        #expect(LegacyV3PaymentCompleted.encoding == .json && LegacyV3PaymentCompleted.schemas == nil)
        #expect(throws: EventEncodingError.self) { try v3.avroBytes() }
        do {
            _ = try LegacyV3PaymentCompleted.decode(avro: Self.payment.avroBytes(), version: 3)
            Issue.record("a legacy type decoded Avro")
        } catch let error as EventDecodingError {
            #expect(error.kind == .unknownSchema && error.message.contains("regenerate"))
        }
    }

    @Test("legacy decoders read what today's encoder writes, and today's read what theirs write, for every published version")
    func decodersAgree() throws {
        let today = try Self.payment.jsonBytes()
        let v2 = try LegacyV2PaymentCompleted.decode(json: today, version: 3)
        #expect(v2.orderId == "o-1" && v2.method == LegacyV2PaymentCompleted.Method.wallet && v2.installments == 3 && v2.total.amount.text == "19.90")
        #expect(try PaymentCompleted.decode(json: v2.jsonBytes(), version: 3) == Self.payment)
        let v3 = try LegacyV3PaymentCompleted.decode(json: today, version: 3)
        #expect(try PaymentCompleted.decode(json: v3.jsonBytes(), version: 3) == Self.payment)
        let writtenByVersion1 = Array(#"{"orderId":"o","paymentId":"00000000-0000-0000-0000-000000000001","total":{"amount":5},"capturedAt":"2024-01-01T00:00:00Z"}"#.utf8)
        let legacy = try LegacyV1PaymentCompleted.decode(json: writtenByVersion1, version: 1)
        let legacyV3 = try LegacyV3PaymentCompleted.decode(json: writtenByVersion1, version: 1)
        let current = try PaymentCompleted.decode(json: writtenByVersion1, version: 1)
        #expect(try legacy.jsonBytes() == current.jsonBytes())
        #expect(try legacyV3.jsonBytes() == current.jsonBytes())
    }

    @Test("a legacy handler registers with today's processor, and its publish sends today's envelope")
    func legacyHandlerAndPublisher() async throws {
        struct Handler: LegacyV2PaymentCompletedHandler {
            func handle(_ event: LegacyV2PaymentCompleted, context: EventContext) async throws {}
        }
        let registration = Handler().registration
        #expect(registration.eventType == "PaymentCompleted" && registration.topic == PaymentCompleted.topic)
        let sink = Sink()
        let publisher = EventPublisher(sink: sink, source: "/legacy")
        try await publisher.publish(try LegacyV2PaymentCompleted.decode(json: Self.payment.jsonBytes(), version: 3))
        let record = try #require(sink.records.withLock { $0.first })
        #expect(record.topic == PaymentCompleted.topic && record.header(CloudEventHeader.type) == "PaymentCompleted")
        #expect(try PaymentCompleted.decode(json: record.value, version: 3) == Self.payment)
    }

    final class Sink: EventSink {
        let records = Mutex<[OutgoingRecord]>([])
        func send(_ record: OutgoingRecord) async throws { records.withLock { $0.append(record) } }
    }
}
