@testable import EventCore
import Foundation
import Testing

@Suite("JSONWriter and JSONReader")
struct JSONCodingTests {
    private func written(_ body: (inout JSONWriter) throws -> Void) rethrows -> String {
        var writer = JSONWriter()
        try body(&writer)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    private func read<T>(_ json: String, _ body: (inout JSONReader) throws -> T) throws -> T {
        try JSONReader.withReader(Array(json.utf8)) { (reader) throws(any Error) -> T in try body(&reader) }
    }

    @Test("strings escape quotes, backslashes and every control character, and keep Unicode as UTF-8")
    func stringEscaping() throws {
        let text = "a\"b\\c\n\r\t\u{0}\u{8}\u{C}\u{1F}é😀\u{2028}"
        let json = written { $0.string(text) }
        #expect(json == #""a\"b\\c\n\r\t\u0000\b\f\u001fé😀"# + "\u{2028}\"")
        let decoded = try JSONSerialization.jsonObject(with: Data("[\(json)]".utf8)) as? [String]
        #expect(decoded == [text])
        #expect(try read(json) { try $0.readString(path: "") } == text)
    }

    @Test("every length from 0 to 40 with a character to escape at every position: the word-at-a-time scans and copies")
    func stringsOfEveryLength() throws {
        for length in 0...40 {
            let plain = String((0..<length).map { Character(Unicode.Scalar(UInt8(0x61 + $0 % 26))) })
            var texts = [plain]
            for position in 0..<length {
                for special in ["\"", "\\", "\n", "\u{1}", "é"] {
                    var characters = Array(plain)
                    characters[position] = Character(special)
                    texts.append(String(characters))
                }
            }
            for text in texts {
                let json = written { $0.string(text) }
                let decoded = try JSONSerialization.jsonObject(with: Data("[\(json)]".utf8)) as? [String]
                #expect(decoded == [text], "\(json)")
                #expect(try read(json) { try $0.readString(path: "") } == text, "\(json)")
                // With more input after it, a short string is read by the two-word path.
                #expect(try read(json + ",\"after\",1234567890") { try $0.readString(path: "") } == text, "\(json) with more")
            }
        }
    }

    @Test("short strings followed by more input: control characters, bad UTF-8 and unclosed strings are still refused")
    func shortStringsWithMoreInput() throws {
        let after = Array(#","next":"0123456789abcdef"}"#.utf8)
        for length in 0...16 {
            for position in 0..<max(length, 1) {
                for bad: UInt8 in [0x00, 0x1F, 0x80, 0xC3, 0xFF] where length > 0 {
                    var bytes = [UInt8(ascii: "\"")] + Array(repeating: UInt8(ascii: "k"), count: length) + [UInt8(ascii: "\"")] + after
                    bytes[1 + position] = bad
                    let result = try? JSONReader.withReader(bytes) { (reader) throws(EventDecodingError) -> String in
                        try reader.readString(path: "")
                    }
                    #expect(result == nil, "byte \(bad) at \(position) of \(length)")
                }
            }
        }
        // é (two bytes, valid) in a short string is read by the validating path.
        let accented = Array("\"caf\u{E9}\"".utf8) + after
        #expect(try JSONReader.withReader(accented) { (reader) throws(EventDecodingError) -> String in try reader.readString(path: "") } == "café")
    }

    @Test("integers at their limits, in both directions", arguments: [Int64.min, Int64.min + 1, -1, 0, 1, Int64.max])
    func integers(value: Int64) throws {
        let json = written { $0.int(value) }
        #expect(json == String(value))
        #expect(try read(json) { try $0.readInt64(path: "") } == value)
    }

    @Test("integers read in one pass agree with the grammar, whatever follows them")
    func integerTexts() throws {
        let texts = ["0", "7", "42", "100", "123456789012345678", "999999999999999999", "1234567890123456789",
                     "9223372036854775807", "9223372036854775808", "-1", "-0", "00", "01", "007", "1.0", "1.", "1e2", "1E2",
                     "1e", "-", "+1", "0x1", "1_0"]
        for text in texts {
            // The definition: JSON's integer grammar, -?(0|[1-9][0-9]*), within Int64.
            let integral = text.range(of: #"^-?(0|[1-9][0-9]*)$"#, options: .regularExpression) != nil
            let expected = integral ? Int64(text) : nil
            // Alone (the input ends with the number) and in arrays, followed by each separator.
            let alone = try? read(text) { reader -> Int64 in
                let value = try reader.readInt64(path: "")
                try reader.end()
                return value
            }
            #expect(alone == expected, "\(text)")
            for tail in ["]", ",5]", " ]", "\n]"] {
                let array = try? read("[" + text + tail) { reader -> [Int64] in
                    let values = try reader.readArray(path: "") { reader, _ throws(EventDecodingError) in try reader.readInt64(path: "") }
                    try reader.end()
                    return values
                }
                #expect(array == expected.map { tail == ",5]" ? [$0, 5] : [$0] }, "[\(text)\(tail)")
            }
        }
    }

    @Test("doubles print the shortest text that reads back exactly", arguments: [
        0.1, -0.0, 3.0, 1e-7, 1e21, .pi, .leastNonzeroMagnitude, .greatestFiniteMagnitude, 123456.789,
    ])
    func doubles(value: Double) throws {
        let json = try written { try $0.double(value, path: "x") }
        let back = try read(json) { try $0.readDouble(path: "") }
        #expect(back == value && back.sign == value.sign, "\(json)")
    }

    @Test("escaped strings and surrogate pairs decode; lone surrogates do not")
    func escapes() throws {
        #expect(try read(#""\u00e9\ud83d\ude00\/\b""#) { try $0.readString(path: "") } == "é😀/\u{8}")
        for bad in [#""\ud83d""#, #""\ude00""#, #""\x""#, #""\u12""#] {
            #expect(throws: EventDecodingError.self) { try read(bad) { try $0.readString(path: "s") } }
        }
    }

    @Test(
        "raw bytes that are not UTF-8 (RFC 3629) are a typed error: overlongs, surrogates, above U+10FFFF, cut sequences, stray continuations",
        arguments: [[0xC0, 0xAF], [0xE0, 0x80, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82], [0x80], [0xFF]] as [[UInt8]])
    func invalidUTF8IsRefused(bad: [UInt8]) throws {
        let json = Array("\"a".utf8) + bad + Array("b\"".utf8)
        do {
            _ = try JSONReader.withReader(json) { (reader) throws(EventDecodingError) in try reader.readString(path: "s") }
            Issue.record("\(bad) was accepted")
        } catch {
            #expect(error.kind == .invalidUTF8 && error.path == "s")
        }
        // Valid multi-byte text of every length still reads.
        let valid = Array("\"é€😀\"".utf8)
        #expect(try JSONReader.withReader(valid) { (reader) throws(EventDecodingError) in try reader.readString(path: "") } == "é€😀")
    }

    @Test("unknown values of every shape are skipped with their syntax checked")
    func skipping() throws {
        try read(#"{"a":[1,-2.5e3,{"b":null}],"c":"x","d":true,"e":false} "#) { reader in
            try reader.skipValue(path: "")
            try reader.end()
        }
        #expect(throws: EventDecodingError.self) { try read(#"[1,2"#) { try $0.skipValue(path: "") } }
    }

    @Test("base64 and UUID text round-trip")
    func base64AndUUID() throws {
        for length in 0..<8 {
            let bytes = (0..<length).map { UInt8($0 * 37 & 0xFF) }
            var out: [UInt8] = []
            Base64.encode(bytes, into: &out)
            #expect(String(decoding: out, as: UTF8.self) == Data(bytes).base64EncodedString())
            #expect(Base64.decode(String(decoding: out, as: UTF8.self)) == bytes)
        }
        let uuid = UUID()
        #expect(UUIDText.parse(UUIDText.bytes(uuid)) == uuid)
        #expect(String(decoding: UUIDText.bytes(uuid), as: UTF8.self) == uuid.uuidString.lowercased())
        #expect(UUIDText.parse(Array("not-a-uuid".utf8)) == nil)
        #expect(UUIDText.parse(Array("123e4567-e89b-12d3-a456-42661417400g".utf8)) == nil)
        #expect(UUIDText.parse(Array("123e4567-e89b-12d3-a456_426614174000".utf8)) == nil)
        #expect(UUIDText.parse(Array("123E4567-E89B-12D3-A456-426614174000".utf8))?.uuidString == "123E4567-E89B-12D3-A456-426614174000")
    }
}

@Suite("Reusable writers and short strings")
struct WriterReuseTests {
    @Test("a reused writer writes each value in place of the last, and keeps its buffer")
    func reuse() {
        var writer = JSONWriter(capacity: 16)
        for text in ["a", String(repeating: "long text ", count: 40), "b"] {
            writer.removeAll()
            writer.string(text)
            let json = writer.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
            #expect(json == "\"" + text + "\"")
            #expect(writer.byteCount == text.utf8.count + 2)
        }
        // It grew to the long text and kept that capacity.
        #expect(writer.output.capacity >= 402)
    }

    @Test("a writer that starts in lent storage moves to its own buffer when the JSON outgrows it")
    func scratchStorage() {
        for length in [0, 10, 13, 14, 100] {
            let text = String(repeating: "x", count: length)
            let json = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 16) { scratch in
                var writer = JSONWriter(scratch: scratch)
                writer.string(text)
                writer.string(text)
                return (writer.bytes, writer.output.ownsBase)
            }
            #expect(String(decoding: json.0, as: UTF8.self) == "\"\(text)\"\"\(text)\"")
            // Past the 16 lent bytes it must have moved (it may move sooner: a short string is
            // stored with two word writes, which want 18 bytes free).
            if 2 * (length + 2) > 16 { #expect(json.1, "length \(length)") }
        }
        // What fits stays in the lent storage: no allocation.
        let small = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 16) { scratch in
            var writer = JSONWriter(scratch: scratch)
            writer.raw("{\"n\":")
            writer.int(Int64(12345))
            writer.raw("}")
            return (writer.bytes, writer.output.ownsBase)
        }
        #expect(String(decoding: small.0, as: UTF8.self) == #"{"n":12345}"#)
        #expect(!small.1)
    }

    @Test("short ASCII strings are built in the small-string form, equal to the standard library's")
    func smallStrings() throws {
        #expect(SmallASCIIString.layoutMatches, "64-bit Linux lays small strings out as expected; else decoding takes the slow path")
        for length in 0...20 {
            let text = String((0..<length).map { Character(Unicode.Scalar(UInt8(0x21 + $0 * 5 % 94))) })
            let built = Array(text.utf8).withUnsafeBufferPointer { UTF8Check.string($0) }
            #expect(built == text)
            #expect(built?.utf8.count == length)
            #expect(built.map { $0 + "!" } == text + "!")
            #expect(built?.hashValue == text.hashValue)
        }
        // Short strings with bytes past ASCII are validated, not built as ASCII.
        for bytes: [UInt8] in [[0x61, 0xC3, 0xA9], [0xFF], [0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x80], [0xED, 0xA0, 0x80]] {
            let built = bytes.withUnsafeBufferPointer { UTF8Check.string($0) }
            #expect(built == String(validating: bytes, as: UTF8.self))
        }
    }

    @Test("the word-at-a-time scan finds the first special byte exactly, seeded")
    func specialByteScan() {
        let seed = UInt64.random(in: 0...UInt64.max)
        print("special byte scan seed: \(seed)")
        var random = SplitMix64(seed: seed)
        let alphabet: [UInt8] = [0x61, 0x7A, 0x20, 0x21, 0x22, 0x5C, 0x1F, 0x00, 0x7F, 0x80, 0xC3, 0xFF, 0x5B, 0x5D]
        for _ in 0..<20_000 {
            let bytes = (0..<Int(random.next() % 40)).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] }
            let start = bytes.isEmpty ? 0 : Int(random.next() % UInt64(bytes.count))
            let expected = bytes.indices.first { $0 >= start && (bytes[$0] == 0x22 || bytes[$0] == 0x5C || bytes[$0] < 0x20) } ?? bytes.count
            let found = bytes.withUnsafeBufferPointer { SWAR.firstSpecialStringByte(in: $0, from: start) }
            #expect(found == expected, "\(bytes) from \(start), seed \(seed)")
        }
    }
}

@Suite("Timestamps and dates")
struct TimeTests {
    @Test("each byte of the fixed part replaced by every byte value: accepted exactly as the definition says")
    func everyByteOfTheFixedPart() throws {
        let valid = Array("2024-02-28T13:45:59Z".utf8)
        for position in 0..<19 {
            for byte in UInt8.min...UInt8.max {
                var text = valid
                text[position] = byte
                // The definition: digits where digits go, the separators (or `t`), each field in
                // its range, the day one of its month's (LocalDate's checked initialiser).
                let digitPlaces = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18]
                let separatorsMatch = [4, 7, 10, 13, 16].allSatisfy { place in
                    text[place] == valid[place] || (place == 10 && text[place] == UInt8(ascii: "t"))
                }
                let digitsMatch = digitPlaces.allSatisfy { text[$0] >= 0x30 && text[$0] <= 0x39 }
                var expected: Timestamp? = nil
                if separatorsMatch, digitsMatch {
                    let number = { (from: Int, count: Int) in Int(String(decoding: text[from..<(from + count)], as: UTF8.self)) ?? -1 }
                    let (hour, minute, second) = (number(11, 2), number(14, 2), number(17, 2))
                    if hour <= 23, minute <= 59, second <= 60, let date = LocalDate(year: number(0, 4), month: number(5, 2), day: number(8, 2)) {
                        expected = Timestamp(secondsSince1970: date.daysSince1970 * 86_400 + Int64(hour * 3600 + minute * 60 + second))
                    }
                }
                #expect(Timestamp(rfc3339: text) == expected, "\(String(decoding: text, as: UTF8.self))")
            }
        }
    }

    @Test("RFC 3339 with any offset normalises to UTC; output uses the shortest exact fraction", arguments: [
        ("1970-01-01T00:00:00Z", "1970-01-01T00:00:00Z"),
        ("2024-02-29T23:59:59.5+09:00", "2024-02-29T14:59:59.500Z"),
        ("1969-12-31T23:59:59.999999999Z", "1969-12-31T23:59:59.999999999Z"),
        ("2000-01-01t00:00:00.000001-00:30", "2000-01-01T00:30:00.000001Z"),
        ("0001-01-01T00:00:00Z", "0001-01-01T00:00:00Z"),
        ("9999-12-31T23:59:59Z", "9999-12-31T23:59:59Z"),
    ])
    func timestamps(input: String, output: String) throws {
        let time = try #require(Timestamp(rfc3339: Array(input.utf8)))
        #expect(time.description == output)
        #expect(Timestamp(rfc3339: Array(output.utf8)) == time)
    }

    @Test("malformed timestamps are refused", arguments: [
        "2024-02-30T00:00:00Z", "2024-01-01T24:00:00Z", "2024-01-01T00:00:00", "2024-01-01 00:00:00Z", "2024-01-01T00:00:00.Z",
    ])
    func badTimestamps(input: String) {
        #expect(Timestamp(rfc3339: Array(input.utf8)) == nil)
    }

    @Test("dates convert to and from days since the epoch")
    func dates() throws {
        for days in [-719_162, -1, 0, 1, 11_016, 2_932_896] as [Int64] {
            let date = LocalDate(daysSince1970: days)
            #expect(date.daysSince1970 == days)
            #expect(LocalDate(iso: date.description) == date)
        }
        #expect(LocalDate(year: 2023, month: 2, day: 29) == nil)
        #expect(Timestamp(millisecondsSince1970: -1).description == "1969-12-31T23:59:59.999Z")
    }
}
