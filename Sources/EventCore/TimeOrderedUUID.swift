import Foundation

/// Event ids that grow with time: UUID version 7 (RFC 9562, section 5.7), 48 bits of Unix time in
/// milliseconds, the version and variant, then 74 random bits. The publisher, the generated
/// `publish` methods and the outbox give events these ids unless told otherwise.
///
/// Why not `UUID()` (version 4, random throughout): an inbox keys its table by event id, and
/// random keys fall on random B-tree pages, so every transaction rewrote pages all over the table
/// (the SQLite inbox benchmark: ~55k events/s with version 4 ids, 120-155k with these). Ids that
/// grow with time are added near the end of the table. They stay unique (74 random bits within a
/// millisecond) and tell no more than when the event was published.
public enum TimeOrderedUUID {
    /// A new id for the current time.
    public static func next() -> UUID {
        var random = SystemRandomNumberGenerator()
        return make(millisecondsSince1970: WallClock.millisecondsSince1970(), using: &random)
    }

    static func make(millisecondsSince1970 milliseconds: Int64, using random: inout some RandomNumberGenerator) -> UUID {
        // unix_ts_ms (48) | version 7 (4) | rand_a (12)
        let high = UInt64(truncatingIfNeeded: milliseconds) << 16 | 0x7000 | random.next() & 0x0FFF
        // variant 0b10 (2) | rand_b (62)
        let low = 0x8000_0000_0000_0000 | random.next() & 0x3FFF_FFFF_FFFF_FFFF
        let (h, l) = (high.bigEndian, low.bigEndian)
        return withUnsafeBytes(of: (h, l)) { bytes in
            UUID(uuid: (
                bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
        }
    }
}

/// The system's wall clock in milliseconds since 1970: what ids and record timestamps are made
/// from. The transport's `SystemClock` reads it too.
package enum WallClock {
    package static func millisecondsSince1970() -> Int64 {
        Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
    }
}
