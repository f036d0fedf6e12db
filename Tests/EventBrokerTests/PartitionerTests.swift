import EventBroker
import EventTestSupport
import Testing

@Suite("Partitioning")
struct PartitionerTests {
    @Test(
        "murmur2 matches Kafka's Java client bit for bit",
        arguments: [
            ("21", -973_932_308), ("foobar", -790_332_482), ("a-little-bit-long-string", -985_981_536),
            ("a-little-bit-longer-string", -1_486_304_829), ("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58_897_971),
            ("abc", 479_470_107),
        ] as [(String, Int32)])
    func murmur2Vectors(key: String, expected: Int32) {
        #expect(Murmur2.hash(Array(key.utf8)) == expected)
    }

    @Test("a key's partition is toPositive(murmur2) % partitions, and every send of the key lands there")
    func keyedRecordsLandOnTheMurmur2Partition() async throws {
        #expect(Murmur2.partition(forKey: Array("foobar".utf8), partitions: 12) == Int(Int32(-790_332_482) & 0x7fff_ffff) % 12)
        let broker = try await makeBroker(["t": 12])
        let producer = try await broker.makeProducer(ProducerConfig())
        for key in ["21", "foobar", "abc", "order-42"] {
            let expected = Murmur2.partition(forKey: Array(key.utf8), partitions: 12)
            let sent = try await producer.send([record("t", key: key, "1"), record("t", key: key, "2")])
            #expect(sent.map(\.partition) == [expected, expected])
        }
    }

    @Test("keyless records stick to one partition per batch, then move on to the others")
    func stickyPartitionerForKeylessRecords() async throws {
        let broker = try await makeBroker(["t": 4])
        let producer = try await broker.makeProducer(ProducerConfig(stickyBatchBytes: 100))
        var seen = Set<Int>()
        for round in 0..<40 {
            // Ten 10-byte values fill one 100-byte sticky batch: all on one partition.
            let sent = try await producer.send((0..<10).map { _ in record("t", key: nil, "round-\(round + 1000)") })
            #expect(Set(sent.map(\.partition)).count == 1)
            seen.formUnion(sent.map(\.partition))
        }
        #expect(seen == [0, 1, 2, 3])
    }

    @Test("consecutive sticky batches never repeat a partition when there is another")
    func stickyMovesToADifferentPartition() {
        var sticky = StickyPartitioner(batchBytes: 10, seed: 7)
        var previous = sticky.partition(topic: "t", partitions: 3, valueBytes: 10)
        for _ in 0..<100 {
            let next = sticky.partition(topic: "t", partitions: 3, valueBytes: 10)
            #expect(next != previous)
            previous = next
        }
    }
}

@Suite("CRC-32C")
struct CRC32CTests {
    @Test("the check value of \"123456789\" is 0xE3069283 (RFC 3720)")
    func checkValue() {
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
        #expect(CRC32C.checksum([]) == 0)
    }

    @Test("slice-by-8 agrees with the bitwise definition on every length and alignment")
    func sliceBy8MatchesBitwise() {
        var generator = SplitMix64(seed: 42)
        for length in 0..<80 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            var crc: UInt32 = 0xFFFF_FFFF
            for byte in bytes {
                crc ^= UInt32(byte)
                for _ in 0..<8 { crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
            }
            #expect(CRC32C.checksum(bytes) == ~crc, "length \(length)")
            // Continuing from a prefix's checksum gives the whole checksum.
            let split = length / 3
            let prefix = CRC32C.checksum(Array(bytes[..<split]))
            let whole = bytes[split...].withUnsafeBytes { CRC32C.checksum($0, continuing: prefix) }
            #expect(whole == ~crc)
        }
    }
}
