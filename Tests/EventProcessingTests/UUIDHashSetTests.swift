import EventBroker
@testable import EventProcessing
import EventTestSupport
import Foundation
import Testing

@Suite("UUID hash set")
struct UUIDHashSetTests {
    @Test("random inserts, removals and lookups agree with Set through many resizes, repeats and the all-zero id (seeded)")
    func agreesWithSet() {
        let seed = ProcessInfo.processInfo.environment["EVENTC_UUIDSET_SEED"].flatMap(UInt64.init) ?? UInt64.random(in: 1...UInt64.max)
        print("UUID hash set test seed: \(seed) (EVENTC_UUIDSET_SEED=\(seed) to repeat)")
        var random = SplitMix64(seed: seed)
        // A small value space, so ids repeat and probe runs wrap around the end of the table.
        let hashSeed = random.next()
        var set = UUIDHashSet(seed: hashSeed)
        var model = Set<[UInt64]>()
        for step in 0..<60_000 {
            // The all-zero id now and then: the table cannot hold it in a slot (zero marks empty).
            let words = step % 997 == 0 ? (UInt64(0), UInt64(0)) : (random.next() % 3, random.next() % 30_000)
            let key = UUIDHashSet.Key(uuid: words, seed: hashSeed)
            #expect(set.contains(key) == model.contains([words.0, words.1]), "seed \(seed) step \(step)")
            if random.next() % 4 == 0 {
                // A removal now and then: the entries after it in its probe run must stay reachable.
                let removed = set.remove(key)
                #expect(removed == (model.remove([words.0, words.1]) != nil), "seed \(seed) step \(step)")
                #expect(!set.contains(key), "seed \(seed) step \(step)")
            } else {
                let inserted = set.insert(key)
                #expect(inserted == model.insert([words.0, words.1]).inserted, "seed \(seed) step \(step)")
                #expect(set.contains(key), "seed \(seed) step \(step)")
            }
        }
        #expect(set.count == model.count, "seed \(seed)")
        #expect(set.contains(.init(uuid: (0, 0), seed: hashSeed)) == model.contains([0, 0]), "seed \(seed)")
        for high in 0..<UInt64(3) {
            for low in 0..<UInt64(30_000) {
                #expect(set.contains(.init(uuid: (high, low), seed: hashSeed)) == model.contains([high, low]), "seed \(seed)")
            }
        }
    }

    @Test("the all-zero id is a member like any other, not an empty slot")
    func zeroIsAMember() {
        var set = UUIDHashSet(seed: 42)
        let zero = UUIDHashSet.Key(uuid: (0, 0), seed: 42)
        #expect(!set.contains(zero))
        let first = set.insert(zero)
        let second = set.insert(zero)
        #expect(first && !second)
        #expect(set.contains(zero))
        #expect(set.count == 1)
    }
}
