@testable import EventBroker
import EventTestSupport
import Foundation
import Testing

@Suite("Assignors")
struct AssignorTests {
    private func topicPartitions(_ counts: [String: Int]) -> Set<TopicPartition> {
        Set(counts.flatMap { topic, count in (0..<count).map { TopicPartition(topic, $0) } })
    }

    @Test("random groups: every partition goes to exactly one subscriber, and loads differ by at most one (seeded)")
    func assignmentsAreCompleteAndBalanced() {
        let seed = ProcessInfo.processInfo.environment["EVENTC_ASSIGNOR_SEED"].flatMap(UInt64.init) ?? UInt64.random(in: 1...UInt64.max)
        print("assignor test seed: \(seed) (EVENTC_ASSIGNOR_SEED=\(seed) to repeat)")
        var random = SplitMix64(seed: seed)
        for round in 0..<300 {
            let counts = ["a": 1 + Int(random.next() % 12), "b": 1 + Int(random.next() % 12)]
            let members = (0..<(1 + Int(random.next() % 6))).map { "m\($0)" }
            let subscriptions = Dictionary(uniqueKeysWithValues: members.map { ($0, Set(["a", "b"])) })
            for strategy in [AssignmentStrategy.range, .roundRobin, .cooperativeSticky] {
                let assignment = Assignor.assign(strategy, subscriptions: subscriptions, partitionCounts: counts, current: [:])
                let all = assignment.values.flatMap { $0 }
                #expect(all.count == Set(all).count, "seed \(seed) round \(round) \(strategy): a partition twice")
                #expect(Set(all) == topicPartitions(counts), "seed \(seed) round \(round) \(strategy): a partition unassigned")
                if strategy == .range {
                    for topic in counts.keys {  // range balances each topic on its own
                        let loads = members.map { member in assignment[member, default: []].filter { $0.topic == topic }.count }
                        #expect((loads.max() ?? 0) - (loads.min() ?? 0) <= 1, "seed \(seed) round \(round): range on \(topic)")
                    }
                } else {
                    let loads = members.map { assignment[$0, default: []].count }
                    #expect((loads.max() ?? 0) - (loads.min() ?? 0) <= 1, "seed \(seed) round \(round) \(strategy): \(loads)")
                }
            }
        }
    }

    @Test("cooperative-sticky moves only what balance requires when members join and leave (seeded)")
    func stickyMovesLittle() {
        let seed = ProcessInfo.processInfo.environment["EVENTC_ASSIGNOR_SEED"].flatMap(UInt64.init) ?? UInt64.random(in: 1...UInt64.max)
        print("sticky assignor test seed: \(seed)")
        var random = SplitMix64(seed: seed)
        for round in 0..<200 {
            let counts = ["t": 1 + Int(random.next() % 24)]
            let total = counts["t"] ?? 0
            var members = (0..<(1 + Int(random.next() % 5))).map { "m\($0)" }
            var current = Assignor.assign(
                .cooperativeSticky, subscriptions: Dictionary(uniqueKeysWithValues: members.map { ($0, ["t"]) }),
                partitionCounts: counts, current: [:])
            // One member leaves or one joins.
            let leaving = members.count > 1 && random.next() % 2 == 0
            if leaving {
                let gone = members.remove(at: Int(random.next() % UInt64(members.count)))
                current[gone] = nil
            } else {
                members.append("m\(members.count)")
            }
            let next = Assignor.assign(
                .cooperativeSticky, subscriptions: Dictionary(uniqueKeysWithValues: members.map { ($0, ["t"]) }),
                partitionCounts: counts, current: current)
            let kept = members.reduce(0) { $0 + (current[$1] ?? []).intersection(next[$1] ?? []).count }
            // The most balance allows: each member keeps up to the floor of the new share, and
            // `total % members` of those holding more keep one extra.
            let floor = total / members.count
            let held = members.map { (current[$0] ?? []).count }
            let keepable = held.reduce(0) { $0 + min($1, floor) } + min(held.filter { $0 > floor }.count, total % members.count)
            #expect(kept == keepable, "seed \(seed) round \(round): kept \(kept), balance allows \(keepable)")
        }
    }
}
