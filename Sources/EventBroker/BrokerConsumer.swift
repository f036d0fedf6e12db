import EventTransport
import Metrics
import Synchronization

/// A member of a consumer group on the in-process broker. Rebalance callbacks run inside `poll`,
/// as in Kafka's client: a partition is handed over only after its revoked callback returned.
/// Poll from one task at a time (as with Kafka's consumer); the other calls may come from anywhere.
public final class BrokerConsumer: CrashableConsumer {
    /// How it was configured.
    public let config: ConsumerConfig
    private let broker: InProcessBroker
    private let state: Mutex<State>

    private struct State {
        var memberId: String?
        var topics: [String] = []
        var listener = RebalanceListener()
        var assigned: Set<TopicPartition> = []
        var consumed: [String: Counter] = [:]
    }

    init(broker: InProcessBroker, config: ConsumerConfig) {
        self.broker = broker
        self.config = config
        state = Mutex(State())
    }

    /// This member's id in the group (it changes if the session expired and it joined again).
    public var memberId: String? { state.withLock { $0.memberId } }

    /// Joins the group for `topics`; `listener` is called from inside `poll` around rebalances.
    public func subscribe(_ topics: [String], listener: RebalanceListener) async throws {
        if let previous = state.withLock({ $0.memberId }) {
            try broker.leave(group: config.groupId, member: previous)
        }
        let memberId = try broker.join(group: config.groupId, topics: topics, config: config)
        state.withLock {
            $0.memberId = memberId
            $0.topics = topics
            $0.listener = listener
            $0.assigned = []
        }
    }

    private func member() throws(TransportError) -> String {
        guard let memberId = state.withLock({ $0.memberId }) else {
            throw TransportError(.unknownMemberId, "the consumer has not subscribed: call subscribe(_:) first")
        }
        return memberId
    }

    /// Up to `max` records from the held partitions, waiting at most `timeout` when none are ready.
    public func poll(max: Int = 500, timeout: Duration = .milliseconds(100)) async throws -> [ConsumerRecord] {
        let deadline = ContinuousClock.now + timeout
        let topics = Set(state.withLock { $0.topics })
        while true {
            try await followGroup()
            guard max > 0 else { return [] }
            // nil: the session expired between the two calls; follow the group again to rejoin.
            guard let fetched = try fetchUnlessExpired(max: max) else { continue }
            if !fetched.records.isEmpty {
                count(fetched.records)
                return fetched.records
            }
            if ContinuousClock.now >= deadline || Task.isCancelled { return [] }
            await broker.waitForChange(after: fetched.version, topics: topics, group: config.groupId, deadline: deadline)
        }
    }

    private func fetchUnlessExpired(max: Int) throws(TransportError) -> (records: [ConsumerRecord], version: UInt64)? {
        do {
            return try broker.fetch(group: config.groupId, member: try member(), max: max)
        } catch {
            if error.code == .unknownMemberId { return nil }
            throw error
        }
    }

    /// Runs the group protocol until this member is up to date: rejoin if it was expired, revoke
    /// what it must give up, claim what it was given.
    private func followGroup() async throws {
        while true {
            let memberId = try member()
            switch try broker.groupStep(group: config.groupId, member: memberId) {
            case .rejoin:
                let (lost, listener, topics) = state.withLock { state in
                    defer { state.assigned = [] }
                    return (state.assigned.sorted(), state.listener, state.topics)
                }
                if !lost.isEmpty { await listener.lost(lost) }
                let newId = try broker.join(group: config.groupId, topics: topics, config: config)
                state.withLock { $0.memberId = newId }
            case .revoke(let partitions, let generation):
                let listener = state.withLock { $0.listener }
                await listener.revoked(partitions)
                try broker.release(group: config.groupId, member: memberId, partitions: partitions, generation: generation)
                state.withLock { $0.assigned.subtract(partitions) }
            case .ready(let claimed):
                guard !claimed.isEmpty else { return }
                let listener = state.withLock { state in
                    state.assigned.formUnion(claimed)
                    return state.listener
                }
                await listener.assigned(claimed)
                return
            }
        }
    }

    private func count(_ records: [ConsumerRecord]) {
        var topic = records[0].topic
        var run = 0
        for record in records {
            if record.topic != topic {
                counter(for: topic).increment(by: run)
                topic = record.topic
                run = 0
            }
            run += 1
        }
        counter(for: topic).increment(by: run)
    }

    private func counter(for topic: String) -> Counter {
        state.withLock { state in
            if let counter = state.consumed[topic] { return counter }
            let counter = Counter(
                label: "eventcontracts_broker_consumed_records_total", dimensions: [("group", config.groupId), ("topic", topic)],
                factory: broker.options.metrics)
            state.consumed[topic] = counter
            return counter
        }
    }

    /// Commits, per partition, the next offset to read; refused (`UNKNOWN_MEMBER_ID`) once the member was put out.
    public func commit(_ offsets: [TopicPartition: Int64]) async throws {
        let ticket = try broker.commit(group: config.groupId, member: try member(), offsets: offsets)
        try await broker.waitDurable(ticket)
    }

    /// Moves the next `poll` of `partition` to `position`.
    public func seek(_ partition: TopicPartition, to position: SeekPosition) async throws {
        try broker.seek(group: config.groupId, member: try member(), partition: partition, to: position)
    }

    /// Stops returning records of `partitions`, without leaving the group.
    public func pause(_ partitions: [TopicPartition]) async throws {
        try broker.setPaused(group: config.groupId, member: try member(), partitions: partitions, paused: true)
    }

    /// Returns records of `partitions` again.
    public func resume(_ partitions: [TopicPartition]) async throws {
        try broker.setPaused(group: config.groupId, member: try member(), partitions: partitions, paused: false)
    }

    /// The partitions this member holds now.
    public func assignment() async -> Set<TopicPartition> {
        state.withLock { $0.assigned }
    }

    /// The next offset `poll` returns for `partition`, or nil before the member has a position there.
    public func position(_ partition: TopicPartition) async throws -> Int64? {
        try broker.positions(group: config.groupId, member: try member())[partition] ?? nil
    }

    /// Records left to read per held partition.
    public func lag() async throws -> [TopicPartition: Int64] {
        try broker.lag(group: config.groupId, member: try member())
    }

    /// Leaves the group, as Kafka's client does on close: the `revoked` callback runs first for
    /// the partitions this member holds (commit there), then they go to the others at once.
    public func close() async throws {
        let (memberId, assigned, listener) = state.withLock { state in
            defer { state.assigned = [] }
            return (state.memberId, state.assigned, state.listener)
        }
        guard let memberId else { return }
        if !assigned.isEmpty { await listener.revoked(assigned.sorted()) }
        state.withLock { $0.memberId = nil }
        try broker.leave(group: config.groupId, member: memberId)
    }

    /// Leaves the group the way a crashed process does, but at once: no `revoked` callback, so
    /// nothing is committed on the way out, and the partitions go to the others now instead of
    /// after the session timeout. For tests and chaos drills of a crash before commit.
    public func crash() {
        guard let memberId = state.withLock({ state -> String? in
            defer { state.memberId = nil; state.assigned = [] }
            return state.memberId
        }) else { return }
        try? broker.leave(group: config.groupId, member: memberId)
    }
}
