import EventBroker
import EventTestKit
import EventTestSupport
import Foundation
import Synchronization
import Testing

/// The semantics above the transport seam, run unchanged on every transport: a processor, an
/// outbox relay or a replay relies on each of them, whichever transport it is given.
@Suite("Transport conformance", .serialized)
struct TransportConformanceTests {
    @Test("records come back in order per partition with key, value, headers and timestamp; keys land where murmur2 says",
          arguments: TransportFixture.allCases)
    func roundTripAndPartitioning(fixture: TransportFixture) async throws {
        let under = try await fixture.make(topics: ["orders": 3])
        let producer = try await under.transport.makeProducer(ProducerConfig())
        let headers = [RecordHeader("ce_type", "OrderCreated"), RecordHeader("empty", bytes: [])]
        var records = (0..<30).map { record("orders", key: "key-\($0 % 5)", "value-\($0)", headers: headers) }
        records[0].timestamp = 1_700_000_000_123
        let metadata = try await producer.send(records)
        #expect(metadata.count == 30 && metadata.allSatisfy { $0.offset >= 0 && $0.topic == "orders" })
        await producer.close()

        let consumer = try await under.transport.makeConsumer(under.consumer("readers"))
        try await consumer.subscribe(["orders"])
        let read = try await drain(consumer, count: 30)
        try await consumer.close()
        #expect(read.count == 30)
        let first = try #require(read.first { $0.text == "value-0" })
        #expect(first.keyText == "key-0" && first.headers == headers && first.timestamp == 1_700_000_000_123)
        for key in 0..<5 {
            let sameKey = read.filter { $0.keyText == "key-\(key)" }
            #expect(Set(sameKey.map(\.partition)) == [Murmur2.partition(forKey: Array("key-\(key)".utf8), partitions: 3)])
            #expect(sameKey.map(\.text) == (0..<30).filter { $0 % 5 == key }.map { "value-\($0)" })
        }
        for (index, sent) in metadata.enumerated() {
            let got = try #require(read.first { $0.text == "value-\(index)" })
            #expect(got.partition == sent.partition && got.offset == sent.offset)
        }
    }

    @Test("a commit is where the group's next member starts, and close() runs the revoked callback first",
          arguments: TransportFixture.allCases)
    func commitsAndHandOverOnClose(fixture: TransportFixture) async throws {
        let under = try await fixture.make(topics: ["events": 1])
        try await under.fill("events", partition: 0, count: 10)
        let revoked = Mutex<[TopicPartition]>([])
        let first = try await under.transport.makeConsumer(under.consumer("group"))
        try await first.subscribe(["events"], listener: RebalanceListener(revoked: { partitions in
            revoked.withLock { $0 += partitions }
            // What a processor does: commit what was handled before the partition goes.
            try? await first.commit([TopicPartition("events", 0): 6])
        }))
        #expect(try await drain(first, count: 10).map(\.text) == (0..<10).map { "v\($0)" })
        try await first.commit([TopicPartition("events", 0): 4])
        #expect(try await first.position(TopicPartition("events", 0)) == 10)
        try await first.close()
        #expect(revoked.withLock { $0 } == [TopicPartition("events", 0)])
        #expect(try await under.groupLag("group", ["events"]) == [TopicPartition("events", 0): 4])

        let second = try await under.transport.makeConsumer(under.consumer("group"))
        try await second.subscribe(["events"])
        #expect(try await drain(second, count: 4).map(\.offset) == [6, 7, 8, 9])
        try await second.close()
    }

    @Test("a member joining takes partitions over only after their owner's revoked callback: nothing lost, and where commits are honoured mid-rebalance, nothing read twice",
          arguments: TransportFixture.allCases)
    func rebalanceHandOver(fixture: TransportFixture) async throws {
        let under = try await fixture.make(topics: ["work": 4])
        for partition in 0..<4 { try await under.fill("work", partition: partition, count: 5, from: partition * 5) }
        let seen = Mutex<[String]>([])
        let first = try await under.transport.makeConsumer(under.consumer("crew", assignment: .cooperativeSticky))
        try await first.subscribe(["work"], listener: RebalanceListener(revoked: { partitions in
            var offsets: [TopicPartition: Int64] = [:]
            for partition in partitions { if let position = try? await first.position(partition) { offsets[partition] = position } }
            try? await first.commit(offsets)
        }))
        let before = try await drain(first, count: 20)
        seen.withLock { $0 += before.map(\.text) }
        try await first.commitPositions()
        for partition in 0..<4 { try await under.fill("work", partition: partition, count: 5, from: 100 + partition * 5) }
        let second = try await under.transport.makeConsumer(under.consumer("crew", assignment: .cooperativeSticky))
        try await second.subscribe(["work"])
        /// One round: both members poll at once (a rebalance runs inside a poll), then commit.
        func round() async throws {
            async let fromFirst = first.poll(max: 100, timeout: .milliseconds(50))
            async let fromSecond = second.poll(max: 100, timeout: .milliseconds(50))
            let batch = try await fromFirst + fromSecond
            seen.withLock { $0 += batch.map(\.text) }
            try await commitAsAProcessorDoes(first)
            try await commitAsAProcessorDoes(second)
        }
        // Until the second has partitions and every record was read between them.
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if Set(seen.withLock { $0 }).count >= 40, !(await second.assignment()).isEmpty { break }
            try await round()
        }
        // Commits refused while the group rebalanced are made good once it has settled.
        for _ in 0..<50 where try await under.groupLag("crew", ["work"]).values.reduce(0, +) > 0 { try await round() }
        let assigned = (await first.assignment(), await second.assignment())
        try await first.close()
        try await second.close()
        let values = seen.withLock { $0 }
        #expect(Set(values).count == 40, "nothing lost: \(values.sorted())")
        if under.honoursCommitsDuringRebalance { #expect(values.count == 40, "nothing read twice: \(values.sorted())") }
        #expect(!assigned.1.isEmpty && assigned.0.isDisjoint(with: assigned.1))
        #expect(try await under.groupLag("crew", ["work"]).values.reduce(0, +) == 0)
    }

    /// Commits positions; a commit refused because the group is rebalancing is Kafka's
    /// CommitFailedException, which a processor logs and goes on from: the revoked callback (or
    /// the next commit) covers those partitions.
    private func commitAsAProcessorDoes(_ consumer: any TransportConsumer) async throws {
        do {
            try await consumer.commitPositions()
        } catch let error as TransportError where error.isCommitRefusedByRebalance {}
    }

    @Test("seek to an offset, the beginning and the end; pause stops a partition, resume restarts it; lag counts what is left",
          arguments: TransportFixture.allCases)
    func seekPauseResumeLag(fixture: TransportFixture) async throws {
        let under = try await fixture.make(topics: ["events": 1])
        try await under.fill("events", partition: 0, count: 10)
        let partition = TopicPartition("events", 0)
        let consumer = try await under.transport.makeConsumer(under.consumer("seekers"))
        try await consumer.subscribe(["events"])
        _ = try await drain(consumer, count: 10)
        #expect(await consumer.assignment() == [partition])

        try await consumer.seek(partition, to: .offset(7))
        #expect(try await drain(consumer, count: 3).map(\.offset) == [7, 8, 9])
        try await consumer.seek(partition, to: .beginning)
        #expect(try await drain(consumer, count: 10).first?.offset == 0)

        try await consumer.pause([partition])
        try await under.fill("events", partition: 0, count: 5, from: 10)
        #expect(try await consumer.poll(max: 100, timeout: .milliseconds(500)).isEmpty)
        #expect(try await consumer.lag()[partition] == 5)
        try await consumer.resume([partition])
        #expect(try await drain(consumer, count: 5).map(\.offset) == [10, 11, 12, 13, 14])
        #expect(try await consumer.lag()[partition] == 0)

        try await consumer.seek(partition, to: .end)
        // librdkafka resolves "end" with an offset lookup of its own: nothing old arrives meanwhile.
        #expect(try await consumer.poll(max: 100, timeout: .milliseconds(500)).isEmpty)
        try await under.fill("events", partition: 0, count: 1, from: 15)
        #expect(try await drain(consumer, count: 1).map(\.offset) == [15])
        await #expect(throws: TransportError.self) { try await consumer.seek(TopicPartition("events", 3), to: .beginning) }
        try await consumer.close()
        await #expect(throws: TransportError.self) { _ = try await consumer.poll(max: 1, timeout: .zero) }
    }

    @Test("a transaction's records and its consumer offsets are committed together; an aborted one's records are not read committed",
          arguments: TransportFixture.allCases)
    func transactions(fixture: TransportFixture) async throws {
        let under = try await fixture.make(topics: ["in": 1, "out": 1])
        let producer = try await under.transport.makeProducer(ProducerConfig(transactionalId: "transformer-1"))
        try await producer.beginTransaction()
        _ = try await producer.send([record("out", key: "k", "transformed")])
        try await producer.sendOffsetsToTransaction([TopicPartition("in", 0): 42], group: "transformers")
        try await producer.commitTransaction()
        try await producer.beginTransaction()
        _ = try await producer.send([record("out", key: "k", "aborted")])
        try await producer.abortTransaction()
        try await producer.beginTransaction()
        _ = try await producer.send([record("out", key: "k", "after")])
        try await producer.commitTransaction()
        await producer.close()

        var config = under.consumer("readers")
        config.isolation = .readCommitted
        let reader = try await under.transport.makeConsumer(config)
        try await reader.subscribe(["out"])
        let read = try await drain(reader, count: under.hidesAbortedRecords ? 2 : 3).map(\.text)
        try await reader.close()
        #expect(read.first == "transformed" && read.last == "after")
        if under.hidesAbortedRecords { #expect(read == ["transformed", "after"]) }
        // The group's offset arrived with the first commit.
        #expect(try await under.groupLag("transformers", ["in"]) == [TopicPartition("in", 0): 0])
    }

    @Test("the errors above the seam are the same TransportError codes on every transport",
          arguments: TransportFixture.allCases)
    func sharedErrorCodes(fixture: TransportFixture) async throws {
        let under = try await fixture.make(topics: ["events": 2])
        let producer = try await under.transport.makeProducer(ProducerConfig())
        let unknown = await #expect(throws: TransportError.self) { _ = try await producer.send([record("events", key: nil, "x", partition: 7)]) }
        #expect(unknown?.code == .unknownTopicOrPartition)
        await producer.close()
        let closed = await #expect(throws: TransportError.self) { _ = try await producer.send([record("events", key: nil, "x")]) }
        #expect(closed?.code == .closed)
        let exists = await #expect(throws: TransportError.self) { try await under.transport.createTopic("events", config: TopicConfig(partitions: 2)) }
        #expect(exists?.code == .topicAlreadyExists)
        // Kafka's broker refuses such a name with INVALID_TOPIC_EXCEPTION; the in-process broker and
        // the Kafka transport (before any request, so on the mock cluster too) refuse it alike.
        for name in ["../etc", "", String(repeating: "t", count: 250), "with space"] {
            let invalid = await #expect(throws: TransportError.self) { try await under.transport.createTopic(name, config: TopicConfig(partitions: 1)) }
            #expect(invalid?.code == .invalidTopic, "\(name)")
        }
    }
}
