import EventCore
import EventTransport
import Synchronization

/// Loses the acknowledgement of some sends after the broker stored them: the relay's view of a
/// crash between sending and marking, which must end in a resend, never a loss.
public final class LossyAcknowledgements: Transport {
    let base: any Transport
    let chance: Double
    let generator: Mutex<SplitMix64>

    /// Passes everything to `base`, and fails a send, after `base` stored it, with probability
    /// `chance` (0...1), drawn from `seed`.
    public init(_ base: any Transport, chance: Double, seed: UInt64) {
        self.base = base
        self.chance = chance
        generator = Mutex(SplitMix64(seed: seed))
    }

    /// Creates the topic on `base`.
    public func createTopic(_ name: String, config: TopicConfig) async throws { try await base.createTopic(name, config: config) }
    /// A consumer of `base`, unchanged.
    public func makeConsumer(_ config: ConsumerConfig) async throws -> any TransportConsumer { try await base.makeConsumer(config) }
    /// A producer of `base` whose acknowledgements are lost now and then.
    public func makeProducer(_ config: ProducerConfig) async throws -> any TransportProducer {
        Producer(base: try await base.makeProducer(config), owner: self)
    }

    func losesNext() -> Bool { generator.withLock { Double($0.next() % 1_000) / 1_000 < chance } }

    /// A producer whose sends' acknowledgements are lost now and then.
    public final class Producer: TransportProducer {
        let base: any TransportProducer
        let owner: LossyAcknowledgements
        init(base: any TransportProducer, owner: LossyAcknowledgements) {
            self.base = base
            self.owner = owner
        }
        /// Sends through `base`; then, now and then, throws as if the acknowledgement was lost.
        public func send(_ records: [OutgoingRecord]) async throws -> [RecordMetadata] {
            let metadata = try await base.send(records)
            if owner.losesNext() { throw TransportError(.brokerNotAvailable, "acknowledgement lost (simulated)") }
            return metadata
        }
        /// `base`'s.
        public func beginTransaction() async throws { try await base.beginTransaction() }
        /// `base`'s.
        public func sendOffsetsToTransaction(_ offsets: [TopicPartition: Int64], group: String) async throws {
            try await base.sendOffsetsToTransaction(offsets, group: group)
        }
        /// `base`'s.
        public func commitTransaction() async throws { try await base.commitTransaction() }
        /// `base`'s.
        public func abortTransaction() async throws { try await base.abortTransaction() }
        /// `base`'s.
        public func close() async { await base.close() }
    }
}
