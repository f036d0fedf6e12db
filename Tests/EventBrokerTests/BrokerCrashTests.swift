import EventBroker
import EventTestKit
import EventTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("Crash recovery")
struct BrokerCrashTests {
    /// The child built beside this test binary (the test target depends on it).
    private var childExecutable: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("BrokerCrashChild")
    }

    private struct Acknowledged {
        var producerId: Int64
        var epoch: Int16
        var partition: Int
        var baseSequence: Int32
        var baseOffset: Int64
        var values: [String]
    }

    private func parse(_ output: String) -> [Acknowledged] {
        // Only whole lines: the kill may cut the last one.
        output.split(separator: "\n", omittingEmptySubsequences: false).dropLast().compactMap { line in
            let parts = line.split(separator: " ")
            guard parts.count == 7, parts[0] == "ACK", let producerId = Int64(parts[1]), let epoch = Int16(parts[2]),
                let partition = Int(parts[3]), let baseSequence = Int32(parts[4]), let baseOffset = Int64(parts[5])
            else { return nil }
            return Acknowledged(
                producerId: producerId, epoch: epoch, partition: partition, baseSequence: baseSequence, baseOffset: baseOffset,
                values: parts[6].split(separator: ",").map(String.init))
        }
    }

    /// Starts the child. Once in a full `swift test` run on CI, Foundation's `Process.run()`
    /// reported the child's executable missing (ENOENT) after 30-odd rounds had started it from
    /// the same path, while other suites were starting processes too; the same test alone passed.
    /// Starting the child is not what this test is about, so a failed start is tried again, a
    /// few times, before it counts.
    private static func launch(_ process: Process) async throws {
        for attempt in 1...3 {
            do {
                try process.run()
                return
            } catch where attempt < 3 {
                try await Task.sleep(for: .milliseconds(100 * attempt))
            }
        }
    }

    @Test("SIGKILL during acks=all produce: every acknowledged record survives, nothing torn is visible, offsets stay contiguous, idempotence survives")
    func killedProducerLosesNothingAcknowledged() async throws {
        let seed = ProcessInfo.processInfo.environment["EVENTC_CRASH_SEED"].flatMap(UInt64.init) ?? UInt64.random(in: 1...UInt64.max)
        let rounds = ProcessInfo.processInfo.environment["EVENTC_CRASH_ROUNDS"].flatMap(Int.init) ?? 100
        print("broker crash test: seed \(seed), \(rounds) rounds (EVENTC_CRASH_SEED, EVENTC_CRASH_ROUNDS to repeat)")
        var generator = SplitMix64(seed: seed)
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var acknowledged: [TopicPartition: [Int64: String]] = [:]
        var totalAcknowledged = 0
        var roundsWithAcks = 0

        for run in 1...rounds {
            let process = Process()
            process.executableURL = childExecutable
            process.arguments = [directory, String(run)]
            let output = Pipe()
            let errors = Pipe()
            process.standardOutput = output
            process.standardError = errors
            try await Self.launch(process)
            // One kill in ten lands during startup and recovery; the rest while producing.
            var printed = ""
            if generator.next() % 10 != 0 {
                while !printed.contains("READY\n") {
                    let chunk = output.fileHandleForReading.availableData
                    if chunk.isEmpty { break }
                    printed += String(decoding: chunk, as: UTF8.self)
                }
            }
            try await Task.sleep(for: .milliseconds(Int(generator.next() % 60)))
            kill(process.processIdentifier, SIGKILL)
            printed += String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            let complaints = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            try #require(process.terminationReason == .uncaughtSignal, "the child stopped by itself (seed \(seed), run \(run)): \(complaints)")

            let batches = parse(printed)
            if !batches.isEmpty { roundsWithAcks += 1 }
            for batch in batches {
                for (index, value) in batch.values.enumerated() {
                    acknowledged[TopicPartition("crash", batch.partition), default: [:]][batch.baseOffset + Int64(index)] = value
                }
                totalAcknowledged += batch.values.count
            }

            let broker = try InProcessBroker(.testing(storage: .directory(directory), clock: SystemClock()))
            let consumer = try await broker.makeConsumer(ConsumerConfig(groupId: "verify-\(run)", offsetReset: .earliest))
            try await consumer.subscribe(["crash"])
            var expected = 0
            for partition in 0..<3 { expected += Int(try broker.offsets(of: TopicPartition("crash", partition)).end) }
            let records = try await drain(consumer, count: expected)
            #expect(records.count == expected, "seed \(seed) run \(run)")
            var byPartition: [Int: [ConsumerRecord]] = [:]
            for record in records { byPartition[record.partition, default: []].append(record) }
            for (partition, records) in byPartition {
                // Contiguous and monotonic from 0 (no retention here).
                #expect(records.map(\.offset) == Array(0..<Int64(records.count)), "seed \(seed) run \(run) partition \(partition)")
                for record in records {
                    // Nothing torn: every record is whole, with its header.
                    let value = record.text
                    let run = value.dropFirst().prefix { $0 != "-" }
                    #expect(value.hasPrefix("r") && record.headers == [RecordHeader("run", String(run))], "seed \(seed): \(value)")
                }
            }
            for (partition, values) in acknowledged {
                let stored = byPartition[partition.partition] ?? []
                for (offset, value) in values {
                    #expect(
                        offset < stored.count && stored[Int(offset)].text == value,
                        "seed \(seed) run \(run): acknowledged \(value) at \(partition)@\(offset) is missing")
                }
            }
            // The idempotence table survived: resending this run's last acknowledged batch is recognised.
            if let last = batches.last {
                let partition = TopicPartition("crash", last.partition)
                let end = try broker.offsets(of: partition).end
                let resent = try await broker.append(
                    last.values.map { OutgoingRecord(topic: "crash", key: nil, value: Array($0.utf8), headers: [RecordHeader("run", String(run))]) },
                    to: partition,
                    producer: ProducerIdentity(producerId: last.producerId, epoch: last.epoch, baseSequence: last.baseSequence))
                #expect(resent.first?.offset == last.baseOffset, "seed \(seed) run \(run): the resend was stored again")
                #expect(try broker.offsets(of: partition).end == end)
            }
            broker.close()
        }
        print("broker crash test: \(rounds) kills, \(totalAcknowledged) acknowledged records checked, \(roundsWithAcks) rounds acknowledged something")
        #expect(roundsWithAcks > rounds / 2, "most kills should land while producing")
    }
}
