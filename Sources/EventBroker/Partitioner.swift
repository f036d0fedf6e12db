import EventTransport

/// Kafka's murmur2, bit for bit as the Java client's `Utils.murmur2`: the same key lands on the
/// same partition here, under librdkafka's `murmur2_random` and under a Java producer.
public enum Murmur2 {
    /// The signed 32-bit hash of `bytes` (Java's `int`).
    public static func hash(_ bytes: some Collection<UInt8>) -> Int32 {
        let m: UInt32 = 0x5bd1_e995
        let length = bytes.count
        var h: UInt32 = 0x9747_b28c ^ UInt32(truncatingIfNeeded: length)
        var iterator = bytes.makeIterator()
        for _ in 0..<(length / 4) {
            var k = UInt32(iterator.next() ?? 0)
            k |= UInt32(iterator.next() ?? 0) << 8
            k |= UInt32(iterator.next() ?? 0) << 16
            k |= UInt32(iterator.next() ?? 0) << 24
            k &*= m
            k ^= k >> 24
            k &*= m
            h &*= m
            h ^= k
        }
        let tail = length % 4
        if tail > 0 {
            var rest: [UInt32] = []
            while let byte = iterator.next() { rest.append(UInt32(byte)) }
            if tail == 3 { h ^= rest[2] << 16 }
            if tail >= 2 { h ^= rest[1] << 8 }
            h ^= rest[0]
            h &*= m
        }
        h ^= h >> 13
        h &*= m
        h ^= h >> 15
        return Int32(bitPattern: h)
    }

    /// The partition Kafka's default partitioner picks for a key: `toPositive(murmur2(key)) % n`.
    public static func partition(forKey key: some Collection<UInt8>, partitions: Int) -> Int {
        precondition(partitions > 0, "a topic has at least one partition")
        return Int(hash(key) & 0x7fff_ffff) % partitions
    }
}

/// Kafka's sticky partitioner for records without a key (KIP-480): fill one partition's batch,
/// then move to another, so keyless records form large batches instead of one per partition.
public struct StickyPartitioner: Sendable {
    /// How many value bytes go to one partition before moving on (Kafka's `batch.size`).
    public var batchBytes: Int
    private var current: [String: (partition: Int, bytes: Int)] = [:]
    private var generator: SplitMix64

    /// A partitioner moving on after `batchBytes` value bytes; `seed` picks its partitions (tests fix it).
    public init(batchBytes: Int = 16_384, seed: UInt64 = UInt64.random(in: 0...UInt64.max)) {
        self.batchBytes = max(1, batchBytes)
        self.generator = SplitMix64(seed: seed)
    }

    /// The partition for a keyless record of `valueBytes` bytes to `topic`, which has `partitions` partitions.
    public mutating func partition(topic: String, partitions: Int, valueBytes: Int) -> Int {
        if var sticky = current[topic], sticky.partition < partitions, sticky.bytes < batchBytes {
            sticky.bytes += valueBytes
            current[topic] = sticky
            return sticky.partition
        }
        let previous = current[topic]?.partition
        var next = Int(generator.next() % UInt64(partitions))
        if partitions > 1, next == previous { next = (next + 1) % partitions }
        current[topic] = (next, valueBytes)
        return next
    }
}
