import EventCore
import EventTransport
import Synchronization

/// A transport that can be taken down: while it is down, producing fails with
/// `BROKER_NOT_AVAILABLE` (consumers keep reading). For chaos in tests and demos: the outbox relay
/// must keep its rows and retry, a processor must stop without committing what it could not
/// dead-letter. With `crashesConsumersOnClose`, its consumers leave their group as crashed ones
/// do (where the transport can: `CrashableConsumer`), so a stopped processor commits nothing.
public final class FaultInjectingTransport: Transport {
    /// The transport it passes everything to while up.
    public let base: any Transport
    private let down = Mutex(false)
    private let crashing = Mutex(false)

    /// `base`, up, its consumers closing normally.
    public init(_ base: any Transport) {
        self.base = base
    }

    /// While set, producing and committing a transaction fail with `BROKER_NOT_AVAILABLE`.
    public var isDown: Bool {
        get { down.withLock { $0 } }
        set { down.withLock { $0 = newValue } }
    }

    /// Consumers made from now on, and closed while this is set, crash instead of closing.
    public var crashesConsumersOnClose: Bool {
        get { crashing.withLock { $0 } }
        set { crashing.withLock { $0 = newValue } }
    }

    func check() throws(TransportError) {
        if isDown { throw TransportError(.brokerNotAvailable, "the broker is down (fault injected); retry later") }
    }

    /// Creates the topic on `base`, up or down.
    public func createTopic(_ name: String, config: TopicConfig) async throws {
        try await base.createTopic(name, config: config)
    }

    /// A producer of `base` that fails while the transport is down.
    public func makeProducer(_ config: ProducerConfig) async throws -> any TransportProducer {
        try check()
        return FaultInjectingProducer(base: try await base.makeProducer(config), transport: self)
    }

    /// A consumer of `base`, which crashes on close while `crashesConsumersOnClose` is set.
    public func makeConsumer(_ config: ConsumerConfig) async throws -> any TransportConsumer {
        FaultInjectingConsumer(base: try await base.makeConsumer(config), transport: self)
    }
}

private final class FaultInjectingConsumer: TransportConsumer {
    let base: any TransportConsumer
    let transport: FaultInjectingTransport

    init(base: any TransportConsumer, transport: FaultInjectingTransport) {
        self.base = base
        self.transport = transport
    }

    func subscribe(_ topics: [String], listener: RebalanceListener) async throws { try await base.subscribe(topics, listener: listener) }
    func poll(max: Int, timeout: Duration) async throws -> [ConsumerRecord] { try await base.poll(max: max, timeout: timeout) }
    func commit(_ offsets: [TopicPartition: Int64]) async throws { try await base.commit(offsets) }
    func seek(_ partition: TopicPartition, to position: SeekPosition) async throws { try await base.seek(partition, to: position) }
    func pause(_ partitions: [TopicPartition]) async throws { try await base.pause(partitions) }
    func resume(_ partitions: [TopicPartition]) async throws { try await base.resume(partitions) }
    func assignment() async -> Set<TopicPartition> { await base.assignment() }
    func position(_ partition: TopicPartition) async throws -> Int64? { try await base.position(partition) }
    func lag() async throws -> [TopicPartition: Int64] { try await base.lag() }

    func close() async throws {
        if transport.crashesConsumersOnClose, let crashable = base as? any CrashableConsumer {
            crashable.crash()
        } else {
            try await base.close()
        }
    }
}

private final class FaultInjectingProducer: TransportProducer {
    let base: any TransportProducer
    let transport: FaultInjectingTransport

    init(base: any TransportProducer, transport: FaultInjectingTransport) {
        self.base = base
        self.transport = transport
    }

    func send(_ records: [OutgoingRecord]) async throws -> [RecordMetadata] {
        try transport.check()
        return try await base.send(records)
    }

    func beginTransaction() async throws { try await base.beginTransaction() }

    func sendOffsetsToTransaction(_ offsets: [TopicPartition: Int64], group: String) async throws {
        try await base.sendOffsetsToTransaction(offsets, group: group)
    }

    func commitTransaction() async throws {
        try transport.check()
        try await base.commitTransaction()
    }

    func abortTransaction() async throws { try await base.abortTransaction() }

    func close() async { await base.close() }
}
