import EventTransport

/// A consumer group: its members, the target assignment, who owns which partition right now, and
/// the committed offsets. A partition moves in two steps, as in Kafka's protocol: its old owner
/// revokes it (and may commit) on its next poll, then the new owner claims it, so no two members
/// ever read a partition at the same time.
struct GroupState: Sendable {
    var members: [String: MemberState] = [:]
    var generation = 0
    var strategy: AssignmentStrategy?
    var target: [String: Set<TopicPartition>] = [:]
    var owners: [TopicPartition: String] = [:]
    var committed: [TopicPartition: Int64] = [:]

    mutating func rebalance(partitionCounts: [String: Int]) {
        generation += 1
        target = Assignor.assign(
            strategy ?? .range,
            subscriptions: members.mapValues { Set($0.topics) },
            partitionCounts: partitionCounts,
            current: members.mapValues(\.owned))
    }

    /// Removes a member and frees its partitions at once (it left, or its session expired).
    mutating func remove(_ memberId: String) {
        guard let member = members.removeValue(forKey: memberId) else { return }
        for partition in member.owned where owners[partition] == memberId { owners[partition] = nil }
        if members.isEmpty { strategy = nil }
    }

    /// Members whose session ran out by `now`.
    func expired(now: Int64) -> [String] {
        members.filter { now - $0.value.lastHeartbeat > $0.value.sessionTimeoutMilliseconds }.map(\.key).sorted()
    }

    mutating func release(_ partitions: [TopicPartition], from memberId: String) {
        guard var member = members[memberId] else { return }
        for partition in partitions {
            member.owned.remove(partition)
            member.positions[partition] = nil
            member.paused.remove(partition)
            if owners[partition] == memberId { owners[partition] = nil }
        }
        member.refreshOrder()
        members[memberId] = member
    }
}

struct MemberState: Sendable {
    var topics: [String]
    var config: ConsumerConfig
    var sessionTimeoutMilliseconds: Int64
    var lastHeartbeat: Int64
    var lastAutoCommit: Int64
    /// The generation whose revocations this member has done.
    var generationSeen = -1
    var owned: Set<TopicPartition> = []
    /// `owned` sorted, for fetching in a stable, rotating order.
    var ownedInOrder: [TopicPartition] = []
    var positions: [TopicPartition: Int64] = [:]
    var paused: Set<TopicPartition> = []
    var fetchCursor = 0

    mutating func refreshOrder() {
        ownedInOrder = owned.sorted()
    }
}

/// What a consumer must do before it fetches.
enum GroupStep: Sendable {
    /// Its session expired and the group forgot it: report these as lost and join again.
    case rejoin
    /// Give these up (run the revoked callback first, then release them).
    case revoke([TopicPartition], generation: Int)
    /// Up to date; these were just claimed (run the assigned callback).
    case ready(claimed: [TopicPartition])
}
