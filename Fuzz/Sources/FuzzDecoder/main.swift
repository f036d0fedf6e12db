import EventCore

/// Every generated decoder of this repository's contracts on arbitrary bytes, JSON and Avro. The
/// first byte picks the event type (low four bits), the version to read as (bits 4 to 6: 0,
/// refused, up to one newer than any) and the format (bit 7: Avro binary written with that
/// version's schema); the rest is the payload. What decodes must encode, and read back as the
/// same event: a decoder that accepts what its encoder cannot write, or reads it back
/// differently, is a finding too. Hostile Avro lengths and counts must be errors, never a crash
/// or an allocation the input cannot account for (the sanitizers and libFuzzer's -rss_limit_mb
/// watch for both).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDecoder(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    guard count > 0 else { return 0 }
    let bytes = UnsafeRawBufferPointer(start: start, count: count)
    let payload = Array(bytes.dropFirst())
    let version = Int((bytes[0] >> 4) & 7) % 6
    let avro = bytes[0] & 0x80 != 0
    switch Int(bytes[0] & 0x0F) % 7 {
    case 0: roundTrip(DeliveryStarted.self, payload, version: version, avro: avro)
    case 1: roundTrip(OrderApproved.self, payload, version: version, avro: avro)
    case 2: roundTrip(OrderCancelled.self, payload, version: version, avro: avro)
    case 3: roundTrip(OrderCreated.self, payload, version: version, avro: avro)
    case 4: roundTrip(PaymentCompleted.self, payload, version: version, avro: avro)
    case 5: roundTrip(ProductLiked.self, payload, version: version, avro: avro)
    default: roundTrip(ProductUnliked.self, payload, version: version, avro: avro)
    }
    return 0
}

func roundTrip<Event: EventContract>(_: Event.Type, _ payload: [UInt8], version: Int, avro: Bool) {
    if avro {
        avroRoundTrip(Event.self, payload, version: version)
        return
    }
    guard let event = try? Event.decode(json: payload, version: version) else { return }
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

/// Avro compared by bytes: a float may hold a NaN, which is no value equal to itself.
func avroRoundTrip<Event: EventContract>(_: Event.Type, _ payload: [UInt8], version: Int) {
    guard let event = try? Event.decode(avro: payload, version: version) else { return }
    do {
        let encoded = try event.avroBytes()
        let again = try Event.decode(avro: encoded, version: Event.currentVersion)
        let reencoded = try again.avroBytes()
        guard reencoded == encoded else { fatalError("\(Event.self) reads back differently: \(encoded) then \(reencoded)") }
    } catch {
        fatalError("\(Event.self) decoded from Avro at version \(version) but does not round-trip: \(error)")
    }
}
