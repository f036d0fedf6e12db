import EventTransport
import Foundation
import Metrics

/// The group coordinator and the fetch path: membership, assignment, positions and commits.
extension InProcessBroker {
    func join(group groupId: String, topics: [String], config: ConsumerConfig) throws(TransportError) -> String {
        let now = clock.milliseconds()
        let memberId = try withState { (state) throws(TransportError) -> String in
            for topic in topics { _ = try state.topic(topic) }
            var group = state.groups.removeValue(forKey: groupId) ?? GroupState()
            defer { state.groups[groupId] = group }
            if let strategy = group.strategy, strategy != config.assignment, !group.members.isEmpty {
                throw TransportError(
                    .inconsistentGroupProtocol,
                    "group '\(groupId)' uses \(strategy.rawValue); this consumer asks for \(config.assignment.rawValue): use one strategy per group")
            }
            let number = String(state.nextMemberNumber)
            state.nextMemberNumber += 1
            let memberId = groupId + "-" + String(repeating: "0", count: max(0, 8 - number.count)) + number
            group.strategy = config.assignment
            group.members[memberId] = MemberState(
                topics: topics, config: config, sessionTimeoutMilliseconds: config.sessionTimeout.milliseconds,
                lastHeartbeat: now, lastAutoCommit: now)
            expireMembers(&group, groupId: groupId, now: now)
            group.rebalance(partitionCounts: state.partitionCounts)
            state.noteChange(group: groupId)
            return memberId
        }
        logger.info("member joined", metadata: ["group": "\(groupId)", "member": "\(memberId)", "topics": "\(topics)"])
        return memberId
    }

    func leave(group groupId: String, member memberId: String) throws(TransportError) {
        try withState { (state) throws(TransportError) in
            guard state.groups[groupId]?.members[memberId] != nil else { return }
            state.groups[groupId]!.remove(memberId)
            state.groups[groupId]!.rebalance(partitionCounts: state.partitionCounts)
            state.noteChange(group: groupId)
        }
        logger.info("member left", metadata: ["group": "\(groupId)", "member": "\(memberId)"])
    }

    private func expireMembers(_ group: inout GroupState, groupId: String, now: Int64) {
        for expired in group.expired(now: now) {
            logger.warning("session expired; member removed", metadata: ["group": "\(groupId)", "member": "\(expired)"])
            group.remove(expired)
        }
    }

    /// Heartbeats, expires silent members, and says what the member must do before fetching.
    func groupStep(group groupId: String, member memberId: String) throws(TransportError) -> GroupStep {
        let now = clock.milliseconds()
        return try withState { (state) throws(TransportError) -> GroupStep in
            guard var group = state.groups.removeValue(forKey: groupId) else { return .rejoin }
            defer { state.groups[groupId] = group }
            guard group.members[memberId] != nil else { return .rejoin }
            group.members[memberId]!.lastHeartbeat = now
            let before = group.members.count
            expireMembers(&group, groupId: groupId, now: now)
            if group.members.count != before {
                group.rebalance(partitionCounts: state.partitionCounts)
                state.noteChange(group: groupId)
            }
            let owned = group.members[memberId]!.owned
            let target = group.target[memberId] ?? []
            if group.members[memberId]!.generationSeen != group.generation {
                let revoke = group.strategy?.isCooperative == true ? owned.subtracting(target) : owned
                if !revoke.isEmpty { return .revoke(revoke.sorted(), generation: group.generation) }
                group.members[memberId]!.generationSeen = group.generation
            }
            var claimed: [TopicPartition] = []
            for partition in target.sorted() where group.owners[partition] == nil {
                group.owners[partition] = memberId
                group.members[memberId]!.owned.insert(partition)
                claimed.append(partition)
            }
            if !claimed.isEmpty { group.members[memberId]!.refreshOrder() }
            return .ready(claimed: claimed)
        }
    }

    /// Gives partitions up after the revoked callback ran, so their new owner can claim them.
    func release(group groupId: String, member memberId: String, partitions: [TopicPartition], generation: Int) throws(TransportError) {
        try withState { state in
            guard state.groups[groupId]?.members[memberId] != nil else { return }
            state.groups[groupId]!.release(partitions, from: memberId)
            state.groups[groupId]!.members[memberId]!.generationSeen = generation
            state.noteChange(group: groupId)
        }
    }

    /// Reads from the member's partitions, rotating which goes first so none starves.
    func fetch(group groupId: String, member memberId: String, max: Int) throws(TransportError) -> (records: [ConsumerRecord], version: UInt64) {
        let now = clock.milliseconds()
        let flusher = flusher
        return try withState { (state) throws(TransportError) in
            // Taken out and put back, so updates do not copy the group's tables.
            guard var group = state.groups.removeValue(forKey: groupId) else {
                throw TransportError(.unknownMemberId, "member \(memberId) is no longer in group '\(groupId)'; poll again to rejoin")
            }
            defer { state.groups[groupId] = group }
            guard var member = group.members.removeValue(forKey: memberId) else {
                throw TransportError(.unknownMemberId, "member \(memberId) is no longer in group '\(groupId)'; poll again to rejoin")
            }
            defer { group.members[memberId] = member }
            member.lastHeartbeat = now
            if let interval = member.config.autoCommitInterval, now - member.lastAutoCommit >= interval.milliseconds, state.readOnly == nil {
                // Asynchronous, as Kafka's auto-commit is: nothing waits for the disk.
                member.lastAutoCommit = now
                _ = try Self.commit(&group, groupId: groupId, offsets: member.positions, journal: state.journals?.offsets, flusher: flusher)
            }
            let readCommitted = member.config.isolation == .readCommitted
            var records: [ConsumerRecord] = []
            let order = member.ownedInOrder
            let cursor = member.fetchCursor
            // A fair share per partition first, so one poll carries every busy partition and a
            // processor can work on them in parallel; then whatever room is left.
            let share = order.isEmpty ? max : Swift.max(1, (max + order.count - 1) / order.count)
            for limit in [share, max] where records.count < max {
                for step in 0..<order.count where records.count < max {
                    let partition = order[(cursor + step) % order.count]
                    guard !member.paused.contains(partition) else { continue }
                    let log = state.topics[partition.topic]!.partitions[partition.partition]
                    let end = readCommitted ? log.lastStableOffset : log.logEndOffset
                    var position: Int64
                    if let known = member.positions[partition] ?? group.committed[partition] {
                        position = known
                    } else {
                        position = try Self.reset(member.config.offsetReset, log: log, limit: end, partition: partition, reason: "has no committed offset")
                    }
                    if position < log.logStartOffset || position > log.logEndOffset {
                        position = try Self.reset(
                            member.config.offsetReset, log: log, limit: end, partition: partition,
                            reason: "position \(position) is outside the log [\(log.logStartOffset), \(log.logEndOffset))")
                    }
                    member.positions[partition] = log.read(
                        from: position, limit: end, max: Swift.min(limit, max - records.count), readCommitted: readCommitted,
                        into: &records)
                }
            }
            if !order.isEmpty { member.fetchCursor = (cursor + 1) % order.count }
            return (records, state.version)
        }
    }

    private static func reset(
        _ policy: OffsetReset, log: PartitionLog, limit: Int64, partition: TopicPartition, reason: String
    ) throws(TransportError) -> Int64 {
        switch policy {
        case .earliest: return log.logStartOffset
        case .latest: return limit
        case .none:
            throw TransportError(
                reason.hasPrefix("has no") ? .noOffsetForPartition : .offsetOutOfRange,
                "\(partition) \(reason) and auto.offset.reset is none: seek to a position first")
        }
    }

    func commit(group groupId: String, member memberId: String, offsets: [TopicPartition: Int64]) throws(TransportError) -> UInt64? {
        let flusher = flusher
        return try withState { (state) throws(TransportError) -> UInt64? in
            try state.checkWritable()
            guard let member = state.groups[groupId]?.members[memberId] else {
                throw TransportError(
                    .unknownMemberId,
                    "member \(memberId) is no longer in group '\(groupId)' (its session expired): its partitions were reassigned, so the commit is refused")
            }
            for (partition, offset) in offsets {
                guard member.owned.contains(partition) else {
                    throw TransportError(.notAssigned, "\(partition) is not assigned to member \(memberId) of '\(groupId)': commit before it is revoked (in the revoked callback)")
                }
                guard offset >= 0 else { throw TransportError(.offsetOutOfRange, "cannot commit offset \(offset) for \(partition)") }
            }
            return try Self.commit(
                &state.groups[groupId]!, groupId: groupId, offsets: offsets, journal: state.journals?.offsets, flusher: flusher)
        }
    }

    /// Records committed offsets and journals them; returns the durability ticket.
    static func commit(
        _ group: inout GroupState, groupId: String, offsets: [TopicPartition: Int64], journal: BrokerJournal?,
        flusher: DurabilityFlusher?
    ) throws(TransportError) -> UInt64? {
        guard !offsets.isEmpty else { return nil }
        if let journal {
            for (partition, offset) in offsets.sorted(by: { $0.key < $1.key }) {
                try journal.append { writer in
                    writer.write(string: groupId)
                    writer.write(string: partition.topic)
                    writer.write(Int32(partition.partition))
                    writer.write(offset)
                }
            }
        }
        for (partition, offset) in offsets { group.committed[partition] = offset }
        guard let journal, let flusher else { return nil }
        return flusher.markWritten(journal.file)
    }

    func seek(group groupId: String, member memberId: String, partition: TopicPartition, to target: SeekPosition) throws(TransportError) {
        try withState { (state) throws(TransportError) in
            let member = try state.member(memberId, of: groupId)
            guard member.owned.contains(partition) else {
                throw TransportError(.notAssigned, "cannot seek \(partition): it is not assigned to this consumer (poll first to receive partitions)")
            }
            let log = state.topics[partition.topic]!.partitions[partition.partition]
            let position: Int64
            switch target {
            case .offset(let offset): position = offset
            case .beginning: position = log.logStartOffset
            case .end: position = member.config.isolation == .readCommitted ? log.lastStableOffset : log.logEndOffset
            case .timestamp(let timestamp): position = log.offset(forTimestamp: timestamp)
            }
            state.groups[groupId]!.members[memberId]!.positions[partition] = position
        }
    }

    func setPaused(group groupId: String, member memberId: String, partitions: [TopicPartition], paused: Bool) throws(TransportError) {
        try withState { (state) throws(TransportError) in
            let member = try state.member(memberId, of: groupId)
            for partition in partitions where !member.owned.contains(partition) {
                throw TransportError(.notAssigned, "cannot pause or resume \(partition): it is not assigned to this consumer")
            }
            if paused {
                state.groups[groupId]!.members[memberId]!.paused.formUnion(partitions)
            } else {
                state.groups[groupId]!.members[memberId]!.paused.subtract(partitions)
                state.noteChange(group: groupId)
            }
        }
    }

    /// The member's positions (nil before the first fetch of a partition without a commit).
    func positions(group groupId: String, member memberId: String) throws(TransportError) -> [TopicPartition: Int64?] {
        try withState { (state) throws(TransportError) in
            let member = try state.member(memberId, of: groupId)
            var result: [TopicPartition: Int64?] = [:]
            for partition in member.owned {
                result[partition] = .some(member.positions[partition] ?? state.groups[groupId]!.committed[partition])
            }
            return result
        }
    }

    /// Records between each assigned partition's position and what the member may read (the log
    /// end, or the last stable offset under read_committed); published as a gauge too.
    func lag(group groupId: String, member memberId: String) throws(TransportError) -> [TopicPartition: Int64] {
        try withState { (state) throws(TransportError) in
            let member = try state.member(memberId, of: groupId)
            var result: [TopicPartition: Int64] = [:]
            for partition in member.owned {
                let log = state.topics[partition.topic]!.partitions[partition.partition]
                let limit = member.config.isolation == .readCommitted ? log.lastStableOffset : log.logEndOffset
                let position = member.positions[partition] ?? state.groups[groupId]!.committed[partition] ?? log.logStartOffset
                result[partition] = max(0, limit - position)
                Gauge(
                    label: "eventcontracts_broker_consumer_lag",
                    dimensions: [("group", groupId), ("topic", partition.topic), ("partition", String(partition.partition))],
                    factory: options.metrics
                ).record(result[partition]!)
            }
            return result
        }
    }

    /// A group's committed offsets: for each partition, the next offset the group will read.
    public func committedOffsets(group groupId: String) -> [TopicPartition: Int64] {
        state.withLock { $0.groups[groupId]?.committed ?? [:] }
    }

    /// Records not yet committed by the group, for every partition of the topics its members read
    /// or it has committed on. A group that has not joined yet owes nothing here: ask with
    /// `topics:` to count what it will owe.
    public func groupLag(group groupId: String) -> [TopicPartition: Int64] {
        state.withLock { state in
            guard let group = state.groups[groupId] else { return [:] }
            var topics = Set(group.members.values.flatMap(\.topics))
            topics.formUnion(group.committed.keys.map(\.topic))
            return state.lag(committed: group.committed, topics: topics)
        }
    }

    /// Records the group has not committed yet, per partition of these topics, whether or not the
    /// group has members or commits yet (as `KafkaTransport.groupLag(group:topics:)`): what a
    /// service still owes, including before its first consumer joins.
    public func groupLag(group groupId: String, topics: [String]) -> [TopicPartition: Int64] {
        state.withLock { state in
            state.lag(committed: state.groups[groupId]?.committed ?? [:], topics: Set(topics))
        }
    }

    /// Who owns what in a group right now (member id → partitions).
    public func groupAssignment(group groupId: String) -> [String: Set<TopicPartition>] {
        state.withLock { $0.groups[groupId]?.members.mapValues(\.owned) ?? [:] }
    }
}

extension BrokerState {
    /// For each partition of `topics`: records after the committed offset (or the log start).
    func lag(committed: [TopicPartition: Int64], topics: Set<String>) -> [TopicPartition: Int64] {
        var result: [TopicPartition: Int64] = [:]
        for topic in topics {
            guard let partitions = self.topics[topic]?.partitions else { continue }
            for log in partitions {
                let next = committed[log.topicPartition] ?? log.logStartOffset
                result[log.topicPartition] = max(0, log.logEndOffset - max(next, log.logStartOffset))
            }
        }
        return result
    }

    func member(_ memberId: String, of groupId: String) throws(TransportError) -> MemberState {
        guard let member = groups[groupId]?.members[memberId] else {
            throw TransportError(.unknownMemberId, "member \(memberId) is no longer in group '\(groupId)'")
        }
        return member
    }

    var partitionCounts: [String: Int] { topics.mapValues(\.partitions.count) }
}
