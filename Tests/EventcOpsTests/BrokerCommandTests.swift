import EventRuntime
import EventTestSupport
import EventcCommandLine
import Foundation
import Testing
@testable import eventc_ops

@Suite("eventc-ops broker verify and repair")
struct BrokerCommandTests {
    /// A durable folder whose orders.dlq holds 40 dead letters, sent one by one with acks=all
    /// into many small segments.
    private func folderWithDeadLetters() async throws -> String {
        let directory = temporaryDirectory()
        var options = InProcessBroker.Options(storage: .directory(directory))
        options.logger.logLevel = .error
        let broker = try InProcessBroker(options)
        try await broker.createTopic("orders.dlq", config: TopicConfig(partitions: 1, segmentBytes: 700))
        let producer = try await broker.makeProducer(ProducerConfig(acks: .all))
        for index in 0..<40 {
            _ = try await producer.send([OutgoingRecord(
                topic: "orders.dlq", key: Array("o\(index)".utf8), value: Array("{\"orderId\":\"o\(index)\"}".utf8),
                headers: [
                    RecordHeader(CloudEventHeader.id, "id-\(index)"), RecordHeader(CloudEventHeader.type, "OrderApproved"),
                    RecordHeader(DeadLetterHeader.originalTopic, "orders"), RecordHeader(DeadLetterHeader.originalPartition, "0"),
                    RecordHeader(DeadLetterHeader.originalOffset, "\(index)"), RecordHeader(DeadLetterHeader.cause, "exhausted"),
                ],
                partition: 0)])
        }
        broker.close()
        return directory
    }

    private func segments(_ directory: String) throws -> [String] {
        let folder = directory + "/topics/orders.dlq-0"
        return try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".log") }.sorted().map { folder + "/" + $0 }
    }

    /// Flips a byte inside the last record of the first segment (offset `lostOffset`).
    private func damageFirstSegment(_ directory: String) throws -> String {
        let first = try #require(try segments(directory).first)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: first))
        bytes[bytes.count - 5] ^= 0x01
        try bytes.write(to: URL(fileURLWithPath: first))
        return first
    }

    @Test("dlq list on a folder with one flipped byte in its first segment is refused, names the file, and deletes nothing")
    func listRefusesDamage() async throws {
        let directory = try await folderWithDeadLetters()
        let files = try segments(directory)
        #expect(files.count >= 14)
        let damaged = try damageFirstSegment(directory)
        let before = fileContents(under: directory)
        let outcome = await DeadLetterListRun(topic: "orders.dlq", source: .brokerDirectory(directory), format: .text).execute()
        #expect(outcome.exitCode == EventcExit.usageOrIO)
        #expect(outcome.errorOutput.contains("\(damaged) is damaged at byte"), "\(outcome.errorOutput)")
        #expect(outcome.errorOutput.contains("eventc-ops broker repair"))
        #expect(fileContents(under: directory) == before)
        #expect(try segments(directory) == files)
    }

    @Test("dlq list reads a clean folder without writing anything to it, even the lock file")
    func listWritesNothing() async throws {
        let directory = try await folderWithDeadLetters()
        try FileManager.default.removeItem(atPath: directory + "/.lock")
        let before = fileContents(under: directory)
        let outcome = await DeadLetterListRun(topic: "orders.dlq", source: .brokerDirectory(directory), format: .text).execute()
        #expect(outcome.exitCode == EventcExit.clean)
        #expect(outcome.output.hasSuffix("40 dead letters in orders.dlq\n"))
        #expect(fileContents(under: directory) == before)
    }

    @Test("verify lists the damaged file and exits 1 without changing anything; on a clean folder it exits 0")
    func verifyReports() async throws {
        let directory = try await folderWithDeadLetters()
        let clean = BrokerVerifyRun(brokerDirectory: directory).execute()
        #expect(clean.exitCode == EventcExit.clean)
        #expect(clean.output == "\(directory): 1 topic, 1 partition, 40 readable records, no damage\n")

        let damaged = try damageFirstSegment(directory)
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: directory + "/offsets.journal"))
        let before = fileContents(under: directory)
        let outcome = BrokerVerifyRun(brokerDirectory: directory).execute()
        #expect(outcome.exitCode == EventcExit.findings)
        #expect(outcome.output.contains("error: \(damaged) is damaged at byte"), "\(outcome.output)")
        #expect(outcome.output.contains("note: \(directory)/offsets.journal: a torn last entry (3 bytes)"), "\(outcome.output)")
        #expect(outcome.output.hasSuffix("1 damaged file\n"))
        #expect(fileContents(under: directory) == before)
    }

    @Test("repair quarantines the damaged segment, keeps every intact record at its offset, and the broker opens again")
    func repairKeepsTheRest() async throws {
        let directory = try await folderWithDeadLetters()
        let damaged = try damageFirstSegment(directory)
        let original = try Data(contentsOf: URL(fileURLWithPath: damaged))
        let outcome = BrokerRepairRun(brokerDirectory: directory, stamp: "20261204T000000Z").execute()
        #expect(outcome.exitCode == EventcExit.clean, "\(outcome.output)")
        #expect(outcome.output.contains("\(damaged): damaged; kept"), "\(outcome.output)")
        #expect(outcome.output.hasSuffix("39 readable records, no damage\n"), "\(outcome.output)")
        let quarantined = directory + "/quarantine/20261204T000000Z/topics/orders.dlq-0/" + URL(fileURLWithPath: damaged).lastPathComponent
        #expect(FileManager.default.contents(atPath: quarantined) == original)

        let list = await DeadLetterListRun(topic: "orders.dlq", source: .brokerDirectory(directory), format: .json).execute()
        let letters = try #require(try JSONSerialization.jsonObject(with: Data(list.output.utf8)) as? [[String: Any]])
        let offsets = letters.compactMap { $0["offset"] as? Int }
        #expect(offsets.count == 39)
        let lost = try #require(Set(0..<40).subtracting(offsets).first)
        #expect(offsets == (0..<40).filter { $0 != lost })
        // Writable again: appends go on after the last offset.
        var options = InProcessBroker.Options(storage: .directory(directory))
        options.logger.logLevel = .error
        let broker = try InProcessBroker(options)
        #expect(try broker.offsets(of: TopicPartition("orders.dlq", 0)).end == 40)
        broker.close()
        #expect(BrokerRepairRun(brokerDirectory: directory, stamp: "x").execute().output.hasPrefix("nothing to repair\n"))
    }

    @Test("repair of a missing segment leaves a gap note, and reading steps over the gap")
    func repairMissingSegment() async throws {
        let directory = try await folderWithDeadLetters()
        let files = try segments(directory)
        try FileManager.default.removeItem(atPath: files[1])
        #expect(BrokerVerifyRun(brokerDirectory: directory).execute().exitCode == EventcExit.findings)
        let outcome = BrokerRepairRun(brokerDirectory: directory, stamp: "s").execute()
        #expect(outcome.exitCode == EventcExit.clean, "\(outcome.output)")
        #expect(outcome.output.contains("are lost (no segment file holds them)"))
        let list = await DeadLetterListRun(topic: "orders.dlq", source: .brokerDirectory(directory), format: .json).execute()
        let letters = try #require(try JSONSerialization.jsonObject(with: Data(list.output.utf8)) as? [[String: Any]])
        #expect(letters.count < 40 && letters.count > 30)
        #expect(letters.last?["offset"] as? Int == 39)
    }

    @Test("repair of a damaged topics.journal keeps its intact entries and quarantines the file")
    func repairJournal() async throws {
        let directory = try await folderWithDeadLetters()
        do {
            var options = InProcessBroker.Options(storage: .directory(directory))
            options.logger.logLevel = .error
            let broker = try InProcessBroker(options)
            try await broker.createTopic("second", config: TopicConfig(partitions: 1))
            broker.close()
        }
        let journal = directory + "/topics.journal"
        var bytes = try Data(contentsOf: URL(fileURLWithPath: journal))
        bytes[10] ^= 0x20
        try bytes.write(to: URL(fileURLWithPath: journal))
        let outcome = BrokerRepairRun(brokerDirectory: directory, stamp: "s").execute()
        #expect(outcome.output.contains("\(journal): kept 1 intact entry"), "\(outcome.output)")
        #expect(FileManager.default.contents(atPath: directory + "/quarantine/s/topics.journal") == bytes)
        #expect(outcome.exitCode == EventcExit.clean)
        #expect(outcome.output.contains("note: \(directory)/topics/orders.dlq-0: no topic in topics.journal owns this folder"), "\(outcome.output)")
        var options = InProcessBroker.Options(storage: .directory(directory))
        options.logger.logLevel = .error
        let broker = try InProcessBroker(options)
        #expect(broker.topicNames() == ["second"])
        broker.close()
    }
}
