import EventCore

/// Every generated decoder of this repository's contracts on arbitrary bytes. The first byte
/// picks the event type and the version to read as (0, refused, up to one newer than any); the
/// rest is the JSON. What decodes must encode, and read back as the same event: a decoder that
/// accepts what its encoder cannot write, or reads it back differently, is a finding too.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDecoder(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    guard count > 0 else { return 0 }
    let bytes = UnsafeRawBufferPointer(start: start, count: count)
    let json = Array(bytes.dropFirst())
    let version = Int(bytes[0] >> 4) % 6
    switch Int(bytes[0] & 0x0F) % 7 {
    case 0: roundTrip(DeliveryStarted.self, json, version: version)
    case 1: roundTrip(OrderApproved.self, json, version: version)
    case 2: roundTrip(OrderCancelled.self, json, version: version)
    case 3: roundTrip(OrderCreated.self, json, version: version)
    case 4: roundTrip(PaymentCompleted.self, json, version: version)
    case 5: roundTrip(ProductLiked.self, json, version: version)
    default: roundTrip(ProductUnliked.self, json, version: version)
    }
    return 0
}

func roundTrip<Event: EventContract>(_: Event.Type, _ json: [UInt8], version: Int) {
    guard let event = try? Event.decode(json: json, version: version) else { return }
    let encoded: [UInt8]
    do {
        encoded = try event.jsonBytes()
    } catch {
        fatalError("\(Event.self) decoded at version \(version) but does not encode: \(error)")
    }
    do {
        let again = try Event.decode(json: encoded, version: Event.currentVersion)
        guard again == event else { fatalError("\(Event.self) reads back differently: \(event) then \(again)") }
    } catch {
        fatalError("\(Event.self) does not read what it wrote (\(String(decoding: encoded, as: UTF8.self))): \(error)")
    }
}
