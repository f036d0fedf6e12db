import EventCore
import Synchronization

/// A transport that can be taken down: while it is down, producing fails with
/// `BROKER_NOT_AVAILABLE` (consumers keep reading). For chaos in tests and demos: the outbox relay
/// must keep its rows and retry, a processor must stop without committing what it could not
/// dead-letter.
public final class FaultInjectingTransport: Transport {
    public let base: any Transport
    private let down = Mutex(false)

    public init(_ base: any Transport) {
        self.base = base
    }

    public var isDown: Bool {
        get { down.withLock { $0 } }
        set { down.withLock { $0 = newValue } }
    }

    func check() throws(TransportError) {
        if isDown { throw TransportError(.brokerNotAvailable, "the broker is down (fault injected); retry later") }
    }

    public func createTopic(_ name: String, config: TopicConfig) async throws {
        try await base.createTopic(name, config: config)
    }

    public func makeProducer(_ config: ProducerConfig) async throws -> any TransportProducer {
        try check()
        return FaultInjectingProducer(base: try await base.makeProducer(config), transport: self)
    }

    public func makeConsumer(_ config: ConsumerConfig) async throws -> any TransportConsumer {
        try await base.makeConsumer(config)
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
