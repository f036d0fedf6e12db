import EventCore
import Foundation
import Testing

@Suite("Generated codec: round trips")
struct CodecRoundTripTests {
    static func sample(
        text: String = "plain", small: Int32 = 7, big: Int64 = 42, ratio: Float = 0.5, precise: Double = 0.25,
        blob: [UInt8] = [1, 2, 3], lookup: [String: Everything.Point] = [:]
    ) -> Everything {
        Everything(
            id: UUID(uuidString: "E621E1F8-C36C-495A-93FC-0C247A3E6E5F") ?? UUID(), flag: true, small: small, big: big,
            ratio: ratio, precise: precise, text: text, blob: blob, amount: "12.3400",
            at: Timestamp(secondsSince1970: 1_700_000_000, nanoseconds: 123_456_789),
            day: LocalDate(uncheckedYear: 2024, month: 2, day: 29), level: .high, strict: .off,
            point: Everything.Point(x: -1.5, y: 2, label: nil), maybe: nil, list: [Int32.min, 0, Int32.max],
            nested: [[], ["a", nil, "b"]], lookup: lookup, optionalList: nil)
    }

    private func roundTrip(_ event: Everything) throws -> Everything {
        let bytes = try event.jsonBytes()
        #expect((try? JSONSerialization.jsonObject(with: Data(bytes))) != nil, "not valid JSON: \(String(decoding: bytes, as: UTF8.self))")
        return try Everything.decode(json: bytes, version: Everything.currentVersion)
    }

    @Test("every type survives encode → decode, defaults included")
    func everyType() throws {
        let event = Self.sample(lookup: ["k": Everything.Point(x: 1, y: 2, label: "p")])
        #expect(try roundTrip(event) == event)
        #expect(event.withDefaults == ["a": [.high, .low]])
        #expect(event.when == Timestamp(secondsSince1970: 1_709_218_799, nanoseconds: 500_000_000))
        #expect(event.price.text == "19.90")
        #expect(event.`default` == "quote \" backslash \\ interpolation \\(x) newline\n end")
    }

    @Test("an optional whose default is a value: null reads as nil, a missing member as the default (JSON and Avro)")
    func optionalWithValueDefault() throws {
        var event = Self.sample()
        #expect(event.nickname == "anonymous")
        event.nickname = nil
        let json = try event.jsonBytes()
        #expect(String(decoding: json, as: UTF8.self).contains(#""nickname":null"#))
        #expect(try Everything.decode(json: json, version: Everything.currentVersion).nickname == nil)
        #expect(try Everything.decode(avro: event.avroBytes(), version: Everything.currentVersion).nickname == nil)
        let withoutNickname = String(decoding: json, as: UTF8.self).replacingOccurrences(of: #","nickname":null"#, with: "")
        #expect(try Everything.decode(json: Array(withoutNickname.utf8), version: Everything.currentVersion).nickname == "anonymous")
    }

    @Test("every type survives Avro encode → decode, and JSON and Avro read the same event")
    func everyTypeInAvro() throws {
        // Avro carries a decimal's value, not its text: 12.3400 reads back as 12.34.
        var event = Self.sample(lookup: ["k": Everything.Point(x: 1, y: 2, label: "p")])
        event.amount = "12.34"
        event.price = "19.9"
        let decoded = try Everything.decode(avro: event.avroBytes(), version: Everything.currentVersion)
        #expect(decoded == event)
        #expect(try Everything.decode(json: event.jsonBytes(), version: Everything.currentVersion) == decoded)
    }

    @Test("edge values", arguments: [
        sample(text: ""), sample(text: "😀 한글 e\u{301} \u{0} \u{1F} \" \\ / \u{2028}"), sample(small: .min, big: .min),
        sample(small: .max, big: .max), sample(ratio: .greatestFiniteMagnitude, precise: .greatestFiniteMagnitude),
        sample(ratio: .leastNonzeroMagnitude, precise: .leastNonzeroMagnitude), sample(ratio: -0.0, precise: -0.0),
        sample(precise: 0.1), sample(precise: 1e300), sample(precise: 123_456_789_012_345.6), sample(blob: []),
        sample(blob: Array(0...255)), sample(lookup: ["": .init(x: 0), "ключ": .init(x: 1), "a\"b": .init(x: 2)]),
    ])
    func edgeValues(event: Everything) throws {
        let decoded = try roundTrip(event)
        #expect(decoded == event)
        #expect(decoded.precise.sign == event.precise.sign)
    }

    @Test("NaN and infinity cannot be encoded: JSON has no spelling for them", arguments: [Double.nan, .infinity, -.infinity])
    func nonFiniteNumbersThrow(value: Double) {
        var event = Self.sample()
        event.precise = value
        #expect(throws: EventEncodingError(path: "precise", "\(value) has no JSON representation")) { try event.jsonBytes() }
        event = Self.sample(lookup: ["k": .init(x: value)])
        #expect(throws: EventEncodingError.self) { try event.jsonBytes() }
        do {
            _ = try event.jsonBytes()
        } catch {
            #expect(error.path == "lookup.k.x")
        }
    }

    @Test("encoding is deterministic: map keys are sorted")
    func deterministicEncoding() throws {
        let a = Self.sample(lookup: ["b": .init(x: 1), "a": .init(x: 2), "c": .init(x: 3)])
        let text = String(decoding: try a.jsonBytes(), as: UTF8.self)
        let aIndex = try #require(text.range(of: "\"a\":{"))
        let bIndex = try #require(text.range(of: "\"b\":{"))
        #expect(aIndex.lowerBound < bIndex.lowerBound)
        #expect(try a.jsonBytes() == a.jsonBytes())
    }

    @Test("Foundation reads what we write, field for field")
    func foundationAgrees() throws {
        let event = Self.sample(text: "tab\there \"quoted\" 😀")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(try event.jsonBytes())) as? [String: Any])
        #expect(object["text"] as? String == event.text)
        #expect(object["small"] as? Int == 7)
        #expect(object["id"] as? String == "e621e1f8-c36c-495a-93fc-0c247a3e6e5f")
        #expect(object["at"] as? String == "2023-11-14T22:13:20.123456789Z")
        #expect(object["day"] as? String == "2024-02-29")
        #expect(object["amount"] as? String == "12.3400")
        #expect(object["blob"] as? String == "AQID")
        #expect(object["maybe"] is NSNull)
        #expect(object["legacy"] is NSNull)
    }

    @Test("metadata and the partition key come from the contract")
    func metadata() {
        #expect(Everything.eventType == "Everything")
        #expect(Everything.topic == "tests.everything")
        #expect(Everything.keyField == "id")
        #expect(Self.sample().partitionKey == "e621e1f8-c36c-495a-93fc-0c247a3e6e5f")
        #expect(Shipment.currentVersion == 3)
        #expect(Shipment.compatibility == .backwardTransitive)
        #expect(Shipment.delivery.deadLetterTopic == "tests.shipments.dlq")
        #expect(EventCatalog.contracts.map(\.eventType) == ["Checkout", "Everything", "Reading", "ReadingLegacy", "Shipment"])
    }
}

@Suite("Generated codec: versions")
struct CodecVersionTests {
    @Test("bytes written by version 1 decode into the latest: aliases, promotions, defaults")
    func upcastsVersionOne() throws {
        let v1 = #"{"shipmentId":"s-1","weight":1200,"carrier":"courier","destination":{"city":"Seoul"},"extra":[1,{"x":null}]}"#
        let shipment = try Shipment.decode(json: Array(v1.utf8), version: 1)
        #expect(shipment == Shipment(
            shipmentId: "s-1", weightGrams: 1200, carrier: .courier,
            destination: Shipment.Address(city: "Seoul", postalCode: "00000"), stops: [], tags: [], note: nil, priority: 0))
        #expect(shipment.partitionKey == "s-1")
    }

    @Test("bytes written by version 2 decode into the latest")
    func upcastsVersionTwo() throws {
        let v2 = #"{"shipmentId":"s-2","weightGrams":9007199254740993,"carrier":"post","destination":{"city":"Busan","postalCode":"48058"},"tags":["fragile"]}"#
        let shipment = try Shipment.decode(json: Array(v2.utf8), version: 2)
        #expect(shipment.weightGrams == 9_007_199_254_740_993, "longs keep every digit")
        #expect(shipment.destination.postalCode == "48058")
        #expect(shipment.tags == ["fragile"])
        #expect(shipment.priority == 0)
    }

    @Test("what the latest writes, an older reader reads when the contract is FORWARD compatible")
    func forwardCompatibility() throws {
        let latest = Reading(sensorId: "t-9", celsius: 21.5, humidity: 0.4)
        let bytes = try latest.jsonBytes()
        let legacy = try ReadingLegacy.decode(json: bytes, version: Reading.currentVersion)
        #expect(legacy == ReadingLegacy(sensorId: "t-9", celsius: 21.5, unit: "C"))
    }

    @Test("a version newer than the code is read with the current shape")
    func newerVersionUsesCurrentShape() throws {
        let future = #"{"shipmentId":"s-3","weightGrams":1,"carrier":"hovercraft","destination":{"city":"Jeju","planet":"Earth"},"teleport":true}"#
        let shipment = try Shipment.decode(json: Array(future.utf8), version: 7)
        #expect(shipment.carrier == .post, "an unknown symbol reads as the enum's default")
        #expect(shipment.destination.city == "Jeju")
    }

    @Test("the same event round-trips through every version that can carry it")
    func everyVersionRoundTrips() throws {
        let event = Shipment(shipmentId: "s", weightGrams: 5, carrier: .drone, destination: .init(city: "c"), note: "n")
        #expect(try Shipment.decode(json: try event.jsonBytes(), version: 3) == event)
    }

    @Test("an `encoding: avro` contract's own Avro codec round-trips, and agrees with its JSON")
    func avroContractRoundTrips() throws {
        // Shipment says `encoding: avro`, so its generated type implements the Avro requirements
        // itself (specialised); Everything's Avro goes through the runtime's generic defaults.
        let event = Shipment(shipmentId: "s-4", weightGrams: 1_250, carrier: .courier,
                             destination: .init(city: "Daegu", postalCode: "41911"), stops: [.init(city: "Ulsan")],
                             tags: ["cold", "fragile"], note: nil, priority: -3)
        let avro = try event.avroBytes()
        #expect(try Shipment.decode(avro: avro, version: Shipment.currentVersion) == event)
        #expect(try Shipment.decode(json: try event.jsonBytes(), version: Shipment.currentVersion) == event)
        #expect(avro.count < (try event.jsonBytes()).count, "Avro carries no field names")
    }
}
