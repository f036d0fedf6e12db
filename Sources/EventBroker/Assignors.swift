import EventTransport

/// Kafka's partition assignors, computing the target assignment of a group. Members are ordered
/// by member id (ids are issued in join order), so the result is deterministic.
enum Assignor {
    /// - Parameters:
    ///   - subscriptions: member id → the topics it subscribes to.
    ///   - partitionCounts: topic → its number of partitions.
    ///   - current: member id → what it owns now (used by the sticky assignor).
    static func assign(
        _ strategy: AssignmentStrategy, subscriptions: [String: Set<String>], partitionCounts: [String: Int],
        current: [String: Set<TopicPartition>]
    ) -> [String: Set<TopicPartition>] {
        var result = subscriptions.mapValues { _ in Set<TopicPartition>() }
        let members = subscriptions.keys.sorted()
        let topics = Set(subscriptions.values.joined()).sorted()
        switch strategy {
        case .range:
            for topic in topics {
                let count = partitionCounts[topic] ?? 0
                let subscribers = members.filter { subscriptions[$0]?.contains(topic) == true }
                guard !subscribers.isEmpty else { continue }
                let each = count / subscribers.count
                let extra = count % subscribers.count
                var next = 0
                for (index, member) in subscribers.enumerated() {
                    let share = each + (index < extra ? 1 : 0)
                    for partition in next..<(next + share) { result[member, default: []].insert(TopicPartition(topic, partition)) }
                    next += share
                }
            }
        case .roundRobin:
            var turn = 0
            for topic in topics {
                for partition in 0..<(partitionCounts[topic] ?? 0) {
                    // The next member in turn that subscribes to this topic.
                    for step in 0..<members.count {
                        let member = members[(turn + step) % members.count]
                        if subscriptions[member]?.contains(topic) == true {
                            result[member, default: []].insert(TopicPartition(topic, partition))
                            turn = (turn + step + 1) % members.count
                            break
                        }
                    }
                }
            }
        case .cooperativeSticky:
            result = sticky(members: members, subscriptions: subscriptions, partitionCounts: partitionCounts, current: current)
        }
        return result
    }

    /// Balanced (sizes differ by at most one when subscriptions are equal) while moving as few
    /// partitions as possible: each member keeps what it owns up to its quota, the rest are dealt
    /// to the least loaded.
    private static func sticky(
        members: [String], subscriptions: [String: Set<String>], partitionCounts: [String: Int],
        current: [String: Set<TopicPartition>]
    ) -> [String: Set<TopicPartition>] {
        var all: [TopicPartition] = []
        for topic in Set(subscriptions.values.joined()).sorted() {
            for partition in 0..<(partitionCounts[topic] ?? 0) { all.append(TopicPartition(topic, partition)) }
        }
        guard !members.isEmpty else { return [:] }
        let floor = all.count / members.count
        var ceilingSlots = all.count % members.count
        var result: [String: Set<TopicPartition>] = [:]
        var taken = Set<TopicPartition>()
        let existing = Set(all)
        for member in members {
            let keep = (current[member] ?? []).filter {
                existing.contains($0) && subscriptions[member]?.contains($0.topic) == true && !taken.contains($0)
            }.sorted()
            var quota = floor
            if keep.count > floor, ceilingSlots > 0 {
                quota += 1
                ceilingSlots -= 1
            }
            let kept = keep.prefix(quota)
            result[member] = Set(kept)
            taken.formUnion(kept)
        }
        for partition in all where !taken.contains(partition) {
            let candidates = members.filter { subscriptions[$0]?.contains(partition.topic) == true }
            guard let member = candidates.min(by: { (result[$0]?.count ?? 0, $0) < (result[$1]?.count ?? 0, $1) }) else {
                continue
            }
            result[member, default: []].insert(partition)
        }
        return result
    }
}
