import EventBroker
import EventTestKit
import EventTestSupport
import Synchronization
import Testing

/// Collects rebalance callbacks in order.
final class RebalanceLog: Sendable {
    let events = Mutex<[String]>([])

    func listener(_ name: String, onRevoked: (@Sendable ([TopicPartition]) async -> Void)? = nil) -> RebalanceListener {
        RebalanceListener(
            assigned: { partitions in self.events.withLock { $0.append("\(name) assigned \(partitions.map(\.partition))") } },
            revoked: { partitions in
                self.events.withLock { $0.append("\(name) revoked \(partitions.map(\.partition))") }
                await onRevoked?(partitions)
            },
            lost: { partitions in self.events.withLock { $0.append("\(name) lost \(partitions.map(\.partition))") } })
    }

    var all: [String] { events.withLock { $0 } }
}

@Suite("Consumer groups")
struct ConsumerGroupTests {
    private func fill(_ broker: InProcessBroker, topic: String = "t", partitions: Int, perPartition: Int) async throws {
        let producer = try await broker.makeProducer(ProducerConfig())
        for partition in 0..<partitions {
            _ = try await producer.send((0..<perPartition).map { record(topic, key: nil, "\(partition)-\($0)", partition: partition) })
        }
    }

    private func settle(_ consumers: [any TransportConsumer]) async throws {
        for _ in 0..<3 { for consumer in consumers { _ = try await consumer.poll(max: 0, timeout: .zero) } }
    }

    @Test("range gives each member consecutive partitions; a second member joining splits them")
    func rangeAssignment() async throws {
        let broker = try await makeBroker(["t": 4])
        let config = ConsumerConfig(groupId: "g", offsetReset: .earliest, assignment: .range)
        let a = try await broker.makeConsumer(config)
        let b = try await broker.makeConsumer(config)
        try await a.subscribe(["t"])
        try await settle([a])
        #expect(await a.assignment() == Set((0..<4).map { TopicPartition("t", $0) }))
        try await b.subscribe(["t"])
        try await settle([a, b])
        #expect(await a.assignment() == [TopicPartition("t", 0), TopicPartition("t", 1)])
        #expect(await b.assignment() == [TopicPartition("t", 2), TopicPartition("t", 3)])
    }

    @Test("round-robin deals partitions of all topics in turn")
    func roundRobinAssignment() async throws {
        let broker = try await makeBroker(["t": 3, "u": 2])
        let config = ConsumerConfig(groupId: "g", assignment: .roundRobin)
        let a = try await broker.makeConsumer(config)
        let b = try await broker.makeConsumer(config)
        try await a.subscribe(["t", "u"])
        try await b.subscribe(["t", "u"])
        try await settle([a, b])
        #expect(await a.assignment() == [TopicPartition("t", 0), TopicPartition("t", 2), TopicPartition("u", 1)])
        #expect(await b.assignment() == [TopicPartition("t", 1), TopicPartition("u", 0)])
    }

    @Test("eager strategies revoke everything before reassigning; the revoked callback can still commit")
    func eagerRebalanceRevokesAllFirst() async throws {
        let broker = try await makeBroker(["t": 2])
        try await fill(broker, partitions: 2, perPartition: 5)
        let log = RebalanceLog()
        let config = ConsumerConfig(groupId: "g", offsetReset: .earliest)
        let a = try await broker.makeConsumer(config)
        let commitOnRevoke = Mutex<(any TransportConsumer)?>(nil)
        try await a.subscribe(["t"], listener: log.listener("a") { _ in
            let consumer = commitOnRevoke.withLock { $0 }
            try? await consumer?.commitPositions()
        })
        commitOnRevoke.withLock { $0 = a }
        #expect(try await drain(a, count: 10).count == 10)

        let b = try await broker.makeConsumer(config)
        try await b.subscribe(["t"], listener: log.listener("b"))
        try await settle([b, a, b])
        #expect(log.all == ["a assigned [0, 1]", "a revoked [0, 1]", "a assigned [0]", "b assigned [1]"])
        // a committed in its revoked callback, so b starts where a stopped: nothing is read twice.
        #expect(broker.committedOffsets(group: "g") == [TopicPartition("t", 0): 5, TopicPartition("t", 1): 5])
        #expect(try await pollAll(b).isEmpty)
    }

    @Test("cooperative-sticky moves only what must move, and keeps the rest where it was")
    func cooperativeStickyRevokesOnlyMovedPartitions() async throws {
        let broker = try await makeBroker(["t": 4])
        let log = RebalanceLog()
        let config = ConsumerConfig(groupId: "g", assignment: .cooperativeSticky)
        let a = try await broker.makeConsumer(config)
        try await a.subscribe(["t"], listener: log.listener("a"))
        try await settle([a])
        let b = try await broker.makeConsumer(config)
        try await b.subscribe(["t"], listener: log.listener("b"))
        try await settle([a, b])
        #expect(log.all == ["a assigned [0, 1, 2, 3]", "a revoked [2, 3]", "b assigned [2, 3]"])
        try await b.close()
        try await settle([a])
        #expect(log.all.last == "a assigned [2, 3]")
        #expect(await a.assignment().count == 4)
    }

    @Test("a member that leaves hands its partitions over at once")
    func leavingMemberTriggersRebalance() async throws {
        let broker = try await makeBroker(["t": 2])
        try await fill(broker, partitions: 2, perPartition: 3)
        let config = ConsumerConfig(groupId: "g", offsetReset: .earliest)
        let a = try await broker.makeConsumer(config)
        let b = try await broker.makeConsumer(config)
        try await a.subscribe(["t"])
        try await b.subscribe(["t"])
        try await settle([a, b])
        try await b.close()
        let records = try await drain(a, count: 6)
        #expect(Set(records.map(\.partition)) == [0, 1])
        #expect(records.count == 6)
    }

    @Test("a member silent past its session timeout is removed; its partitions move, its commit is refused, it reports them lost and rejoins")
    func sessionTimeoutRebalances() async throws {
        let clock = ManualClock()
        let broker = try await makeBroker(["t": 2], clock: clock)
        try await fill(broker, partitions: 2, perPartition: 2)
        let log = RebalanceLog()
        let config = ConsumerConfig(groupId: "g", offsetReset: .earliest, sessionTimeout: .seconds(10))
        let a = try await broker.makeConsumer(config)
        let b = try await broker.makeConsumer(config)
        try await a.subscribe(["t"], listener: log.listener("a"))
        try await b.subscribe(["t"], listener: log.listener("b"))
        try await settle([a, b])
        _ = try await pollAll(b)
        clock.advance(by: .seconds(11))
        // a polls: b has been silent for 11 s, so it is removed and a gets everything.
        try await settle([a])
        #expect(await a.assignment().count == 2)
        #expect(await expectTransportError(.unknownMemberId) { try await b.commit([TopicPartition("t", 1): 1]) })
        _ = try await b.poll(max: 10, timeout: .zero)
        #expect(log.all.contains("b lost [1]"))
    }

    @Test("poll returns at most max records, in offset order per partition, and waits for new ones until its timeout")
    func pollBatchesAndWaits() async throws {
        let broker = try await makeBroker(["t": 1])
        try await fill(broker, partitions: 1, perPartition: 25)
        let consumer = try await broker.makeConsumer(ConsumerConfig(groupId: "g", offsetReset: .earliest))
        try await consumer.subscribe(["t"])
        let first = try await consumer.poll(max: 10, timeout: .seconds(1))
        #expect(first.map(\.offset) == Array(0..<10))
        let rest = try await drain(consumer, count: 15)
        #expect(rest.map(\.offset) == Array(10..<25))
        #expect(try await consumer.poll(max: 10, timeout: .milliseconds(20)).isEmpty)

        // A poll that is waiting wakes when a record arrives.
        let producer = try await broker.makeProducer(ProducerConfig())
        async let waited = consumer.poll(max: 10, timeout: .seconds(5))
        try await Task.sleep(for: .milliseconds(20))
        _ = try await producer.send([record("t", key: nil, "late")])
        #expect(try await waited.map(\.text) == ["late"])
    }

    @Test("the committed offset is the next one to read: a new member starts there")
    func committedOffsetIsNextToRead() async throws {
        let broker = try await makeBroker(["t": 1])
        try await fill(broker, partitions: 1, perPartition: 10)
        let config = ConsumerConfig(groupId: "g", offsetReset: .earliest)
        let a = try await broker.makeConsumer(config)
        try await a.subscribe(["t"])
        _ = try await a.poll(max: 4, timeout: .seconds(1))
        try await a.commit([TopicPartition("t", 0): 4])
        try await a.close()
        let b = try await broker.makeConsumer(config)
        try await b.subscribe(["t"])
        #expect(try await drain(b, count: 6).map(\.offset) == Array(4..<10))
        #expect(await expectTransportError(.notAssigned) { try await b.commit([TopicPartition("t", 7): 1]) })
    }

    @Test("without auto-commit nothing is committed; with it, positions are committed on poll")
    func autoCommitIsOffByDefault() async throws {
        let clock = ManualClock()
        let broker = try await makeBroker(["t": 1], clock: clock)
        try await fill(broker, partitions: 1, perPartition: 5)
        let manual = try await broker.makeConsumer(ConsumerConfig(groupId: "manual", offsetReset: .earliest))
        try await manual.subscribe(["t"])
        _ = try await drain(manual, count: 5)
        _ = try await pollAll(manual)
        #expect(broker.committedOffsets(group: "manual").isEmpty)

        let auto = try await broker.makeConsumer(
            ConsumerConfig(groupId: "auto", offsetReset: .earliest, autoCommitInterval: .seconds(5)))
        try await auto.subscribe(["t"])
        _ = try await drain(auto, count: 5)
        clock.advance(by: .seconds(6))
        _ = try await auto.poll(max: 1, timeout: .zero)
        #expect(broker.committedOffsets(group: "auto") == [TopicPartition("t", 0): 5])
    }

    @Test("auto.offset.reset: earliest reads from the start, latest only what comes next, none is an error until a seek")
    func offsetResetPolicies() async throws {
        let broker = try await makeBroker(["t": 1])
        try await fill(broker, partitions: 1, perPartition: 3)
        let earliest = try await broker.makeConsumer(ConsumerConfig(groupId: "e", offsetReset: .earliest))
        let latest = try await broker.makeConsumer(ConsumerConfig(groupId: "l", offsetReset: .latest))
        let none = try await broker.makeConsumer(ConsumerConfig(groupId: "n", offsetReset: .none))
        for consumer in [earliest, latest, none] { try await consumer.subscribe(["t"]) }
        #expect(try await drain(earliest, count: 3).count == 3)
        #expect(try await pollAll(latest).isEmpty)
        #expect(await expectTransportError(.noOffsetForPartition) { _ = try await none.poll(max: 10, timeout: .zero) })
        try await none.seek(TopicPartition("t", 0), to: .offset(1))
        #expect(try await drain(none, count: 2).map(\.offset) == [1, 2])
        try await fill(broker, partitions: 1, perPartition: 1)
        #expect(try await drain(latest, count: 1).map(\.offset) == [3])
    }

    @Test("seek to an offset, the beginning, the end, and the first record at or after a timestamp")
    func seeking() async throws {
        let broker = try await makeBroker(["t": 1])
        let producer = try await broker.makeProducer(ProducerConfig())
        _ = try await producer.send((0..<6).map { record("t", key: nil, "\($0)", timestamp: 1000 + Int64($0) * 10) })
        let consumer = try await broker.makeConsumer(ConsumerConfig(groupId: "g", offsetReset: .earliest))
        try await consumer.subscribe(["t"])
        _ = try await drain(consumer, count: 6)
        let partition = TopicPartition("t", 0)
        try await consumer.seek(partition, to: .offset(4))
        #expect(try await drain(consumer, count: 2).map(\.offset) == [4, 5])
        try await consumer.seek(partition, to: .beginning)
        #expect(try await drain(consumer, count: 6).first?.offset == 0)
        try await consumer.seek(partition, to: .timestamp(1025))
        #expect(try await drain(consumer, count: 3).map(\.offset) == [3, 4, 5])
        try await consumer.seek(partition, to: .timestamp(9999))
        #expect(try await consumer.position(partition) == 6)
        try await consumer.seek(partition, to: .end)
        #expect(try await pollAll(consumer).isEmpty)
        #expect(await expectTransportError(.notAssigned) { try await consumer.seek(TopicPartition("t", 3), to: .beginning) })
    }

    @Test("a paused partition is skipped by poll until it is resumed; the others keep flowing")
    func pauseAndResume() async throws {
        let broker = try await makeBroker(["t": 2])
        try await fill(broker, partitions: 2, perPartition: 3)
        let consumer = try await broker.makeConsumer(ConsumerConfig(groupId: "g", offsetReset: .earliest))
        try await consumer.subscribe(["t"])
        _ = try await consumer.poll(max: 0, timeout: .zero)
        try await consumer.pause([TopicPartition("t", 1)])
        let whilePaused = try await pollAll(consumer)
        #expect(whilePaused.count == 3 && whilePaused.allSatisfy { $0.partition == 0 })
        try await consumer.resume([TopicPartition("t", 1)])
        let afterResume = try await drain(consumer, count: 3)
        #expect(afterResume.count == 3 && afterResume.allSatisfy { $0.partition == 1 })
    }

    @Test("lag per partition is what is left to read; group lag counts from the committed offset")
    func lagPerPartition() async throws {
        let broker = try await makeBroker(["t": 2])
        try await fill(broker, partitions: 2, perPartition: 4)
        let consumer = try await broker.makeConsumer(ConsumerConfig(groupId: "g", offsetReset: .earliest))
        try await consumer.subscribe(["t"])
        _ = try await consumer.poll(max: 0, timeout: .zero)
        #expect(try await consumer.lag() == [TopicPartition("t", 0): 4, TopicPartition("t", 1): 4])
        _ = try await drain(consumer, count: 8)
        #expect(try await consumer.lag() == [TopicPartition("t", 0): 0, TopicPartition("t", 1): 0])
        try await consumer.commit([TopicPartition("t", 0): 3])
        #expect(broker.groupLag(group: "g") == [TopicPartition("t", 0): 1, TopicPartition("t", 1): 4])
    }

    @Test("group lag for named topics counts everything before the group's first member joins")
    func lagBeforeFirstJoin() async throws {
        let broker = try await makeBroker(["t": 2])
        try await fill(broker, partitions: 2, perPartition: 3)
        // Without topics, a group nobody has joined owes nothing: the trap a "wait until lag is 0" loop falls into.
        #expect(broker.groupLag(group: "late") == [:])
        #expect(broker.groupLag(group: "late", topics: ["t"]) == [TopicPartition("t", 0): 3, TopicPartition("t", 1): 3])
        let consumer = try await broker.makeConsumer(ConsumerConfig(groupId: "late", offsetReset: .earliest))
        try await consumer.subscribe(["t"])
        _ = try await drain(consumer, count: 6)
        try await consumer.commit([TopicPartition("t", 0): 3, TopicPartition("t", 1): 2])
        try await consumer.close()
        #expect(broker.groupLag(group: "late", topics: ["t", "missing"]) == [TopicPartition("t", 0): 0, TopicPartition("t", 1): 1])
    }

    @Test("independent groups each read the whole log")
    func independentGroups() async throws {
        let broker = try await makeBroker(["t": 3])
        try await fill(broker, partitions: 3, perPartition: 5)
        for group in ["billing", "shipping", "audit"] {
            let consumer = try await broker.makeConsumer(ConsumerConfig(groupId: group, offsetReset: .earliest))
            try await consumer.subscribe(["t"])
            #expect(try await drain(consumer, count: 15).count == 15)
        }
    }

    @Test("members of one group must agree on the assignment strategy")
    func inconsistentStrategyIsRefused() async throws {
        let broker = try await makeBroker(["t": 1])
        let a = try await broker.makeConsumer(ConsumerConfig(groupId: "g", assignment: .range))
        let b = try await broker.makeConsumer(ConsumerConfig(groupId: "g", assignment: .cooperativeSticky))
        try await a.subscribe(["t"])
        #expect(await expectTransportError(.inconsistentGroupProtocol) { try await b.subscribe(["t"]) })
        #expect(await expectTransportError(.unknownTopicOrPartition) { try await a.subscribe(["missing"]) })
    }
}
