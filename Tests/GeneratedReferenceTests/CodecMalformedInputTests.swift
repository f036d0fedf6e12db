import EventCore
import Foundation
import Testing

@Suite("Generated codec: malformed input")
struct CodecMalformedInputTests {
    static let valid = #"{"sensorId":"t","celsius":1.5,"humidity":null}"#

    @Test("each malformed input is a typed error with its path", arguments: [
        ("", EventDecodingError.Kind.truncated, ""),
        (#"{"sensorId":"t","celsius":1.5"#, .truncated, ""),
        (#"{"sensorId":"t"}"#, .missingField, "celsius"),
        (#"{"sensorId":5,"celsius":1}"#, .wrongType, "sensorId"),
        (#"{"sensorId":"t","celsius":"hot"}"#, .wrongType, "celsius"),
        (#"{"sensorId":"t","celsius":1e999}"#, .numberOutOfRange, "celsius"),
        (#"{"sensorId":"t","celsius":NaN}"#, .wrongType, "celsius"),
        (#"{"sensorId":"t","celsius":01}"#, .invalidJSON, ""),
        (#"{"sensorId":"t","celsius":1,}"#, .invalidJSON, ""),
        (#"{"sensorId":"t\u{0}","celsius":1}"#, .invalidJSON, "sensorId"),
        (#"{"sensorId":"\ud800","celsius":1}"#, .invalidUTF8, "sensorId"),
        (#"[1,2]"#, .wrongType, ""),
        (#"{"sensorId":"t","celsius":1} trailing"#, .invalidJSON, ""),
        // Where the in-order path gives up, the name-by-name path must still refuse bad syntax.
        (#"{"x":1"sensorId":"t","celsius":1}"#, .invalidJSON, ""),
        (#"{"sensorId":"t""celsius":1}"#, .invalidJSON, ""),
        (#"{,"sensorId":"t","celsius":1}"#, .invalidJSON, ""),
        (#"{"sensorId":"t","celsius":1,"humidity":null,}"#, .invalidJSON, ""),
        (#"{"sensorId":"t","celsius":1"#, .truncated, ""),
        (#"{"sensorId":"t","celsius""#, .truncated, ""),
    ])
    func typedErrors(json: String, kind: EventDecodingError.Kind, path: String) {
        do {
            _ = try Reading.decode(json: Array(json.utf8), version: 2)
            Issue.record("\(json) decoded")
        } catch {
            #expect(error.kind == kind, "\(json): \(error)")
            #expect(error.path == path, "\(json): \(error)")
        }
    }

    @Test("any key order, whitespace and unknown keys decode as the compact in-order form does", arguments: [
        #"{"sensorId":"t","celsius":1.5,"humidity":null}"#,
        #"{"celsius":1.5,"sensorId":"t"}"#,
        #"{ "sensorId" : "t" , "celsius" : 1.5 }"#,
        #"{"unknown":[1,{"a":"b"}],"sensorId":"t","celsius":1.5}"#,
        #"{"sensorId":"t","extra":true,"celsius":1.5,"humidity":null}"#,
        #"{"sensorId":"t","celsius":1.5,"humidity":null,"later":"x"}"#,
        #"{"sensorId":"t","celsius":1.5,"humidity":null,"sensorId":"t"}"#,
    ])
    func anyOrder(json: String) throws {
        let expected = try Reading.decode(json: Array(Self.valid.utf8), version: 2)
        #expect(try Reading.decode(json: Array(json.utf8), version: 2) == expected, "\(json)")
    }

    @Test("numbers out of a field's range, bad UUIDs and timestamps, unknown symbols", arguments: [
        (#""small":2147483648"#, EventDecodingError.Kind.numberOutOfRange, "small"),
        (#""big":9223372036854775808"#, .numberOutOfRange, "big"),
        (#""small":1.5"#, .wrongType, "small"),
        (#""ratio":1e39"#, .numberOutOfRange, "ratio"),
        (#""id":"not-a-uuid""#, .invalidFormat, "id"),
        (#""at":"2024-13-01T00:00:00Z""#, .invalidFormat, "at"),
        (#""day":"2023-02-29""#, .invalidFormat, "day"),
        (#""blob":"***""#, .invalidFormat, "blob"),
        (#""amount":"12,5""#, .invalidFormat, "amount"),
        // Formats read straight from the input (no scan for the closing quote first): a valid
        // start followed by more text, or cut short, is still refused.
        (#""at":"2024-01-01T00:00:00Zx""#, .invalidFormat, "at"),
        (#""at":"2024-01-01T00:00:00+09:00:00""#, .invalidFormat, "at"),
        (#""at":"2024-01-01T00:00:00""#, .invalidFormat, "at"),
        (#""at":"2024-01-01T00:00:00.""#, .invalidFormat, "at"),
        (#""id":"123e4567-e89b-12d3-a456-4266141740001""#, .invalidFormat, "id"),
        (#""id":"123e4567-e89b-12d3-a456-42661417400""#, .invalidFormat, "id"),
        (#""amount":"1.5x""#, .invalidFormat, "amount"),
        (#""amount":"1e""#, .invalidFormat, "amount"),
        (#""amount":"01""#, .invalidFormat, "amount"),
        (#""amount":"""#, .invalidFormat, "amount"),
        (#""strict":"maybe""#, .unknownSymbol, "strict"),
        (#""point":{"x":"far"}"#, .wrongType, "point.x"),
        (#""point":{}"#, .missingField, "point.x"),
        (#""lookup":{"k":{"x":true}}"#, .wrongType, "lookup.k.x"),
        (#""nested":[[],["a",5]]"#, .wrongType, "nested[1][1]"),
    ])
    func fieldErrors(replacement: String, kind: EventDecodingError.Kind, path: String) throws {
        let valid = String(decoding: try CodecRoundTripTests.sample().jsonBytes(), as: UTF8.self)
        let key = String(replacement.prefix { $0 != ":" })
        // Put the bad value first; JSON objects are unordered and later duplicates are not reached.
        let json = "{" + replacement + "," + valid.dropFirst()
        do {
            _ = try Everything.decode(json: Array(json.utf8), version: 1)
            Issue.record("decoded with \(key)")
        } catch {
            #expect(error.kind == kind, "\(replacement): \(error)")
            #expect(error.path == path, "\(replacement): \(error)")
        }
    }

    @Test("UUIDs, timestamps and decimals with escaped characters decode as their plain forms do")
    func escapedFormats() throws {
        let event = CodecRoundTripTests.sample()
        let plain = String(decoding: try event.jsonBytes(), as: UTF8.self)
        // The first character of each value written as a \u escape: the general path (escapes
        // decoded, then parsed) must agree with the direct one.
        for key in ["id", "at", "amount"] {
            let marker = "\"\(key)\":\""
            let range = try #require(plain.range(of: marker))
            let first = plain[range.upperBound]
            let escaped = String(format: "\\u%04x", first.unicodeScalars.first?.value ?? 0)
            let json = plain[..<range.upperBound] + escaped + plain[plain.index(after: range.upperBound)...]
            #expect(try Everything.decode(json: Array(json.utf8), version: Everything.currentVersion) == event, "\(json)")
        }
    }

    @Test("a timestamp, UUID or decimal cut off by the end of the input is truncated, not read past it", arguments: [
        #"{"id":"e621e1f8-c36c-495a-93fc-0c247a3e6e5f"#, #"{"id":"e621e1f8-c36c-495a-93fc-0c24"#,
        #"{"at":"2024-01-01T00:00:00Z"#, #"{"at":"2024-01-01T00:00:00.123"#, #"{"amount":"12.5"#,
    ])
    func cutOffFormats(json: String) {
        do {
            _ = try Everything.decode(json: Array(json.utf8), version: 1)
            Issue.record("\(json) decoded")
        } catch {
            #expect(error.kind == .truncated, "\(json): \(error)")
        }
    }

    @Test("invalid UTF-8 is a typed error")
    func invalidUTF8() {
        var bytes = Array(#"{"sensorId":"tX","celsius":1}"#.utf8)
        bytes[14] = 0xFF
        #expect(throws: EventDecodingError.self) { try Reading.decode(json: bytes, version: 2) }
    }

    @Test("invalid UTF-8 in a member the decoder skips is refused too, key or value, at any depth")
    func invalidUTF8InSkippedMembers() {
        // The byte 0xFF goes between each pair: a string value, a key, an array's string, a
        // nested object's string and key.
        let cases = [(#""x":""#, #"""#), (#"""#, #"":1"#), (#""x":[""#, #""]"#), (#""x":{"y":[""#, #""]}"#), (#""x":{""#, #"":1}"#)]
        for (prefix, suffix) in cases {
            let raw = Array(#"{"sensorId":"t","celsius":1,"#.utf8) + Array(prefix.utf8) + [0xFF] + Array(suffix.utf8) + Array("}".utf8)
            do {
                _ = try Reading.decode(json: raw, version: 2)
                Issue.record("\(String(decoding: raw, as: UTF8.self)) decoded")
            } catch {
                #expect(error.kind == .invalidUTF8, "\(String(decoding: raw, as: UTF8.self)): \(error)")
            }
        }
    }

    @Test("deeply nested unknown values are refused, not recursed into forever")
    func deepUnknownValues() {
        let json = #"{"sensorId":"t","celsius":1,"x":"# + String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000) + "}"
        #expect(throws: EventDecodingError.self) { try Reading.decode(json: Array(json.utf8), version: 2) }
    }

    @Test("thousands of mutated encodings: never a crash, always an event or a typed error")
    func mutationsNeverCrash() throws {
        let seed = ProcessInfo.processInfo.environment["EVENTC_CODEC_SEED"].flatMap(UInt64.init) ?? UInt64.random(in: 0...UInt64.max)
        print("CodecMalformedInputTests seed: \(seed) (rerun with EVENTC_CODEC_SEED=\(seed))")
        var random = SplitMix64(seed: seed)
        let originals = [
            try CodecRoundTripTests.sample(lookup: ["k": .init(x: 1, label: "é")]).jsonBytes(),
            try Shipment(shipmentId: "s", weightGrams: 1, carrier: .post, destination: .init(city: "c"), tags: ["x"]).jsonBytes(),
        ]
        let alphabet = Array(#"{}[]:,"\0123456789.eE+-tfnul "#.utf8) + [0xFF, 0xC3, 0x80]
        var decoded = 0
        var failed = 0
        for round in 0..<5_000 {
            var bytes = originals[round % 2]
            for _ in 0..<Int.random(in: 1...3, using: &random) where !bytes.isEmpty {
                let index = Int.random(in: 0..<bytes.count, using: &random)
                switch Int.random(in: 0..<4, using: &random) {
                case 0: bytes[index] = alphabet.randomElement(using: &random) ?? 0
                case 1: bytes.remove(at: index)
                case 2: bytes.insert(alphabet.randomElement(using: &random) ?? 0, at: index)
                default: bytes.removeLast(bytes.count - index)
                }
            }
            do {
                if round % 2 == 0 {
                    _ = try Everything.decode(json: bytes, version: 1)
                } else {
                    _ = try Shipment.decode(json: bytes, version: Int.random(in: 1...4, using: &random))
                }
                decoded += 1
            } catch {
                failed += 1
                #expect(error.offset >= 0 && error.offset <= bytes.count, "seed \(seed): \(error)")
            }
        }
        print("CodecMalformedInputTests: 5000 mutants, \(decoded) decoded, \(failed) typed errors")
        #expect(failed > 0)
    }
}
