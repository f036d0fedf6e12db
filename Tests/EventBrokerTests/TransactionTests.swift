import EventBroker
import EventTestKit
import EventTestSupport
import Testing

@Suite("Transactions")
struct TransactionTests {
    private func consumer(_ broker: InProcessBroker, _ group: String, _ isolation: IsolationLevel) async throws -> any TransportConsumer {
        let consumer = try await broker.makeConsumer(ConsumerConfig(groupId: group, offsetReset: .earliest, isolation: isolation))
        try await consumer.subscribe(["t", "u"])
        return consumer
    }

    @Test("a committed transaction's records across partitions become visible to read_committed together")
    func commitAcrossPartitions() async throws {
        let broker = try await makeBroker(["t": 2, "u": 1])
        let producer = try await broker.makeProducer(ProducerConfig(transactionalId: "tx"))
        let committed = try await consumer(broker, "c", .readCommitted)
        try await producer.beginTransaction()
        _ = try await producer.send([
            record("t", key: nil, "a", partition: 0), record("t", key: nil, "b", partition: 1), record("u", key: nil, "c", partition: 0),
        ])
        #expect(try await pollAll(committed).isEmpty)
        try await producer.commitTransaction()
        #expect(Set(try await drain(committed, count: 3).map(\.text)) == ["a", "b", "c"])
    }

    @Test("read_committed never sees an aborted record; read_uncommitted sees everything; markers are never delivered")
    func abortedRecordsAreHiddenFromReadCommitted() async throws {
        let broker = try await makeBroker(["t": 1, "u": 1])
        let producer = try await broker.makeProducer(ProducerConfig(transactionalId: "tx"))
        try await producer.beginTransaction()
        _ = try await producer.send([record("t", key: nil, "aborted-1"), record("t", key: nil, "aborted-2")])
        try await producer.abortTransaction()
        try await producer.beginTransaction()
        _ = try await producer.send([record("t", key: nil, "kept")])
        try await producer.commitTransaction()

        let committed = try await consumer(broker, "c", .readCommitted)
        let uncommitted = try await consumer(broker, "u", .readUncommitted)
        let seenCommitted = try await drain(committed, count: 1)
        #expect(seenCommitted.map(\.text) == ["kept"])
        #expect(seenCommitted.map(\.offset) == [3])  // offsets 2 and 4 are the two markers
        #expect(try await drain(uncommitted, count: 3).map(\.text) == ["aborted-1", "aborted-2", "kept"])
        #expect(try broker.offsets(of: TopicPartition("t", 0)).end == 5)
    }

    @Test("read_committed stops at the last stable offset: an open transaction holds back later records")
    func lastStableOffsetHoldsBackLaterRecords() async throws {
        let broker = try await makeBroker(["t": 1, "u": 1])
        let transactional = try await broker.makeProducer(ProducerConfig(transactionalId: "tx"))
        let plain = try await broker.makeProducer(ProducerConfig())
        _ = try await plain.send([record("t", key: nil, "before")])
        try await transactional.beginTransaction()
        _ = try await transactional.send([record("t", key: nil, "in-transaction")])
        _ = try await plain.send([record("t", key: nil, "after")])
        let committed = try await consumer(broker, "c", .readCommitted)
        #expect(try await pollAll(committed).map(\.text) == ["before"])
        #expect(try broker.offsets(of: TopicPartition("t", 0)).lastStable == 1)
        try await transactional.commitTransaction()
        #expect(try await drain(committed, count: 2).map(\.text) == ["in-transaction", "after"])
    }

    @Test("a new producer with the same transactional id fences the old one and aborts what it left open")
    func zombieFencing() async throws {
        let broker = try await makeBroker(["t": 1, "u": 1])
        let zombie = try await broker.makeProducer(ProducerConfig(transactionalId: "tx"))
        try await zombie.beginTransaction()
        _ = try await zombie.send([record("t", key: nil, "zombie")])
        let successor = try await broker.makeProducer(ProducerConfig(transactionalId: "tx"))
        #expect(await expectTransportError(.producerFenced) { _ = try await zombie.send([record("t", key: nil, "late")]) })
        #expect(await expectTransportError(.producerFenced) { try await zombie.commitTransaction() })
        try await successor.beginTransaction()
        _ = try await successor.send([record("t", key: nil, "successor")])
        try await successor.commitTransaction()
        let committed = try await consumer(broker, "c", .readCommitted)
        #expect(try await drain(committed, count: 1).map(\.text) == ["successor"])
        #expect(try await pollAll(committed).isEmpty)
    }

    @Test("consumer offsets sent with a transaction are committed with it, and dropped when it aborts")
    func offsetsCommitWithTheTransaction() async throws {
        let broker = try await makeBroker(["t": 1, "u": 1])
        let producer = try await broker.makeProducer(ProducerConfig(transactionalId: "tx"))
        let input = TopicPartition("u", 0)
        try await producer.beginTransaction()
        _ = try await producer.send([record("t", key: nil, "out")])
        try await producer.sendOffsetsToTransaction([input: 7], group: "processor")
        try await producer.abortTransaction()
        #expect(broker.committedOffsets(group: "processor").isEmpty)
        try await producer.beginTransaction()
        try await producer.sendOffsetsToTransaction([input: 7], group: "processor")
        try await producer.commitTransaction()
        #expect(broker.committedOffsets(group: "processor") == [input: 7])
    }

    @Test("transaction calls out of order are refused with what to do")
    func invalidTransactionStates() async throws {
        let broker = try await makeBroker(["t": 1])
        let transactional = try await broker.makeProducer(ProducerConfig(transactionalId: "tx"))
        let plain = try await broker.makeProducer(ProducerConfig())
        #expect(await expectTransportError(.invalidTransactionState) { _ = try await transactional.send([record("t", key: nil, "x")]) })
        #expect(await expectTransportError(.invalidTransactionState) { try await transactional.commitTransaction() })
        #expect(await expectTransportError(.invalidTransactionState) { try await plain.beginTransaction() })
        try await transactional.beginTransaction()
        #expect(await expectTransportError(.invalidTransactionState) { try await transactional.beginTransaction() })
    }
}
