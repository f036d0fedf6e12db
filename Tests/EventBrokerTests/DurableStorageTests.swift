import EventBroker
import EventTestKit
import EventTestSupport
import Foundation
import Testing

@Suite("Durable storage")
struct DurableStorageTests {
    private func open(_ directory: String, segmentBytes: Int = 16 << 20) async throws -> InProcessBroker {
        try await makeBroker(["t": 2], storage: .directory(directory), config: { TopicConfig(partitions: $0, segmentBytes: segmentBytes) })
    }

    private func segmentFiles(_ directory: String, partition: Int = 0) -> [String] {
        let folder = directory + "/topics/t-\(partition)"
        return ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".log") }.sorted()
            .map { folder + "/" + $0 }
    }

    private func texts(_ broker: InProcessBroker, group: String = UUID().uuidString, count: Int) async throws -> [String] {
        let consumer = try await broker.makeConsumer(ConsumerConfig(groupId: group, offsetReset: .earliest, isolation: .readCommitted))
        try await consumer.subscribe(["t"])
        return try await drain(consumer, count: count).sorted { ($0.partition, $0.offset) < ($1.partition, $1.offset) }.map(\.text)
    }

    @Test("records, topics and committed group offsets survive closing and reopening")
    func reopenKeepsEverything() async throws {
        let directory = temporaryDirectory()
        do {
            let broker = try await open(directory)
            let producer = try await broker.makeProducer(ProducerConfig(acks: .all))
            _ = try await producer.send((0..<5).map { record("t", key: nil, "r\($0)", partition: 0) })
            let consumer = try await broker.makeConsumer(ConsumerConfig(groupId: "g", offsetReset: .earliest))
            try await consumer.subscribe(["t"])
            _ = try await consumer.poll(max: 3, timeout: .seconds(1))
            try await consumer.commitPositions()
            broker.close()
        }
        let reopened = try await open(directory)
        #expect(reopened.topicNames() == ["t"])
        #expect(try reopened.offsets(of: TopicPartition("t", 0)).end == 5)
        #expect(reopened.committedOffsets(group: "g")[TopicPartition("t", 0)] == 3)
        #expect((reopened.committedOffsets(group: "g")[TopicPartition("t", 1)] ?? 0) == 0)
        let consumer = try await reopened.makeConsumer(ConsumerConfig(groupId: "g", offsetReset: .earliest))
        try await consumer.subscribe(["t"])
        #expect(try await drain(consumer, count: 2).map(\.text) == ["r3", "r4"])
        let again = try await reopened.makeProducer(ProducerConfig())
        #expect(try await again.send([record("t", key: nil, "r5", partition: 0)])[0].offset == 5)
    }

    @Test("a torn tail (half a frame) is cut on reopen and appends continue at the next offset")
    func tornTailIsTruncated() async throws {
        let directory = temporaryDirectory()
        do {
            let broker = try await open(directory)
            let producer = try await broker.makeProducer(ProducerConfig())
            _ = try await producer.send((0..<3).map { record("t", key: nil, "r\($0)", partition: 0) })
            broker.close()
        }
        let file = try #require(segmentFiles(directory).last)
        let intact = try Data(contentsOf: URL(fileURLWithPath: file))
        // A frame header promising 80 bytes, then only 10 of them: the crash came mid-write.
        var torn = intact
        torn.append(contentsOf: [80, 0, 0, 0, 1, 2, 3, 4] + [UInt8](repeating: 9, count: 10))
        try torn.write(to: URL(fileURLWithPath: file))

        let reopened = try await open(directory)
        #expect(try Data(contentsOf: URL(fileURLWithPath: file)) == intact)
        #expect(try await texts(reopened, count: 3) == ["r0", "r1", "r2"])
        let producer = try await reopened.makeProducer(ProducerConfig())
        #expect(try await producer.send([record("t", key: nil, "r3", partition: 0)])[0].offset == 3)
    }

    @Test("a batch written only in part is dropped whole: it was never acknowledged")
    func partialBatchIsDropped() async throws {
        let directory = temporaryDirectory()
        let sizeBefore: Int
        do {
            let broker = try await open(directory)
            let producer = try await broker.makeProducer(ProducerConfig())
            _ = try await producer.send([record("t", key: nil, "single", partition: 0)])
            sizeBefore = try Data(contentsOf: URL(fileURLWithPath: segmentFiles(directory)[0])).count
            _ = try await producer.send((0..<3).map { record("t", key: nil, "batch-\($0)", partition: 0) })
            broker.close()
        }
        let file = segmentFiles(directory)[0]
        let full = try Data(contentsOf: URL(fileURLWithPath: file))
        // Keep the first two records of the batch (each frame is the same size): intact frames, incomplete batch.
        let frame = (full.count - sizeBefore) / 3
        try full.prefix(sizeBefore + 2 * frame).write(to: URL(fileURLWithPath: file))
        // As after a crash during that write: no checkpoint could cover the batch yet.
        try RecoveryCheckpointFile.remove(in: directory)
        let reopened = try await open(directory)
        #expect(try reopened.offsets(of: TopicPartition("t", 0)).end == 1)
        #expect(try Data(contentsOf: URL(fileURLWithPath: file)).count == sizeBefore)
    }

    @Test("the idempotence table survives a restart: a resend after reopening is recognised")
    func producerStateSurvivesRestart() async throws {
        let directory = temporaryDirectory()
        let partition = TopicPartition("t", 1)
        let batch = [record("t", key: nil, "a"), record("t", key: nil, "b")]
        let identity = ProducerIdentity(producerId: 77, epoch: 3, baseSequence: 0)
        do {
            let broker = try await open(directory)
            #expect(try await broker.append(batch, to: partition, producer: identity).map(\.offset) == [0, 1])
            broker.close()
        }
        let reopened = try await open(directory)
        #expect(try await reopened.append(batch, to: partition, producer: identity).map(\.offset) == [0, 1])
        #expect(try reopened.offsets(of: partition).end == 2)
        let next = ProducerIdentity(producerId: 77, epoch: 3, baseSequence: 2)
        #expect(try await reopened.append([record("t", key: nil, "c")], to: partition, producer: next).map(\.offset) == [2])
        #expect(await expectTransportError(.invalidProducerEpoch) {
            _ = try await reopened.append([record("t", key: nil, "d")], to: partition, producer: .init(producerId: 77, epoch: 2, baseSequence: 3))
        })
        // A new producer gets an id above every id in the log.
        let producer = try await reopened.makeProducer(ProducerConfig()) as! BrokerProducer
        #expect(producer.producerId > 77)
    }

    @Test("a transaction left open by a crash is aborted on reopen; its transactional id's epoch moves on")
    func openTransactionIsAbortedOnReopen() async throws {
        let directory = temporaryDirectory()
        do {
            let broker = try await open(directory)
            let producer = try await broker.makeProducer(ProducerConfig(transactionalId: "tx")) as! BrokerProducer
            #expect(producer.epoch == 0)
            try await producer.beginTransaction()
            _ = try await producer.send([record("t", key: nil, "committed", partition: 0)])
            try await producer.commitTransaction()
            try await producer.beginTransaction()
            _ = try await producer.send([record("t", key: nil, "open", partition: 0)])
            broker.close()
        }
        let reopened = try await open(directory)
        let offsets = try reopened.offsets(of: TopicPartition("t", 0))
        #expect(offsets.lastStable == offsets.end)
        #expect(try await texts(reopened, count: 1) == ["committed"])
        let successor = try await reopened.makeProducer(ProducerConfig(transactionalId: "tx")) as! BrokerProducer
        #expect(successor.epoch == 1)
    }

    @Test("many concurrent acks=all sends all complete, sharing fsyncs, and all are there after reopening")
    func concurrentAcksAllSends() async throws {
        let directory = temporaryDirectory()
        do {
            let broker = try await open(directory)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for task in 0..<8 {
                    group.addTask {
                        let producer = try await broker.makeProducer(ProducerConfig(acks: .all))
                        for round in 0..<25 {
                            _ = try await producer.send((0..<4).map { record("t", key: "k\(task)", "\(task)-\(round)-\($0)") })
                        }
                    }
                }
                try await group.waitForAll()
            }
            broker.close()
        }
        let reopened = try await open(directory)
        let total = try (0..<2).reduce(Int64(0)) { $0 + (try reopened.offsets(of: TopicPartition("t", $1)).end) }
        #expect(total == 800)
    }

    @Test("a producer whose records retention deleted keeps its duplicate detection across a restart (the snapshot)")
    func producerStateOutlivesRetention() async throws {
        let directory = temporaryDirectory()
        let partition = TopicPartition("t", 0)
        let config = { (partitions: Int) in TopicConfig(partitions: partitions, retentionBytes: 600, segmentBytes: 300) }
        let quiet = ProducerIdentity(producerId: 500, epoch: 0, baseSequence: 0)
        let batch = [record("t", key: nil, "quiet")]
        do {
            let broker = try await makeBroker(["t": 1], storage: .directory(directory), config: config)
            #expect(try await broker.append(batch, to: partition, producer: quiet).map(\.offset) == [0])
            let busy = try await broker.makeProducer(ProducerConfig())
            for index in 0..<40 { _ = try await busy.send([record("t", key: nil, "busy-\(index)", partition: 0)]) }
            try broker.enforceRetention()
            #expect(try broker.offsets(of: partition).start > 0)
            broker.close()
        }
        let reopened = try await makeBroker(["t": 1], storage: .directory(directory), config: config)
        let end = try reopened.offsets(of: partition).end
        #expect(try await reopened.append(batch, to: partition, producer: quiet).map(\.offset) == [0])
        #expect(try reopened.offsets(of: partition).end == end)
        let next = ProducerIdentity(producerId: 500, epoch: 0, baseSequence: 1)
        #expect(try await reopened.append(batch, to: partition, producer: next).map(\.offset) == [end])
    }

    @Test("a folder open in one broker is refused to a second, until the first closes")
    func folderIsLocked() async throws {
        let directory = temporaryDirectory()
        let first = try await open(directory)
        #expect(await expectTransportError(.storage) { _ = try InProcessBroker(.testing(storage: .directory(directory))) })
        first.close()
        _ = try await open(directory)
    }

    @Test("retention deletes segment files, and a reopened log starts where retention left it")
    func retentionDeletesFiles() async throws {
        let directory = temporaryDirectory()
        let clock = ManualClock()
        let config = { (partitions: Int) in TopicConfig(partitions: partitions, retentionMilliseconds: 1_000, segmentBytes: 300) }
        do {
            let broker = try await makeBroker(["t": 1], clock: clock, storage: .directory(directory), config: config)
            let producer = try await broker.makeProducer(ProducerConfig())
            for index in 0..<12 { _ = try await producer.send([record("t", key: nil, "r\(index)")]) }
            let before = segmentFiles(directory).count
            clock.advance(by: .seconds(10))
            _ = try await producer.send([record("t", key: nil, "new")])
            try broker.enforceRetention()
            #expect(segmentFiles(directory).count < before)
            broker.close()
        }
        let reopened = try await makeBroker(["t": 1], clock: clock, storage: .directory(directory), config: config)
        let offsets = try reopened.offsets(of: TopicPartition("t", 0))
        #expect(offsets.start > 0 && offsets.end == 13)
    }
}
