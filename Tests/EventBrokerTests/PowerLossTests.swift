import EventBroker
import EventCore
import EventTestKit
import EventTestSupport
import Foundation
import Logging
import Testing

/// Power failures, not only kill -9: a broker runs on a simulated disk whose power fails at a
/// random write, sync, create, rename or remove — during appends, segment rolls, checkpoints,
/// journal compaction, or recovery itself — and loses whatever was not yet durable.
@Suite("Power loss")
struct PowerLossTests {
    static let simulations = 1_000

    @Test("1,000 simulated power failures: every acknowledged record is back, nothing torn is visible, offsets are contiguous")
    func powerFailures() async throws {
        let seed = ProcessInfo.processInfo.environment["EVENTC_POWER_LOSS_SEED"].flatMap(UInt64.init) ?? UInt64.random(in: 0...UInt64.max)
        print("power-loss seed: \(seed) (rerun with EVENTC_POWER_LOSS_SEED=\(seed))")
        var generator = SplitMix64(seed: seed)
        var crashes = 0
        for simulation in 0..<Self.simulations {
            var run = PowerLossSimulation(seed: generator.next())
            do {
                crashes += try await run.run()
            } catch {
                Issue.record("simulation \(simulation) of seed \(seed): \(error)")
                return
            }
        }
        #expect(crashes >= Self.simulations)
    }
}

/// One disk through a few power failures, checked against what was sent and acknowledged.
struct PowerLossSimulation {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    private var generator: SplitMix64
    /// Per partition, what was sent at each offset that may still be in the log.
    private var sent: [Int: [Int64: String]] = [0: [:], 1: [:]]
    /// Per partition, the offsets acknowledged with acks=all before the power failed.
    private var acknowledged: [Int: Set<Int64>] = [0: [], 1: []]
    private var counter = 0

    init(seed: UInt64) {
        generator = SplitMix64(seed: seed)
    }

    private mutating func random(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(generator.next() % UInt64(range.count))
    }

    /// Runs three rounds of work, each ended by a power failure; returns how many failures struck.
    mutating func run() async throws -> Int {
        var image: SimulatedDisk.Image?
        let segmentBytes = random(120...700)
        for _ in 0..<3 {
            let disk = SimulatedDisk(image, crashAt: random(1...120), seed: generator.next())
            let broker = try open(disk)
            try verify(broker, disk: disk)
            if !broker.topicNames().contains("t") {
                try await broker.createTopic("t", config: TopicConfig(partitions: 2, segmentBytes: segmentBytes))
            }
            for _ in 0..<random(5...40) where disk.crashImage == nil {
                try await send(broker, disk: disk)
            }
            broker.close()
            image = disk.crashImage ?? disk.cutPower()
        }
        let disk = SimulatedDisk(image, crashAt: Int.max, seed: 0)
        let broker = try open(disk)
        try verify(broker, disk: disk)
        broker.close()
        return 3
    }

    private mutating func open(_ disk: SimulatedDisk) throws -> InProcessBroker {
        var options = InProcessBroker.Options.testing(storage: .directory("/broker"))
        options.logger.logLevel = .critical
        options.fileSystem = disk
        options.flushInterval = generator.next() % 2 == 0 ? nil : .milliseconds(1)
        options.recoveryCheckpointInterval = generator.next() % 2 == 0 ? .zero : .seconds(60)
        do {
            return try InProcessBroker(options)
        } catch {
            throw Failure(description: "reopening after a power failure was refused: \(error)")
        }
    }

    private mutating func send(_ broker: InProcessBroker, disk: SimulatedDisk) async throws {
        let partition = random(0...1)
        let values = (0..<random(1...4)).map { _ in
            counter += 1
            return "v\(counter)"
        }
        let acks: DeliveryPolicy.Acks = generator.next() % 3 == 0 ? .leader : .all
        let metadata = try await broker.append(
            values.map { record("t", key: nil, $0) }, to: TopicPartition("t", partition), producer: nil, acks: acks)
        let acknowledgedBeforeThePowerFailed = acks == .all && disk.crashImage == nil
        for (value, written) in zip(values, metadata) {
            sent[partition]?[written.offset] = value
            if acknowledgedBeforeThePowerFailed { acknowledged[partition]?.insert(written.offset) }
        }
    }

    /// Everything acknowledged is there; everything there was sent at that offset; offsets run
    /// without a gap. What lies past the log end is forgotten: those offsets will be reused.
    private mutating func verify(_ broker: InProcessBroker, disk: SimulatedDisk) throws {
        guard broker.topicNames().contains("t") else {
            guard acknowledged.values.allSatisfy(\.isEmpty) else { throw Failure(description: "the topic is gone, with acknowledged records") }
            return
        }
        for partition in 0...1 {
            let records = try broker.records(in: TopicPartition("t", partition))
            let (start, end, _) = try broker.offsets(of: TopicPartition("t", partition))
            guard records.map(\.offset) == Array(start..<end) else {
                throw Failure(description: "partition \(partition): offsets \(records.map(\.offset)) are not \(start)..<\(end)")
            }
            for record in records where record.text != sent[partition]?[record.offset] {
                throw Failure(description: "partition \(partition) offset \(record.offset) holds \(record.text), sent \(sent[partition]?[record.offset] ?? "nothing")")
            }
            if let lost = acknowledged[partition]?.first(where: { $0 >= end }) {
                throw Failure(description: "partition \(partition): acknowledged offset \(lost) is gone (log end \(end))")
            }
            sent[partition] = sent[partition]?.filter { $0.key < end }
        }
    }
}
