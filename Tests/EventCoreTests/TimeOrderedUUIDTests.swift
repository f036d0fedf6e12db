@testable import EventCore
import Foundation
import Testing

@Suite("Time-ordered UUIDs")
struct TimeOrderedUUIDTests {
    /// Returns fixed words, to check where each bit goes.
    struct FixedWords: RandomNumberGenerator {
        var words: [UInt64]
        mutating func next() -> UInt64 { words.removeFirst() }
    }

    @Test("the time takes the first 48 bits, then version 7, 12 random bits, the RFC 9562 variant and 62 random bits")
    func layout() {
        var random = FixedWords(words: [0xFFFF_FFFF_FFFF_FABC, 0xFFFF_FFFF_FFFF_FFFF])
        let id = TimeOrderedUUID.make(millisecondsSince1970: 0x0123_4567_89AB, using: &random)
        #expect(id.uuidString == "01234567-89AB-7ABC-BFFF-FFFFFFFFFFFF")
        var zeros = FixedWords(words: [0, 0])
        #expect(TimeOrderedUUID.make(millisecondsSince1970: 1, using: &zeros).uuidString == "00000000-0001-7000-8000-000000000000")
        // The ids the publisher makes parse back as ids the inbox reads as UUIDs.
        #expect(UUIDText.parse(Array(id.uuidString.lowercased().utf8)) == id)
    }

    @Test("ids sort by their millisecond, and 200,000 of them are all different")
    func orderedAndUnique() {
        var random = SystemRandomNumberGenerator()
        let earlier = TimeOrderedUUID.make(millisecondsSince1970: 1_763_900_000_000, using: &random)
        let later = TimeOrderedUUID.make(millisecondsSince1970: 1_763_900_000_001, using: &random)
        #expect(earlier.uuidString < later.uuidString)
        #expect(earlier < later)
        let ids = (0..<200_000).map { _ in TimeOrderedUUID.next() }
        #expect(Set(ids).count == ids.count)
        // `next()` reads the clock: its time prefix is now, to the millisecond.
        let prefix = ids[0].uuidString.replacingOccurrences(of: "-", with: "").prefix(12)
        let milliseconds = Int64(prefix, radix: 16) ?? 0
        #expect(abs(milliseconds - WallClock.millisecondsSince1970()) < 60_000)
    }
}
