import EventBroker
@testable import EventProcessing
import EventTestSupport
import Testing

@Suite("Event context")
struct EventContextTests {
    private let headers = [
        RecordHeader(CloudEventHeader.type, "OrderApproved"),
        RecordHeader(CloudEventHeader.id, "0190f5a1-7b7c-7d3e-8f00-0123456789ab"),
        RecordHeader(CloudEventHeader.time, "2023-11-14T22:13:20.25Z"),
    ]

    /// A context as the processor makes it: id and time as positions in `headers`, key as bytes.
    private func lazyContext(idHeader: Int? = 1, timeHeader: Int? = 2, key: [UInt8]? = Array("order-17".utf8)) -> EventContext {
        EventContext(
            eventIdHeader: idHeader, fallbackId: "orders-3-42", eventType: "OrderApproved", version: 1, occurredAtHeader: timeHeader,
            keyBytes: key, topic: "orders", partition: 3, offset: 42, attempt: 1, headers: headers)
    }

    @Test("id, time and key are read from the record's bytes; the fallback id when there is no ce_id, nil time without ce_time")
    func attributesComeFromTheRecord() {
        let context = lazyContext()
        #expect(context.eventId == "0190f5a1-7b7c-7d3e-8f00-0123456789ab")
        #expect(context.occurredAt == Timestamp(secondsSince1970: 1_700_000_000, nanoseconds: 250_000_000))
        #expect(context.key == "order-17")
        let bare = lazyContext(idHeader: nil, timeHeader: nil, key: nil)
        #expect(bare.eventId == "orders-3-42")
        #expect(bare.occurredAt == nil)
        #expect(bare.key == nil)
    }

    @Test("a time header that is not RFC 3339 reads as nil")
    func badTimeIsNil() {
        var context = lazyContext()
        context.headers[2].value = Array("yesterday".utf8)
        #expect(context.occurredAt == Timestamp(secondsSince1970: 1_700_000_000, nanoseconds: 250_000_000), "read before the change")
        let made = EventContext(
            eventIdHeader: 1, fallbackId: "", eventType: "OrderApproved", version: 1, occurredAtHeader: 2, keyBytes: nil,
            topic: "orders", partition: 0, offset: 0, attempt: 1, headers: context.headers)
        #expect(made.occurredAt == nil)
    }

    @Test("changing the headers keeps the id and time the context had; setting an attribute replaces it")
    func settersAndHeaderChanges() {
        var context = lazyContext()
        context.headers = []
        #expect(context.eventId == "0190f5a1-7b7c-7d3e-8f00-0123456789ab")
        #expect(context.occurredAt == Timestamp(secondsSince1970: 1_700_000_000, nanoseconds: 250_000_000))
        context.headers.append(RecordHeader("x-trace", "t"))
        #expect(context.eventId == "0190f5a1-7b7c-7d3e-8f00-0123456789ab")

        var edited = lazyContext()
        edited.eventId = "replayed-1"
        edited.key = nil
        edited.occurredAt = nil
        #expect(edited.eventId == "replayed-1")
        #expect(edited.key == nil)
        #expect(edited.occurredAt == nil)
        edited.key = "k2"
        #expect(edited.key == "k2")
    }

    @Test("the public initializer keeps what it is given")
    func publicInitializer() {
        let context = EventContext(
            eventId: "e1", eventType: "T", version: 2, occurredAt: Timestamp(secondsSince1970: 5), key: nil, topic: "t",
            partition: 1, offset: 9, attempt: 3, headers: headers)
        #expect(context.eventId == "e1")
        #expect(context.occurredAt == Timestamp(secondsSince1970: 5))
        #expect(context.key == nil)
        #expect((context.version, context.partition, context.offset, context.attempt) == (2, 1, 9, 3))
    }
}
