import EventCore
import Foundation
import Testing

/// `JSONReader.readObject` and `readSymbol` against a plain definition: every member of a random
/// object, in any order, compact or spaced, with unknown members and escaped keys, is reported
/// once with its index, and nothing else is.
@Suite("Object and symbol reading")
struct EventNamesTests {
    /// Short, exactly 16-byte and long tokens (`,"name":` is the name plus four bytes).
    static let names: [StaticString] = ["a", "orderId", "twelveChars!", "exactlySixteen12", "aNameLongerThanSixteenBytes", "x"]
    static let table = JSONNames("a", "orderId", "twelveChars!", "exactlySixteen12", "aNameLongerThanSixteenBytes", "x")

    /// The members `json` holds, as `readObject` reports them: (index, the integer value).
    private func read(_ json: String) throws -> [(Int, Int64)] {
        try JSONReader.withReader(Array(json.utf8)) { (reader) throws(EventDecodingError) -> [(Int, Int64)] in
            var seen: [(Int, Int64)] = []
            try reader.readObject(Self.table, path: "") { reader, member throws(EventDecodingError) in
                seen.append((member, try reader.readInt64(path: "")))
            }
            try reader.end()
            return seen
        }
    }

    @Test("random objects: each known member reported with its value, in input order; unknown ones skipped")
    func randomObjects() throws {
        let seed = ProcessInfo.processInfo.environment["EVENTC_NAMES_SEED"].flatMap(UInt64.init) ?? UInt64.random(in: 0...UInt64.max)
        print("JSONNamesTests seed: \(seed) (EVENTC_NAMES_SEED=\(seed) to repeat)")
        var random = SplitMix64(seed: seed)
        let names = Self.names.map { "\($0)" }
        for round in 0..<2_000 {
            var members: [(key: String, index: Int?, value: Int64)] = []
            for _ in 0..<Int(random.next() % 8) {
                let pick = Int(random.next() % UInt64(names.count + 2))
                let key = pick < names.count ? names[pick] : ["unknown", "orderIdX", "aNameLongerThanSixteenByteZ"][Int(random.next() % 3)]
                members.append((key, pick < names.count ? pick : nil, Int64(random.next() % 1000)))
            }
            let spaced = random.next() % 3 == 0
            let escaped = random.next() % 5 == 0
            var json = spaced ? "{ " : "{"
            for (position, member) in members.enumerated() {
                if position > 0 { json += spaced ? " ,\n " : "," }
                // An escaped first letter still names the member.
                let key = escaped && member.key.first == "a" ? "\\u0061" + member.key.dropFirst() : member.key
                json += "\"\(key)\"" + (spaced ? " : " : ":") + "\(member.value)"
            }
            json += spaced ? " }" : "}"
            let expected = members.compactMap { member in member.index.map { ($0, member.value) } }
            let found = try read(json)
            #expect(found.map(\.0) == expected.map(\.0) && found.map(\.1) == expected.map(\.1), "seed \(seed) round \(round): \(json)")
        }
    }

    @Test("the compact form in the writer's order, at the very end of the input, and a repeated member")
    func edges() throws {
        // No room for a 16-byte read after the last key: the short path reads it.
        #expect(try read(#"{"a":1,"x":2}"#).map(\.0) == [0, 5])
        #expect(try read(#"{"aNameLongerThanSixteenBytes":7}"#).map(\.0) == [4])
        #expect(try read(#"{"a":1,"a":2}"#).map(\.1) == [1, 2])
        #expect(try read("{}").isEmpty)
        // A token that only begins like an expected one is not taken for it.
        #expect(try read(#"{"a":1,"orderIdentifier":5,"orderId":6}"#).map(\.0) == [0, 1])
        #expect(try read(#"{"a":1,"aNameLongerThanSixteenBytesAndMore":5}"#).map(\.0) == [0])
    }

    @Test("bad objects are refused with the reader's errors")
    func badObjects() {
        for bad in [#"{"a":1,}"#, #"{"a":1"#, #"{"a" 1}"#, #"{"a":1 "x":2}"#, #"["a"]"#, #"{"a":1}}"#] {
            #expect(throws: EventDecodingError.self, "\(bad)") { _ = try read(bad) }
        }
    }

    static let symbols = JSONNames("card", "transfer", "aVeryLongSymbolNameIndeed")

    private func symbol(_ json: String, defaultSymbol: Int?) throws(EventDecodingError) -> Int {
        try symbol(bytes: Array(json.utf8), defaultSymbol: defaultSymbol)
    }

    private func symbol(bytes: [UInt8], defaultSymbol: Int?) throws(EventDecodingError) -> Int {
        try JSONReader.withReader(bytes) { (reader) throws(EventDecodingError) -> Int in
            // Padding after the value, so the 16-byte fast path and the end of input are both exercised.
            try reader.readSymbol(Self.symbols, defaultSymbol: defaultSymbol, type: "Method", path: "method")
        }
    }

    @Test("symbols: known ones by index, quoted forms that only begin like one are not it, unknown ones read as the default or fail")
    func symbolsAreMatchedExactly() throws {
        #expect(try symbol(#""card""#, defaultSymbol: nil) == 0)
        #expect(try symbol(#""transfer"                  "#, defaultSymbol: nil) == 1)
        #expect(try symbol(#""aVeryLongSymbolNameIndeed"                 "#, defaultSymbol: nil) == 2)
        #expect(try symbol(#""cards"                     "#, defaultSymbol: 1) == 1)
        #expect(try symbol(#""car\u0064"                  "#, defaultSymbol: nil) == 0)
        #expect(try symbol(#""aVeryLongSymbolNameIndeedNot"     "#, defaultSymbol: 0) == 0)
        #expect {
            _ = try symbol(#""wallet"                    "#, defaultSymbol: nil)
        } throws: { error in
            (error as? EventDecodingError).map { $0.kind == .unknownSymbol && $0.message.contains("not a symbol of Method") } ?? false
        }
        // Invalid UTF-8 is refused even where the default would be taken.
        #expect(throws: EventDecodingError.self) { _ = try symbol(bytes: [0x22, 0x63, 0x61, 0xFF, 0x64, 0x22], defaultSymbol: 0) }
    }
}
