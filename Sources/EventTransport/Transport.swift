import EventCore

/// The seam between the runtime and a log: the in-process broker implements it, and so does the
/// Kafka transport, so a processor, a publisher or an outbox relay runs unchanged on either.
public protocol Transport: Sendable {
    /// Creates a topic with `config`'s partitions and retention; throws `TOPIC_ALREADY_EXISTS` if it exists.
    func createTopic(_ name: String, config: TopicConfig) async throws
    /// A producer with `config`'s acknowledgements, idempotence and transactional id.
    func makeProducer(_ config: ProducerConfig) async throws -> any TransportProducer
    /// A consumer in `config`'s group; it reads nothing until it subscribes.
    func makeConsumer(_ config: ConsumerConfig) async throws -> any TransportConsumer
}

/// Sends records to a transport's topics: what a publisher, an outbox relay and the processor's
/// dead-lettering write through.
public protocol TransportProducer: EventSink {
    /// Sends records and returns where each was stored, in the order given. With `acks: all` on a
    /// durable log, returns once they are on disk.
    func send(_ records: [OutgoingRecord]) async throws -> [RecordMetadata]
    /// Starts a transaction: what is sent until it commits is invisible to `read_committed` consumers.
    /// Needs a `transactionalId`.
    func beginTransaction() async throws
    /// Commits a consumer group's offsets as part of the transaction (consume-transform-produce).
    func sendOffsetsToTransaction(_ offsets: [TopicPartition: Int64], group: String) async throws
    /// Makes the transaction's records (and offsets) visible, all at once.
    func commitTransaction() async throws
    /// Discards the transaction's records: `read_committed` consumers never see them.
    func abortTransaction() async throws
    /// Waits for what is in flight, then releases the producer.
    func close() async
}

extension TransportProducer {
    /// Sends one record, as ``EventSink`` requires.
    public func send(_ record: OutgoingRecord) async throws {
        _ = try await send([record])
    }
}

/// Reads a transport's topics as a member of a consumer group: partitions are shared among the
/// group's members, and each member commits how far it got.
public protocol TransportConsumer: Sendable {
    /// Joins the group for these topics; partitions arrive through `poll` (and the listener).
    func subscribe(_ topics: [String], listener: RebalanceListener) async throws
    /// Up to `max` records from the assigned partitions, waiting at most `timeout` when none are ready.
    func poll(max: Int, timeout: Duration) async throws -> [ConsumerRecord]
    /// Commits explicit offsets: for each partition, the next offset to read.
    func commit(_ offsets: [TopicPartition: Int64]) async throws
    /// Moves the next `poll` of `partition` to `position`.
    func seek(_ partition: TopicPartition, to position: SeekPosition) async throws
    /// Stops returning records of `partitions` from `poll`, without leaving the group.
    func pause(_ partitions: [TopicPartition]) async throws
    /// Returns records of `partitions` from `poll` again.
    func resume(_ partitions: [TopicPartition]) async throws
    /// The partitions this member holds now.
    func assignment() async -> Set<TopicPartition>
    /// The next offset `poll` returns for `partition`, or nil before the consumer has a position there.
    func position(_ partition: TopicPartition) async throws -> Int64?
    /// Records left to read per assigned partition.
    func lag() async throws -> [TopicPartition: Int64]
    /// Leaves the group (its partitions go to the others at once).
    func close() async throws
}

extension TransportConsumer {
    /// Joins the group for `topics` without a rebalance listener.
    public func subscribe(_ topics: [String]) async throws {
        try await subscribe(topics, listener: RebalanceListener())
    }
}

/// Called around rebalances, from inside `poll`: commit in `revoked` to hand a partition over
/// without redelivery.
public struct RebalanceListener: Sendable {
    /// Called with the partitions this member was given.
    public var assigned: @Sendable ([TopicPartition]) async -> Void
    /// Called with the partitions about to go to another member: commit what was handled on them here.
    public var revoked: @Sendable ([TopicPartition]) async -> Void
    /// The partitions were taken away without a chance to commit (the session expired).
    public var lost: @Sendable ([TopicPartition]) async -> Void

    /// A listener; each callback does nothing unless given.
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

/// Where a consumer's next read of a partition starts.
public enum SeekPosition: Sendable, Hashable {
    /// At this offset.
    case offset(Int64)
    /// At the first offset still in the log.
    case beginning
    /// After the last record: only what is written from now on.
    case end
    /// The first offset whose timestamp (ms since 1970) is at or after this one.
    case timestamp(Int64)
}

/// Where a group starts reading a partition it has no committed offset for (Kafka's
/// `auto.offset.reset`).
public enum OffsetReset: String, Sendable, Hashable {
    /// `earliest`: from the first record still in the log; `latest`: from the next record written.
    case earliest, latest
    /// Throw `NO_OFFSET_FOR_PARTITION` / `OFFSET_OUT_OF_RANGE` instead of guessing.
    case none
}

/// Whether a consumer sees records of transactions that are open or were aborted (Kafka's
/// `isolation.level`).
public enum IsolationLevel: String, Sendable, Hashable {
    /// Every record, as soon as it is written, aborted transactions' included.
    case readUncommitted = "read_uncommitted"
    /// Records up to the last stable offset, never those of aborted transactions.
    case readCommitted = "read_committed"
}

/// How a group shares partitions among its members (Kafka's `partition.assignment.strategy`).
public enum AssignmentStrategy: String, Sendable, Hashable {
    /// Per topic, consecutive partitions per member (Kafka's `range`). Eager: all revoked on rebalance.
    case range
    /// All partitions dealt out in turn (Kafka's `roundrobin`). Eager.
    case roundRobin = "roundrobin"
    /// Balanced, keeping what each member had; only moved partitions are revoked (incremental).
    case cooperativeSticky = "cooperative-sticky"

    package var isCooperative: Bool { self == .cooperativeSticky }
}

/// How a producer sends: acknowledgements, idempotence, transactions.
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

    /// A producer configuration; idempotence is on by default, and always with a `transactionalId`.
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

/// How a consumer reads: its group, where it starts, what it sees and how partitions are shared.
public struct ConsumerConfig: Sendable, Hashable {
    /// The consumer group: members of one group share the partitions, and each group reads every record.
    public var groupId: String
    /// Where to start without a committed offset, or when it fell out of the log (Kafka: latest).
    public var offsetReset: OffsetReset
    /// Whether records of open or aborted transactions are returned.
    public var isolation: IsolationLevel
    /// How the group shares partitions; every member of a group must use the same one.
    public var assignment: AssignmentStrategy
    /// A member that does not poll for this long is removed and its partitions reassigned.
    public var sessionTimeout: Duration
    /// Commit positions on poll this often; nil (the default) leaves commits to the application.
    public var autoCommitInterval: Duration?

    /// A consumer configuration with Kafka's defaults (`latest`, `read_uncommitted`, `range`, 45 s
    /// sessions, no auto-commit).
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

/// Kafka's settings and timeouts are in milliseconds.
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
