@testable import EventCore
import Foundation
import Testing

@Suite("AvroWriter and AvroReader")
struct AvroCodingTests {
    static let uuidText = "0f4a2c4e-9a1b-4d2c-8e3f-112233445566"

    @Test("a record of every contract type reads back equal, in Avro and in JSON, through the same generated-style code")
    func roundTrip() throws {
        let example = SampleRecord.example
        #expect(try SampleRecord.read(avro: example.avro()) == example)
        var writer = JSONWriter()
        try writer.record(example)
        let plan = try SampleRecord.schemas.plan(forVersion: 1)
        let json = writer.bytes
        let back = try JSONReader.withReader(json) { (reader) throws(EventDecodingError) -> SampleRecord in
            reader.node = plan.root
            return try SampleRecord(from: &reader)
        }
        #expect(back == example)
        #expect(String(decoding: json, as: UTF8.self).hasPrefix(#"{"id":"s-1","count":-7,"big":-9223372036854775808,"ratio":0.5,"#))
    }

    @Test("the bytes are Avro's binary encoding: zig-zag varints, length-prefixed strings, blocks, union branches, symbols")
    func knownBytes() throws {
        var writer = AvroWriter()
        try writer.record(SampleRecord.Inner(x: 64, y: "hi"))
        #expect(writer.bytes == [0x80, 0x01, 0x04, 0x68, 0x69])
        for (value, bytes) in [(0, [0x00]), (-1, [0x01]), (1, [0x02]), (-64, [0x7F]), (64, [0x80, 0x01]), (Int64.max, [0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]), (Int64.min, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01])] as [(Int64, [UInt8])] {
            var writer = AvroWriter()
            writer.long(value)
            #expect(writer.bytes == bytes, "\(value)")
            #expect(zigzag(value) == bytes)
        }
        let sample = SampleRecord(
            id: "a", key: UUID(uuidString: Self.uuidText)!, at: Timestamp(secondsSince1970: 1), inner: .init(x: 1),
            tags: ["x"], attrs: ["k": [nil, 2]], note: nil, label: "v")
        let bytes = try sample.avro()
        let expected: [UInt8] = avroString("a") + zigzag(0) + zigzag(0) + [0, 0, 0, 0] + [0, 0, 0, 0, 0, 0, 0, 0] + [0] + zigzag(0)
            + [0x02, 0x00]  // decimal 0: one byte
            + avroString(Self.uuidText) + zigzag(1_000_000_000) + zigzag(0) + zigzag(0) + zigzag(1) + avroString("none")
            + zigzag(1) + avroString("x") + [0]  // tags: one block of one, then the end
            + zigzag(1) + avroString("k") + zigzag(2) + [0x00] + [0x02] + zigzag(2) + [0] + [0]  // attrs
            + [0x00]  // note: null is branch 0
            + [0x00] + avroString("v")  // label: the value is branch 0, null branch 1
        #expect(bytes == expected)
    }

    @Test("an optional field whose default is a value writes its branches in the schema's order")
    func valueFirstUnion() throws {
        var sample = SampleRecord.example
        sample.label = nil
        #expect(try sample.avro().last == 0x02)
        #expect(try SampleRecord.read(avro: sample.avro()).label == nil)
        sample.label = "x"
        #expect(try SampleRecord.read(avro: sample.avro()).label == "x")
    }

    @Test("values the mapping cannot carry are refused with the field's path, never rounded")
    func unrepresentable() throws {
        var sample = SampleRecord.example
        sample.amount = "0.0000000000000000001"
        #expect(throws: EventEncodingError(path: "amount", "0.0000000000000000001 does not fit Avro's decimal(38, 18): at most 20 integer and 18 fraction digits")) {
            try sample.avro()
        }
        sample = SampleRecord.example
        sample.at = Timestamp(secondsSince1970: 9_300_000_000)
        do {
            _ = try sample.avro()
            Issue.record("a timestamp past 2262 was written")
        } catch let error as EventEncodingError {
            #expect(error.path == "at" && error.message.contains("timestamp-nanos"))
        }
        sample = SampleRecord.example
        sample.inner.y = "ok"
        sample.ratio = .nan
        // Avro carries NaN (JSON does not).
        #expect(try SampleRecord.read(avro: sample.avro()).ratio.isNaN)
        var json = JSONWriter()
        #expect(throws: EventEncodingError.self) { try json.record(sample) }
    }

    @Test("truncated input, hostile lengths and counts, bad branches and symbols are typed errors, never a crash or a huge allocation")
    func hostileInput() throws {
        let good = try SampleRecord.example.avro()
        for end in 0..<good.count {
            #expect(throws: EventDecodingError.self, "cut at \(end)") { try SampleRecord.read(avro: Array(good[..<end])) }
        }
        #expect(throws: EventDecodingError.self) { try SampleRecord.read(avro: good + [0]) }
        func expectError(_ bytes: [UInt8], _ kind: EventDecodingError.Kind, path: String, _ comment: Comment) {
            do {
                _ = try SampleRecord.read(avro: bytes)
                Issue.record("decoded: \(comment)")
            } catch let error as EventDecodingError {
                #expect(error.kind == kind && error.path == path, "\(comment): \(error)")
            } catch {
                Issue.record("\(error)")
            }
        }
        expectError(zigzag(-1) + [0x61], .invalidFormat, path: "id", "a negative string length")
        expectError(zigzag(Int64.max), .truncated, path: "id", "a length past the input")
        expectError([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F], .numberOutOfRange, path: "id", "a varint of more than 64 bits")
        let prefix = avroString("a") + zigzag(0) + zigzag(0) + [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0] + [0] + zigzag(0) + [0x02, 0x00]
            + avroString(Self.uuidText) + zigzag(1) + zigzag(0)
        expectError(prefix + zigzag(3), .invalidFormat, path: "kind", "a symbol past the writer's")
        expectError(prefix + zigzag(0) + zigzag(1) + avroString("y") + zigzag(Int64.max / 2), .invalidFormat, path: "tags", "a block count no input can hold")
        expectError(prefix + zigzag(0) + zigzag(1) + avroString("y") + zigzag(-2) + zigzag(-5), .invalidFormat, path: "tags", "a negative block size")
        let beforeNote = prefix + zigzag(0) + zigzag(1) + avroString("y") + [0] + [0]
        expectError(beforeNote + zigzag(2), .invalidFormat, path: "note", "union branch 2 of 2")
        expectError(beforeNote + zigzag(-1), .invalidFormat, path: "note", "a negative union branch")
        var badBool = try SampleRecord(id: "b", key: UUID(), at: Timestamp(secondsSince1970: 0), inner: .init(x: 0)).avro()
        badBool[1 + 1 + 1 + 1 + 4 + 8] = 2
        expectError(badBool, .invalidFormat, path: "flag", "a boolean byte of 2")
        let beforeKey = avroString("a") + zigzag(0) + zigzag(0) + [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0] + [0] + zigzag(0) + [0x02, 0x00]
        expectError(beforeKey + avroString("not-a-uuid"), .invalidFormat, path: "key", "a uuid that is not one")
    }

    @Test("a decimal with more digits than the writer's precision is refused; the largest that fits is read exactly")
    func decimalPrecision() throws {
        // Up to `amount`, then the rest of a valid record (key onwards) from an encoded one.
        let beforeAmount = avroString("a") + zigzag(0) + zigzag(0) + [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0] + [0] + zigzag(0)
        let valid = try SampleRecord(id: "a", key: UUID(), at: Timestamp(secondsSince1970: 0), inner: .init(x: 0)).avro()
        let rest = Array(valid[(beforeAmount.count + 2)...])  // the default amount "0" is one byte
        func record(unscaled bytes: [UInt8]) -> [UInt8] { beforeAmount + zigzag(Int64(bytes.count)) + bytes + rest }
        // 10^38 - 1 and -(10^38 - 1): 38 digits, decimal(38, 18)'s largest magnitude.
        let largest: [UInt8] = [75, 59, 76, 168, 90, 134, 196, 122, 9, 138, 34, 63, 255, 255, 255, 255]
        let smallest: [UInt8] = [180, 196, 179, 87, 165, 121, 59, 133, 246, 117, 221, 192, 0, 0, 0, 1]
        #expect(try SampleRecord.read(avro: record(unscaled: largest)).amount.text == "99999999999999999999.999999999999999999")
        #expect(try SampleRecord.read(avro: record(unscaled: smallest)).amount.text == "-99999999999999999999.999999999999999999")
        // 10^38 and -(10^38): 39 digits.
        for bytes: [UInt8] in [[75, 59, 76, 168, 90, 134, 196, 122, 9, 138, 34, 64, 0, 0, 0, 0], [180, 196, 179, 87, 165, 121, 59, 133, 246, 117, 221, 192, 0, 0, 0, 0]] {
            do {
                _ = try SampleRecord.read(avro: record(unscaled: bytes))
                Issue.record("a 39-digit decimal decoded")
            } catch let error as EventDecodingError {
                #expect(error.kind == .numberOutOfRange && error.path == "amount", "\(error)")
                #expect(error.message.contains("does not fit the writer's decimal(38, 18)"), "\(error)")
            } catch {
                Issue.record("\(error)")
            }
        }
    }

    @Test("the byte-count shortcut never says a value fits that may not: checked against 2^(8n-1)'s digits, exactly")
    func decimalByteCountShortcut() {
        // The decimal digits of 2^k, least significant first, by doubling: no floating point.
        var digits: [UInt8] = [1]
        var digitsOfPowerOfTwo = [digits.count]  // index k: the digit count of 2^k
        for _ in 1...(8 * 64) {
            var carry: UInt8 = 0
            for i in digits.indices {
                let doubled = digits[i] * 2 + carry
                digits[i] = doubled % 10
                carry = doubled / 10
            }
            if carry > 0 { digits.append(carry) }
            digitsOfPowerOfTwo.append(digits.count)
        }
        var shortcuts = 0
        for byteCount in 1...64 {
            for precision in 1...80 where AvroDecimal.fitsAnyValue(byteCount: byteCount, precision: precision) {
                // The largest magnitude of byteCount bytes is 2^(8n-1) (the most negative value).
                #expect(digitsOfPowerOfTwo[8 * byteCount - 1] <= precision, "\(byteCount) bytes, precision \(precision)")
                shortcuts += 1
            }
        }
        #expect(AvroDecimal.fitsAnyValue(byteCount: 15, precision: 38), "decimal(38, 18)'s common sizes take the shortcut")
        #expect(!AvroDecimal.fitsAnyValue(byteCount: 16, precision: 38), "16 bytes can pass 38 digits: the text is checked")
        #expect(shortcuts > 1_000)
    }

    @Test("bytes that are not UTF-8 are refused where a string is read")
    func invalidUTF8() throws {
        let bytes = zigzag(2) + [0xC3, 0x28] + Array(try SampleRecord.example.avro().dropFirst(4))
        do {
            _ = try SampleRecord.read(avro: bytes)
            Issue.record("invalid UTF-8 decoded")
        } catch let error as EventDecodingError {
            #expect(error.kind == .invalidUTF8 && error.path == "id")
        }
    }

    @Test("Confluent's frame: magic byte 0 and a big-endian id, refused when short or with another magic byte")
    func confluentFrame() throws {
        let frame: [UInt8] = [0, 0x12, 0x34, 0x56, 0x78, 0xAA]
        let (id, body) = try frame.withUnsafeBytes { try ConfluentFrame.parse($0) }
        #expect(id == 0x1234_5678 && body.count == 1 && body.first == 0xAA)
        #expect(throws: EventDecodingError.self) { try ([0, 1, 2] as [UInt8]).withUnsafeBytes { try ConfluentFrame.parse($0) } }
        #expect(throws: EventDecodingError.self) { try ([1, 0, 0, 0, 1] as [UInt8]).withUnsafeBytes { try ConfluentFrame.parse($0) } }
    }

    @Test("content types name encodings, with parameters and case ignored")
    func contentTypes() {
        #expect(EventEncoding(contentType: "application/json") == .json)
        #expect(EventEncoding(contentType: "Application/JSON; charset=utf-8") == .json)
        #expect(EventEncoding(contentType: "application/avro") == .avro)
        #expect(EventEncoding(contentType: "avro/binary") == .avro)
        #expect(EventEncoding(contentType: "application/protobuf") == nil)
        #expect(EventEncoding.allCases.allSatisfy { EventEncoding(contentType: $0.contentType) == $0 })
    }
}
