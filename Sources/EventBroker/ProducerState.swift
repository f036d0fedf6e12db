import EventTransport

/// What a partition remembers per idempotent producer: its epoch, the last sequence it wrote and
/// its last five batches, so a resent batch (a retry after a lost acknowledgement) is answered
/// with its original offsets instead of being stored twice. Five is Kafka's in-flight limit.
struct ProducerEntry: Sendable, Hashable {
    var epoch: Int16
    var lastSequence: Int32
    var recentBatches: [Batch]

    struct Batch: Sendable, Hashable {
        var firstSequence: Int32
        var lastSequence: Int32
        var baseOffset: Int64
    }

    static let rememberedBatches = 5

    enum Verdict: Equatable {
        case append
        case duplicate(baseOffset: Int64)
    }

    /// Whether a batch of `count` records starting at `identity.baseSequence` is new, a resend, or refused.
    static func check(_ entry: ProducerEntry?, _ identity: ProducerIdentity, count: Int, partition: TopicPartition)
        throws(TransportError) -> Verdict
    {
        let first = identity.baseSequence
        let last = sequence(first, plus: count - 1)
        guard let entry, identity.epoch == entry.epoch else {
            if let entry, identity.epoch < entry.epoch {
                throw TransportError(
                    .invalidProducerEpoch,
                    "producer \(identity.producerId) epoch \(identity.epoch) is older than epoch \(entry.epoch) on \(partition): a newer instance took over; close this one")
            }
            guard first == 0 else {
                throw TransportError(
                    .outOfOrderSequence,
                    "producer \(identity.producerId) epoch \(identity.epoch) starts \(partition) at sequence \(first), expected 0")
            }
            return .append
        }
        if let batch = entry.recentBatches.first(where: { $0.firstSequence == first && $0.lastSequence == last }) {
            return .duplicate(baseOffset: batch.baseOffset)
        }
        let expected = sequence(entry.lastSequence, plus: 1)
        guard first == expected else {
            throw TransportError(
                .outOfOrderSequence,
                "producer \(identity.producerId) sent sequence \(first) to \(partition), expected \(expected): a batch is missing or was resent too late to be recognised")
        }
        return .append
    }

    /// The entry after a batch was appended.
    static func recording(
        _ entry: ProducerEntry?, _ identity: ProducerIdentity, count: Int, baseOffset: Int64
    ) -> ProducerEntry {
        var entry = entry ?? ProducerEntry(epoch: identity.epoch, lastSequence: -1, recentBatches: [])
        if entry.epoch != identity.epoch {
            entry = ProducerEntry(epoch: identity.epoch, lastSequence: -1, recentBatches: [])
        }
        let last = sequence(identity.baseSequence, plus: count - 1)
        entry.lastSequence = last
        entry.recentBatches.append(Batch(firstSequence: identity.baseSequence, lastSequence: last, baseOffset: baseOffset))
        if entry.recentBatches.count > rememberedBatches { entry.recentBatches.removeFirst() }
        return entry
    }

    /// Sequences wrap from Int32.max to 0, as Kafka's do.
    static func sequence(_ sequence: Int32, plus count: Int) -> Int32 {
        Int32(truncatingIfNeeded: (Int64(sequence) + Int64(count)) % (Int64(Int32.max) + 1))
    }
}
