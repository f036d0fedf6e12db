@testable import EventCore
import Foundation
import Testing

@Suite("UUID text")
struct UUIDTextTests {
    /// The definition, one character at a time: what the eight-at-a-time parser must agree with.
    private func reference(_ text: [UInt8]) -> [UInt8]? {
        guard text.count == 36 else { return nil }
        var nibbles: [UInt8] = []
        for (index, byte) in text.enumerated() {
            if [8, 13, 18, 23].contains(index) {
                guard byte == UInt8(ascii: "-") else { return nil }
                continue
            }
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibbles.append(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibbles.append(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): nibbles.append(byte - UInt8(ascii: "A") + 10)
            default: return nil
            }
        }
        return stride(from: 0, to: 32, by: 2).map { nibbles[$0] << 4 | nibbles[$0 + 1] }
    }

    private func parsed(_ text: [UInt8]) -> [UInt8]? {
        UUIDText.parse(text).map { uuid in withUnsafeBytes(of: uuid.uuid) { Array($0) } }
    }

    @Test("every byte value at every position: accepted exactly when it is a hex digit (either case) or the dash in its place")
    func everyByteAtEveryPosition() {
        let valid = Array("0123abcd-ef45-6789-ABCD-EF0123456789".utf8)
        for position in valid.indices {
            for byte in 0...255 {
                var text = valid
                text[position] = UInt8(byte)
                #expect(parsed(text) == reference(text), "byte \(byte) at \(position)")
            }
        }
    }

    @Test("random texts from hex digits, dashes and other bytes agree with the definition (seeded)")
    func randomTextsAgree() {
        let seed = ProcessInfo.processInfo.environment["EVENTC_UUIDTEXT_SEED"].flatMap(UInt64.init) ?? UInt64.random(in: 1...UInt64.max)
        print("UUID text test seed: \(seed) (EVENTC_UUIDTEXT_SEED=\(seed) to repeat)")
        var random = SplitMix64(seed: seed)
        let alphabet = Array("0123456789abcdefABCDEF-gG/:@`".utf8) + [0x00, 0x7F, 0x80, 0xC3, 0xFF]
        var accepted = 0
        for step in 0..<20_000 {
            // Mostly a valid id with a few bytes replaced, so both outcomes are common.
            var text = UUIDText.bytes(UUID())
            if step % 2 == 0 { text = Array(String(decoding: text, as: UTF8.self).uppercased().utf8) }
            for _ in 0..<Int(random.next() % 3) {
                text[Int(random.next() % 36)] = alphabet[Int(random.next() % UInt64(alphabet.count))]
            }
            let expected = reference(text)
            if expected != nil { accepted += 1 }
            #expect(parsed(text) == expected, "seed \(seed) step \(step): \(String(decoding: text, as: UTF8.self))")
        }
        #expect(accepted > 1_000 && accepted < 19_000, "seed \(seed): both outcomes exercised")
        #expect(parsed(Array("0123abcd-ef45-6789-ABCD-EF012345678".utf8)) == nil)
    }

    @Test("writing: every byte value at every position gives Foundation's text, lowercased")
    func writingEveryByte() {
        for position in 0..<16 {
            for value in UInt8.min...UInt8.max {
                var bytes = [UInt8](repeating: UInt8(position * 17 & 0xFF), count: 16)
                bytes[position] = value
                let uuid = bytes.withUnsafeBytes { UUID(uuid: $0.load(as: uuid_t.self)) }
                let text = String(decoding: UUIDText.bytes(uuid), as: UTF8.self)
                #expect(text == uuid.uuidString.lowercased(), "byte \(value) at \(position)")
            }
        }
    }

    @Test("words are the UUID's bytes 0-7 and 8-15, read little-endian")
    func wordsAreTheBytes() {
        let text = Array("00112233-4455-6677-8899-aabbccddeeff".utf8)
        let words = text.withUnsafeBufferPointer { UUIDText.words($0) }
        #expect(words?.0 == 0x7766_5544_3322_1100)
        #expect(words?.1 == 0xFFEE_DDCC_BBAA_9988)
    }
}
