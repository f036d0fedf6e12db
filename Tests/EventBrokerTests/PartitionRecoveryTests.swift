import EventBroker
import EventTestKit
import EventTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Damaged broker folders: everything recovery may cut is what a crash leaves (a torn tail past
/// the recovery point); anything else is refused with the file, the place and what to do, and
/// nothing on disk changes.
@Suite("Recovery from damaged files")
struct PartitionRecoveryTests {
    private func fill(_ directory: String, records: Int = 40, segmentBytes: Int = 150) async throws {
        let broker = try await makeBroker(["t": 1], storage: .directory(directory), config: { TopicConfig(partitions: $0, segmentBytes: segmentBytes) })
        let producer = try await broker.makeProducer(ProducerConfig(acks: .all))
        for index in 0..<records { _ = try await producer.send([record("t", key: nil, "r\(index)", partition: 0)]) }
        broker.close()
    }

    private func open(_ directory: String, readOnly: Bool = false) throws -> InProcessBroker {
        try InProcessBroker(.testing(storage: readOnly ? .readOnlyDirectory(directory) : .directory(directory)))
    }

    private func segments(_ directory: String) -> [String] {
        let folder = directory + "/topics/t-0"
        return ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".log") }.sorted()
            .map { folder + "/" + $0 }
    }

    private func flip(_ path: String, at position: (Data) -> Int) throws {
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        bytes[position(bytes)] ^= 0x40
        try bytes.write(to: URL(fileURLWithPath: path))
    }

    /// Expects opening (writable and read-only) to be refused with a message naming `file`, and
    /// the folder to be exactly as it was.
    private func expectRefused(_ directory: String, naming file: String, _ fragments: [String] = []) {
        let before = fileContents(under: directory)
        for readOnly in [false, true] {
            do {
                _ = try open(directory, readOnly: readOnly)
                Issue.record("opening \(readOnly ? "read-only" : "writable") was not refused")
            } catch let error as TransportError {
                #expect(error.code == .storage)
                #expect(error.message.hasPrefix(file + " is damaged"), "\(error.message)")
                #expect(error.message.contains("eventc-ops broker repair \(directory)"), "\(error.message)")
                for fragment in fragments { #expect(error.message.contains(fragment), "\(error.message)") }
            } catch {
                Issue.record("unexpected \(error)")
            }
            #expect(fileContents(under: directory) == before, "the refusal changed the folder")
        }
    }

    /// Records as they were (acks all) or are now: what reopening keeps.
    private func texts(_ broker: InProcessBroker) async throws -> [String] {
        let end = try broker.offsets(of: TopicPartition("t", 0)).end
        let consumer = try await broker.makeConsumer(ConsumerConfig(groupId: UUID().uuidString, offsetReset: .earliest, autoCommitInterval: nil))
        try await consumer.subscribe(["t"])
        return try await drain(consumer, count: Int(end)).map(\.text)
    }

    // MARK: Segments

    @Test("one flipped byte in the first of many sealed segments is refused, naming file, byte and offset; no segment is deleted")
    func flippedByteInSealedSegment() async throws {
        let directory = temporaryDirectory()
        try await fill(directory)
        let files = segments(directory)
        #expect(files.count >= 10)
        try flip(files[0]) { $0.count - 3 }
        expectRefused(directory, naming: files[0], ["at byte", "offset", "sealed segment"])
        #expect(segments(directory) == files)
    }

    @Test("a garbage middle segment is refused; the segments after it stay")
    func garbageMiddleSegment() async throws {
        let directory = temporaryDirectory()
        try await fill(directory)
        let files = segments(directory)
        var generator = SplitMix64(seed: 20)
        let garbage = (0..<300).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        try Data(garbage).write(to: URL(fileURLWithPath: files[3]))
        expectRefused(directory, naming: files[3], ["at byte 0 (the first record)"])
        #expect(segments(directory) == files)
    }

    @Test("damage in the last segment with intact records after it is refused, with or without a recovery checkpoint")
    func damageBeforeIntactRecords() async throws {
        let directory = temporaryDirectory()
        try await fill(directory, records: 4, segmentBytes: 1 << 20)
        let last = try #require(segments(directory).last)
        try flip(last) { _ in 20 }
        expectRefused(directory, naming: last, ["intact records follow it"])
        try FileManager.default.removeItem(atPath: directory + "/recovery-points")
        expectRefused(directory, naming: last, ["intact records follow it"])
    }

    @Test("a record cut short below the recovery point is refused; past it (no checkpoint covers it), it is a torn tail and cut")
    func cutShortRecordAndTheRecoveryPoint() async throws {
        let directory = temporaryDirectory()
        try await fill(directory, records: 4, segmentBytes: 1 << 20)
        let last = try #require(segments(directory).last)
        let whole = try Data(contentsOf: URL(fileURLWithPath: last))
        try whole.prefix(whole.count - 10).write(to: URL(fileURLWithPath: last))
        expectRefused(directory, naming: last, ["records up to offset 4 were flushed before it"])

        // As after a crash that came before any checkpoint covered the last record.
        try RecoveryCheckpointFile.remove(in: directory)
        let broker = try open(directory)
        #expect(try await texts(broker) == ["r0", "r1", "r2"])
        broker.close()
        #expect(try Data(contentsOf: URL(fileURLWithPath: last)).count < whole.count - 10)
    }

    @Test("zeros after the last record (a file grown but never written) are a torn tail: cut, and appends go on")
    func zerosAfterTheLog() async throws {
        let directory = temporaryDirectory()
        try await fill(directory, records: 3, segmentBytes: 1 << 20)
        let last = try #require(segments(directory).last)
        let whole = try Data(contentsOf: URL(fileURLWithPath: last))
        try (whole + Data(count: 4096)).write(to: URL(fileURLWithPath: last))
        let broker = try open(directory)
        #expect(try await texts(broker) == ["r0", "r1", "r2"])
        let producer = try await broker.makeProducer(ProducerConfig(acks: .all))
        #expect(try await producer.send([record("t", key: nil, "r3", partition: 0)])[0].offset == 3)
        broker.close()
        #expect(try Data(contentsOf: URL(fileURLWithPath: last)).count > whole.count)
    }

    @Test("a missing segment between two is refused: the offsets it held are named")
    func missingSegment() async throws {
        let directory = temporaryDirectory()
        try await fill(directory)
        let files = segments(directory)
        try FileManager.default.removeItem(atPath: files[2])
        expectRefused(directory, naming: files[3], ["are missing: no segment file holds them"])
    }

    @Test("a partition folder whose only file is a non-numeric *.log opens (the file is left alone) instead of crashing")
    func foreignLogFile() async throws {
        let directory = temporaryDirectory()
        do {
            let broker = try await makeBroker(["t": 1], storage: .directory(directory))
            broker.close()
        }
        let folder = directory + "/topics/t-0"
        for file in try FileManager.default.contentsOfDirectory(atPath: folder) { try FileManager.default.removeItem(atPath: folder + "/" + file) }
        try RecoveryCheckpointFile.remove(in: directory)
        let foreign = folder + "/notes-from-operations.log"
        try Data("keep me".utf8).write(to: URL(fileURLWithPath: foreign))
        try Data("me too".utf8).write(to: URL(fileURLWithPath: folder + "/0000000000000000000x.log"))
        let broker = try open(directory)
        #expect(try broker.offsets(of: TopicPartition("t", 0)).end == 0)
        broker.close()
        #expect(FileManager.default.contents(atPath: foreign) == Data("keep me".utf8))
    }

    @Test("a segment path that is a folder or a FIFO is refused as such, and nothing opens it")
    func segmentThatIsNotAFile() async throws {
        for kind in ["a directory", "a FIFO"] {
            let directory = temporaryDirectory()
            try await fill(directory, records: 1, segmentBytes: 1 << 20)
            let segment = try #require(segments(directory).first)
            try FileManager.default.removeItem(atPath: segment)
            if kind == "a FIFO" {
                #expect(mkfifo(segment, 0o644) == 0)
            } else {
                try FileManager.default.createDirectory(atPath: segment, withIntermediateDirectories: false)
            }
            #expect(await expectTransportError(.storage, containing: "\(segment) is \(kind), not a segment file") { _ = try open(directory) })
        }
    }

    // MARK: Journals and the checkpoint

    @Test("one flipped byte in topics.journal is refused naming the entry; the journal is not emptied")
    func flippedByteInTopicsJournal() async throws {
        let directory = temporaryDirectory()
        _ = try await makeBroker(["a": 1, "b": 1], storage: .directory(directory)).close()
        let journal = directory + "/topics.journal"
        try flip(journal) { _ in 12 }
        expectRefused(directory, naming: journal, ["at entry 1", "intact entries follow it"])
        #expect(try Data(contentsOf: URL(fileURLWithPath: journal)).count > 0)
    }

    @Test("a garbage offsets.journal is refused, not emptied: every group's offsets stay on disk")
    func garbageOffsetsJournal() async throws {
        let directory = temporaryDirectory()
        _ = try await makeBroker(["t": 1], storage: .directory(directory)).close()
        var generator = SplitMix64(seed: 3)
        let garbage = Data((0..<4096).map { _ in UInt8(truncatingIfNeeded: generator.next()) })
        try garbage.write(to: URL(fileURLWithPath: directory + "/offsets.journal"))
        expectRefused(directory, naming: directory + "/offsets.journal", ["at entry 1"])
    }

    @Test("a torn last offsets entry is cut; the commits before it stay")
    func tornOffsetsEntry() async throws {
        let directory = temporaryDirectory()
        do {
            let broker = try await makeBroker(["t": 1], storage: .directory(directory))
            let producer = try await broker.makeProducer(ProducerConfig(acks: .all))
            _ = try await producer.send((0..<3).map { record("t", key: nil, "r\($0)", partition: 0) })
            let consumer = try await broker.makeConsumer(ConsumerConfig(groupId: "g", offsetReset: .earliest, autoCommitInterval: nil))
            try await consumer.subscribe(["t"])
            _ = try await drain(consumer, count: 3)
            try await consumer.commit([TopicPartition("t", 0): 2])
            try await consumer.commit([TopicPartition("t", 0): 3])
            broker.close()
        }
        let journal = directory + "/offsets.journal"
        let whole = try Data(contentsOf: URL(fileURLWithPath: journal))
        // A header and five bytes of an entry: a commit the crash cut short.
        try (whole + whole.prefix(13)).write(to: URL(fileURLWithPath: journal))
        let broker = try open(directory)
        #expect(broker.committedOffsets(group: "g")[TopicPartition("t", 0)] == 3)
        broker.close()
    }

    @Test("a damaged recovery checkpoint is refused: it is replaced atomically, so a crash cannot tear it")
    func damagedCheckpoint() async throws {
        let directory = temporaryDirectory()
        try await fill(directory, records: 2, segmentBytes: 1 << 20)
        let checkpoint = directory + "/recovery-points"
        try flip(checkpoint) { $0.count - 1 }
        expectRefused(directory, naming: checkpoint)
    }

    // MARK: Read-only

    @Test("read-only opening writes nothing: a torn tail is skipped, not cut; no journal is compacted; no lock file appears")
    func readOnlyWritesNothing() async throws {
        let directory = temporaryDirectory()
        try await fill(directory, records: 5, segmentBytes: 200)
        try RecoveryCheckpointFile.remove(in: directory)
        try FileManager.default.removeItem(atPath: directory + "/.lock")
        let last = try #require(segments(directory).last)
        let whole = try Data(contentsOf: URL(fileURLWithPath: last))
        try (whole + Data([90, 0, 0, 0, 1, 2, 3, 4, 5])).write(to: URL(fileURLWithPath: last))
        let before = fileContents(under: directory)

        let broker = try open(directory, readOnly: true)
        #expect(try await texts(broker) == (0..<5).map { "r\($0)" })
        #expect(await expectTransportError(.storage, containing: "read-only") {
            _ = try await broker.append([record("t", key: nil, "x")], to: TopicPartition("t", 0), producer: nil)
        })
        #expect(await expectTransportError(.storage, containing: "read-only") { try await broker.createTopic("u", config: TopicConfig(partitions: 1)) })
        let consumer = try await broker.makeConsumer(ConsumerConfig(groupId: "g", offsetReset: .earliest))
        try await consumer.subscribe(["t"])
        _ = try await drain(consumer, count: 5)
        #expect(await expectTransportError(.storage, containing: "read-only") { try await consumer.commitPositions() })
        try broker.enforceRetention()
        broker.close()
        #expect(fileContents(under: directory) == before)
    }

    @Test("a read-only broker opens beside a running one (inspection needs no lock), and sees what the writer flushed")
    func readOnlyBesideAWriter() async throws {
        let directory = temporaryDirectory()
        let writer = try await makeBroker(["t": 1], storage: .directory(directory))
        let producer = try await writer.makeProducer(ProducerConfig(acks: .all))
        _ = try await producer.send([record("t", key: nil, "r0", partition: 0)])
        let reader = try open(directory, readOnly: true)
        #expect(try await texts(reader) == ["r0"])
        reader.close()
        writer.close()
    }

    @Test("a folder that is not there is refused read-only, and not created")
    func readOnlyMissingFolder() async throws {
        let directory = temporaryDirectory() + "/nothing-here"
        #expect(await expectTransportError(.storage, containing: "is not a broker folder") { _ = try open(directory, readOnly: true) })
        #expect(!FileManager.default.fileExists(atPath: directory))
    }
}

/// The recovery checkpoint, removed to stand for a crash that came before it covered the newest
/// records.
enum RecoveryCheckpointFile {
    static func remove(in directory: String) throws {
        let path = directory + "/recovery-points"
        if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
    }
}
