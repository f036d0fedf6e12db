import EventCore

/// The seam between the runtime and a log: the in-process broker implements it, and so does the
/// Kafka transport, so a processor, a publisher or an outbox relay runs unchanged on either.
public protocol Transport: Sendable {
    func createTopic(_ name: String, config: TopicConfig) async throws
    func makeProducer(_ config: ProducerConfig) async throws -> any TransportProducer
    func makeConsumer(_ config: ConsumerConfig) async throws -> any TransportConsumer
}

public protocol TransportProducer: EventSink {
    /// Sends records and returns where each was stored, in the order given. With `acks: all` on a
    /// durable log, returns once they are on disk.
    func send(_ records: [OutgoingRecord]) async throws -> [RecordMetadata]
    func beginTransaction() async throws
    /// Commits a consumer group's offsets as part of the transaction (consume-transform-produce).
    func sendOffsetsToTransaction(_ offsets: [TopicPartition: Int64], group: String) async throws
    func commitTransaction() async throws
    func abortTransaction() async throws
    func close() async
}

extension TransportProducer {
    public func send(_ record: OutgoingRecord) async throws {
        _ = try await send([record])
    }
}

public protocol TransportConsumer: Sendable {
    /// Joins the group for these topics; partitions arrive through `poll` (and the listener).
    func subscribe(_ topics: [String], listener: RebalanceListener) async throws
    /// Up to `max` records from the assigned partitions, waiting at most `timeout` when none are ready.
    func poll(max: Int, timeout: Duration) async throws -> [ConsumerRecord]
    /// Commits explicit offsets: for each partition, the next offset to read.
    func commit(_ offsets: [TopicPartition: Int64]) async throws
    func seek(_ partition: TopicPartition, to position: SeekPosition) async throws
    func pause(_ partitions: [TopicPartition]) async throws
    func resume(_ partitions: [TopicPartition]) async throws
    func assignment() async -> Set<TopicPartition>
    func position(_ partition: TopicPartition) async throws -> Int64?
    /// Records left to read per assigned partition.
    func lag() async throws -> [TopicPartition: Int64]
    /// Leaves the group (its partitions go to the others at once).
    func close() async throws
}

extension TransportConsumer {
    public func subscribe(_ topics: [String]) async throws {
        try await subscribe(topics, listener: RebalanceListener())
    }
}

/// Called around rebalances, from inside `poll`: commit in `revoked` to hand a partition over
/// without redelivery.
public struct RebalanceListener: Sendable {
    public var assigned: @Sendable ([TopicPartition]) async -> Void
    public var revoked: @Sendable ([TopicPartition]) async -> Void
    /// The partitions were taken away without a chance to commit (the session expired).
    public var lost: @Sendable ([TopicPartition]) async -> Void

    public init(
        assigned: @escaping @Sendable ([TopicPartition]) async -> Void = { _ in },
        revoked: @escaping @Sendable ([TopicPartition]) async -> Void = { _ in },
        lost: @escaping @Sendable ([TopicPartition]) async -> Void = { _ in }
    ) {
        self.assigned = assigned
        self.revoked = revoked
        self.lost = lost
    }
}

public enum SeekPosition: Sendable, Hashable {
    case offset(Int64)
    case beginning
    case end
    /// The first offset whose timestamp (ms since 1970) is at or after this one.
    case timestamp(Int64)
}

public enum OffsetReset: String, Sendable, Hashable {
    case earliest, latest
    /// Throw `NO_OFFSET_FOR_PARTITION` / `OFFSET_OUT_OF_RANGE` instead of guessing.
    case none
}

public enum IsolationLevel: String, Sendable, Hashable {
    case readUncommitted = "read_uncommitted"
    case readCommitted = "read_committed"
}

public enum AssignmentStrategy: String, Sendable, Hashable {
    /// Per topic, consecutive partitions per member (Kafka's `range`). Eager: all revoked on rebalance.
    case range
    /// All partitions dealt out in turn (Kafka's `roundrobin`). Eager.
    case roundRobin = "roundrobin"
    /// Balanced, keeping what each member had; only moved partitions are revoked (incremental).
    case cooperativeSticky = "cooperative-sticky"

    package var isCooperative: Bool { self == .cooperativeSticky }
}

public struct ProducerConfig: Sendable, Hashable {
    /// `none`: answer at once, no offsets; `leader`: once stored (written to the OS when durable);
    /// `all`: once stored and, when durable, fsynced (group commit).
    public var acks: DeliveryPolicy.Acks
    /// Producer id + epoch + per-partition sequences: a resent batch is stored once.
    public var idempotent: Bool
    /// Enables transactions; a new producer with the same id fences the old one.
    public var transactionalId: String?
    /// Keyless records stay on one partition for this many value bytes (Kafka's `batch.size`).
    public var stickyBatchBytes: Int

    public init(
        acks: DeliveryPolicy.Acks = .all, idempotent: Bool = true, transactionalId: String? = nil,
        stickyBatchBytes: Int = 16_384
    ) {
        self.acks = acks
        self.idempotent = idempotent || transactionalId != nil
        self.transactionalId = transactionalId
        self.stickyBatchBytes = stickyBatchBytes
    }
}

public struct ConsumerConfig: Sendable, Hashable {
    public var groupId: String
    /// Where to start without a committed offset, or when it fell out of the log (Kafka: latest).
    public var offsetReset: OffsetReset
    public var isolation: IsolationLevel
    public var assignment: AssignmentStrategy
    /// A member that does not poll for this long is removed and its partitions reassigned.
    public var sessionTimeout: Duration
    /// Commit positions on poll this often; nil (the default) leaves commits to the application.
    public var autoCommitInterval: Duration?

    public init(
        groupId: String, offsetReset: OffsetReset = .latest, isolation: IsolationLevel = .readUncommitted,
        assignment: AssignmentStrategy = .range, sessionTimeout: Duration = .seconds(45),
        autoCommitInterval: Duration? = nil
    ) {
        self.groupId = groupId
        self.offsetReset = offsetReset
        self.isolation = isolation
        self.assignment = assignment
        self.sessionTimeout = sessionTimeout
        self.autoCommitInterval = autoCommitInterval
    }
}

extension Duration {
    /// Whole milliseconds (what Kafka's settings and timeouts take).
    public var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}

extension TransportConsumer {
    /// Commits the current position of every assigned partition (what has been polled).
    public func commitPositions() async throws {
        var offsets: [TopicPartition: Int64] = [:]
        for partition in await assignment() {
            if let position = try await position(partition) { offsets[partition] = position }
        }
        try await commit(offsets)
    }
}
