import EventTransport

/// A set of UUIDs kept as two words each, in one flat table with linear probing.
///
/// Why not `Set<UUID>`: the in-memory inbox looks one id up and inserts it for every event, and
/// `Set` hashes through SipHash (seeded and finalised per call, twice per event) into a table of
/// enum-wrapped entries; with 500k ids per group that and the resizes were a third of the
/// processor's CPU time. Here an id is mixed once (`Key`), the caller reuses the mix to pick a
/// lock stripe, and a probe reads 16-byte slots that sit four to a cache line.
///
/// Event ids are random (v4) or time-ordered (v7) UUIDs: a multiply–xorshift mix with a seed
/// chosen per inbox spreads both. It is not flood-resistant the way SipHash is; the in-memory
/// inbox is for tests and in-memory services, and a durable service uses the SQLite inbox.
struct UUIDHashSet {
    /// A UUID's two words and its mixed hash, computed once per lookup.
    struct Key {
        let high: UInt64
        let low: UInt64
        let hash: UInt64

        init(uuid: (UInt64, UInt64), seed: UInt64) {
            (high, low) = uuid
            var mixed = (high ^ seed) &* 0x9E37_79B9_7F4A_7C15 ^ low
            mixed ^= mixed >> 32
            mixed &*= 0xD6E8_FEB8_6659_FD93
            mixed ^= mixed >> 32
            hash = mixed
        }

        /// The all-zero UUID cannot live in the table, where (0, 0) marks an empty slot.
        var isZero: Bool { high == 0 && low == 0 }
    }

    /// Two words per slot; (0, 0) is an empty slot.
    private var words: [UInt64]
    /// Slots - 1 (a power of two minus one).
    private var mask: Int
    private var stored = 0
    private var containsZero = false
    /// The seed its keys are mixed with (the caller makes keys with the same one).
    let seed: UInt64

    init(seed: UInt64) {
        self.seed = seed
        mask = 15
        words = Array(repeating: 0, count: 2 * (mask + 1))
    }

    var count: Int { stored + (containsZero ? 1 : 0) }

    func contains(_ key: Key) -> Bool {
        if key.isZero { return containsZero }
        let mask = mask
        return words.withUnsafeBufferPointer { words in Self.probe(key.high, key.low, hash: key.hash, in: words, mask: mask).found }
    }

    /// The slot holding `high, low`, or the empty slot where its probe run ends (`found` false).
    @inline(__always)
    private static func probe(
        _ high: UInt64, _ low: UInt64, hash: UInt64, in words: UnsafeBufferPointer<UInt64>, mask: Int
    ) -> (slot: Int, found: Bool) {
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let (storedHigh, storedLow) = (words[2 &* slot], words[2 &* slot &+ 1])
            if storedHigh == high, storedLow == low { return (slot, true) }
            if storedHigh == 0, storedLow == 0 { return (slot, false) }
            slot = (slot &+ 1) & mask
        }
    }

    /// Adds `key`; false when it was there already.
    mutating func insert(_ key: Key) -> Bool {
        if key.isZero {
            defer { containsZero = true }
            return !containsZero
        }
        // At most half full: a lookup of an absent id (the common case) then reads ~2.5 slots.
        if (stored + 1) * 2 > mask + 1 { grow() }
        let inserted = words.withUnsafeMutableBufferPointer { words in
            Self.place(key.high, key.low, hash: key.hash, in: words, mask: mask)
        }
        if inserted { stored += 1 }
        return inserted
    }

    /// Takes `key` out; false when it was not there. Backward-shift deletion: the entries after
    /// it in its probe run move back where their own probe passes, so no tombstones build up.
    mutating func remove(_ key: Key) -> Bool {
        if key.isZero {
            defer { containsZero = false }
            return containsZero
        }
        let (mask, seed) = (mask, seed)
        let removed = words.withUnsafeMutableBufferPointer { words -> Bool in
            let (slot, found) = Self.probe(key.high, key.low, hash: key.hash, in: UnsafeBufferPointer(words), mask: mask)
            guard found else { return false }
            var hole = slot
            var next = (hole &+ 1) & mask
            while true {
                let (high, low) = (words[2 &* next], words[2 &* next &+ 1])
                if high == 0, low == 0 { break }
                let home = Int(truncatingIfNeeded: Key(uuid: (high, low), seed: seed).hash) & mask
                // It may fill the hole if its probe from home reaches the hole before `next`.
                if (next &- home) & mask >= (next &- hole) & mask {
                    words[2 &* hole] = high
                    words[2 &* hole &+ 1] = low
                    hole = next
                }
                next = (next &+ 1) & mask
            }
            words[2 &* hole] = 0
            words[2 &* hole &+ 1] = 0
            return true
        }
        if removed { stored -= 1 }
        return removed
    }

    private mutating func grow() {
        let oldWords = words
        mask = 2 * (mask + 1) - 1
        words = Array(repeating: 0, count: 2 * (mask + 1))
        let (mask, seed) = (mask, seed)
        words.withUnsafeMutableBufferPointer { words in
            for slot in 0..<(oldWords.count / 2) {
                let (high, low) = (oldWords[2 * slot], oldWords[2 * slot + 1])
                guard high != 0 || low != 0 else { continue }
                // Hashes are not stored: mixing again costs less than a third word in every slot.
                _ = Self.place(high, low, hash: Key(uuid: (high, low), seed: seed).hash, in: words, mask: mask)
            }
        }
    }

    private static func place(_ high: UInt64, _ low: UInt64, hash: UInt64, in words: UnsafeMutableBufferPointer<UInt64>, mask: Int) -> Bool {
        let (slot, found) = probe(high, low, hash: hash, in: UnsafeBufferPointer(words), mask: mask)
        guard !found else { return false }
        words[2 &* slot] = high
        words[2 &* slot &+ 1] = low
        return true
    }
}
