import EventBroker
import EventTestKit
import EventTestSupport
import Foundation
import Synchronization
import Testing

/// Random sequences of produce, transactions, poll, commit, join, leave, seek and restart,
/// checked step by step against a sequential model of what Kafka promises.
@Suite("Broker model")
struct BrokerModelTests {
    @Test("random operations agree with a sequential model: nothing acknowledged lost, no duplicates, order kept, no aborted read under read_committed, no skipped offsets")
    func randomOperationsAgreeWithTheModel() async throws {
        let seeds = ProcessInfo.processInfo.environment["EVENTC_MODEL_SEED"].flatMap(UInt64.init).map { [$0] }
            ?? (0..<4).map { _ in UInt64.random(in: 1...UInt64.max) }
        for seed in seeds {
            print("broker model test: seed \(seed) (EVENTC_MODEL_SEED=\(seed) to repeat)")
            let run = try await ModelRun(seed: seed)
            try await run.execute(steps: 400)
        }
    }
}

/// One entry of a partition in the model.
private struct ModelEntry {
    enum Kind { case data, marker }
    var kind: Kind
    var value: String
    var aborted = false

    func visible(readCommitted: Bool) -> Bool {
        kind == .data && !(readCommitted && aborted)
    }
}

/// A consumer under test and what the model expects it to read next.
private final class ModelConsumer: Sendable {
    let consumer: any TransportConsumer
    let readCommitted: Bool
    /// Rebalance callbacks, applied after each poll in the order they ran.
    let events = Mutex<[(assigned: Bool, partitions: [TopicPartition])]>([])
    /// Partition → the next offset the model expects it to deliver.
    let expected = Mutex<[Int: Int64]>([:])

    init(_ consumer: any TransportConsumer, readCommitted: Bool) {
        self.consumer = consumer
        self.readCommitted = readCommitted
    }
}

private final class ModelRun {
    let seed: UInt64
    var generator: SplitMix64
    let directory = temporaryDirectory("model")
    let strategy: AssignmentStrategy
    let partitions = 3
    var broker: InProcessBroker
    var producer: any TransportProducer
    var transactional: any TransportProducer
    var consumers: [ModelConsumer] = []
    var log: [[ModelEntry]]
    var committed: [Int: Int64] = [:]
    var counter = 0

    init(seed: UInt64) async throws {
        self.seed = seed
        generator = SplitMix64(seed: seed)
        strategy = [.range, .roundRobin, .cooperativeSticky][Int(generator.next() % 3)]
        log = Array(repeating: [], count: partitions)
        broker = try InProcessBroker(.testing(storage: .directory(directory), clock: SystemClock()))
        try await broker.createTopic("m", config: TopicConfig(partitions: partitions, segmentBytes: 2_000))
        producer = try await broker.makeProducer(ProducerConfig(acks: .all))
        transactional = try await broker.makeProducer(ProducerConfig(transactionalId: "model-tx"))
    }

    func random(_ bound: Int) -> Int { Int(generator.next() % UInt64(bound)) }

    func nextValue() -> String {
        counter += 1
        return "v\(counter)"
    }

    func execute(steps: Int) async throws {
        for step in 0..<steps {
            let context = "seed \(seed) step \(step)"
            switch random(100) {
            case 0..<28: try await produce(context)
            case 28..<38: try await transaction(context)
            case 38..<68: try await poll(context)
            case 68..<78: try await commit(context)
            case 78..<84: try await join()
            case 84..<88: try await leave()
            case 88..<94: try await seek()
            default: try await restart(context)
            }
        }
        try await checkWholeLog("seed \(seed) end")
    }

    func produce(_ context: String) async throws {
        let count = 1 + random(6)
        var records: [OutgoingRecord] = []
        for _ in 0..<count {
            let key: String? = random(4) == 0 ? nil : "k\(random(5))"
            records.append(record("m", key: key, nextValue()))
        }
        let sent = try await producer.send(records)
        for (record, metadata) in zip(records, sent) {
            // Offsets are assigned in send order, contiguous per partition.
            #expect(metadata.offset == Int64(log[metadata.partition].count), "\(context): offset")
            log[metadata.partition].append(ModelEntry(kind: .data, value: String(decoding: record.value, as: UTF8.self)))
        }
    }

    func transaction(_ context: String) async throws {
        try await transactional.beginTransaction()
        let records = (0..<(1 + random(4))).map { _ in record("m", key: nil, nextValue(), partition: random(partitions)) }
        let sent = try await transactional.send(records)
        var touched: Set<Int> = []
        var first: [Int: Int] = [:]
        for (record, metadata) in zip(records, sent) {
            #expect(metadata.offset == Int64(log[metadata.partition].count), "\(context): transactional offset")
            first[metadata.partition] = first[metadata.partition] ?? log[metadata.partition].count
            log[metadata.partition].append(ModelEntry(kind: .data, value: String(decoding: record.value, as: UTF8.self)))
            touched.insert(metadata.partition)
        }
        let commit = random(10) < 7
        if commit { try await transactional.commitTransaction() } else { try await transactional.abortTransaction() }
        for partition in touched.sorted() {
            if !commit {
                for index in (first[partition] ?? 0)..<log[partition].count { log[partition][index].aborted = true }
            }
            log[partition].append(ModelEntry(kind: .marker, value: ""))
        }
    }

    func join() async throws {
        guard consumers.count < 3 else { return }
        let readCommitted = random(2) == 0
        let consumer = try await broker.makeConsumer(
            ConsumerConfig(groupId: "model", offsetReset: .earliest, isolation: readCommitted ? .readCommitted : .readUncommitted,
                           assignment: strategy))
        let model = ModelConsumer(consumer, readCommitted: readCommitted)
        try await consumer.subscribe(["m"], listener: RebalanceListener(
            assigned: { partitions in model.events.withLock { $0.append((true, partitions)) } },
            revoked: { partitions in model.events.withLock { $0.append((false, partitions)) } },
            lost: { partitions in model.events.withLock { $0.append((false, partitions)) } }))
        consumers.append(model)
    }

    func leave() async throws {
        guard !consumers.isEmpty else { return }
        let model = consumers.remove(at: random(consumers.count))
        try await model.consumer.close()
    }

    /// Applies rebalance callbacks: a newly assigned partition starts at the committed offset.
    func applyEvents(_ model: ModelConsumer) {
        let events = model.events.withLock { events in
            defer { events.removeAll() }
            return events
        }
        model.expected.withLock { expected in
            for event in events {
                for partition in event.partitions {
                    expected[partition.partition] = event.assigned ? (committed[partition.partition] ?? 0) : nil
                }
            }
        }
    }

    /// Everything between `from` and `to` must be invisible to this consumer (markers, or aborted under read_committed).
    func checkSkipped(_ partition: Int, from: Int64, to: Int64, readCommitted: Bool, _ context: String) {
        guard from < to else { return }
        for offset in from..<to where offset < log[partition].count {
            #expect(!log[partition][Int(offset)].visible(readCommitted: readCommitted), "\(context): poll skipped \(partition)@\(offset)")
        }
    }

    func poll(_ context: String) async throws {
        guard !consumers.isEmpty else { return }
        let model = consumers[random(consumers.count)]
        let records = try await model.consumer.poll(max: 1 + random(40), timeout: .zero)
        applyEvents(model)
        var expected = model.expected.withLock { $0 }
        for record in records {
            let partition = record.partition
            guard let next = expected[partition] else {
                Issue.record("\(context): got \(partition)@\(record.offset) from a partition it does not own")
                continue
            }
            #expect(record.offset >= next, "\(context): \(partition)@\(record.offset) went backwards from \(next)")
            checkSkipped(partition, from: next, to: record.offset, readCommitted: model.readCommitted, context)
            let entry = log[partition][Int(record.offset)]
            #expect(entry.kind == .data && entry.value == record.text, "\(context): \(partition)@\(record.offset) is \(record.text), model has \(entry.value)")
            if model.readCommitted { #expect(!entry.aborted, "\(context): read_committed delivered aborted \(record.text)") }
            expected[partition] = record.offset + 1
        }
        model.expected.withLock { $0 = expected }
    }

    func commit(_ context: String) async throws {
        guard !consumers.isEmpty else { return }
        let model = consumers[random(consumers.count)]
        _ = try await model.consumer.poll(max: 0, timeout: .zero)
        applyEvents(model)
        var offsets: [TopicPartition: Int64] = [:]
        let expected = model.expected.withLock { $0 }
        for partition in await model.consumer.assignment() {
            guard let position = try await model.consumer.position(partition) else { continue }
            if let next = expected[partition.partition] {
                // The position may run ahead of what was delivered only over invisible records.
                checkSkipped(partition.partition, from: next, to: position, readCommitted: model.readCommitted, context)
            }
            offsets[partition] = position
        }
        try await model.consumer.commit(offsets)
        for (partition, offset) in offsets { committed[partition.partition] = offset }
    }

    func seek() async throws {
        guard !consumers.isEmpty else { return }
        let model = consumers[random(consumers.count)]
        _ = try await model.consumer.poll(max: 0, timeout: .zero)
        applyEvents(model)
        guard let partition = await model.consumer.assignment().sorted().first else { return }
        let offset = Int64(random(log[partition.partition].count + 1))
        try await model.consumer.seek(partition, to: .offset(offset))
        model.expected.withLock { $0[partition.partition] = offset }
    }

    /// Stops the broker and reopens the folder: members are gone (as after a process restart), the
    /// log and the committed offsets are not. (Kills mid-write are the crash test's business.)
    func restart(_ context: String) async throws {
        consumers.removeAll()
        broker.close()
        broker = try InProcessBroker(.testing(storage: .directory(directory), clock: SystemClock()))
        producer = try await broker.makeProducer(ProducerConfig(acks: .all))
        transactional = try await broker.makeProducer(ProducerConfig(transactionalId: "model-tx"))
        #expect(broker.committedOffsets(group: "model") == Dictionary(uniqueKeysWithValues: committed.map { (TopicPartition("m", $0.key), $0.value) }), "\(context): committed offsets after restart")
        try await checkWholeLog(context)
    }

    /// Every partition holds exactly the model's records, once each, in order.
    func checkWholeLog(_ context: String) async throws {
        for partition in 0..<partitions {
            #expect(try broker.offsets(of: TopicPartition("m", partition)).end == Int64(log[partition].count), "\(context): log end of \(partition)")
        }
        for readCommitted in [false, true] {
            let reader = try await broker.makeConsumer(ConsumerConfig(
                groupId: "check-\(UUID().uuidString)", offsetReset: .earliest, isolation: readCommitted ? .readCommitted : .readUncommitted))
            try await reader.subscribe(["m"])
            let expected = log.map { $0.filter { $0.visible(readCommitted: readCommitted) }.map(\.value) }
            let records = try await drain(reader, count: expected.reduce(0) { $0 + $1.count })
            for partition in 0..<partitions {
                let values = records.filter { $0.partition == partition }.map(\.text)
                #expect(values == expected[partition], "\(context): partition \(partition) content (read_committed: \(readCommitted))")
            }
            #expect(Set(records.map(\.text)).count == records.count, "\(context): a record appears twice")
            try await reader.close()
        }
    }
}
