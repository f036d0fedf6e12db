import EventTransport

/// What `eventc-ops broker verify` found in a broker folder.
package struct BrokerFolderReport: Sendable {
    /// One message per damaged file: what opening the broker would refuse.
    package var damage: [String] = []
    /// What recovery handles by itself (a torn tail) or leaves alone (files it did not write).
    package var notes: [String] = []
    package var topics = 0
    package var partitions = 0
    package var records = 0

    package var isClean: Bool { damage.isEmpty }
}

/// Reads a broker folder the way recovery does, without changing anything, and lists every
/// damaged file (opening stops at the first).
package enum BrokerFolderCheck {
    package static func verify(_ root: String, fileSystem: any BrokerFileSystem = PosixFileSystem()) throws(TransportError) -> BrokerFolderReport {
        guard fileSystem.kind(of: root) == .directory else {
            throw TransportError(.storage, "\(root) is not a broker folder (\(fileSystem.kind(of: root).description)): check the path")
        }
        var report = BrokerFolderReport()
        var points: [TopicPartition: Int64] = [:]
        do {
            points = try RecoveryPoints.read(root: root, fileSystem: fileSystem)
        } catch {
            report.damage.append(error.message)
        }
        var topics: [(name: String, config: TopicConfig)] = []
        for kind in JournalKind.allCases {
            do {
                let contents = try BrokerJournal.read(kind.path(root), root: root, fileSystem: fileSystem)
                for (index, entry) in contents.entries.enumerated() {
                    if kind == .topics, let topic = JournalKind.topic(entry) { topics.append(topic) }
                    if !kind.parses(entry) {
                        report.damage.append(StorageDamage(
                            path: kind.path(root), place: "at entry \(index + 1)", reason: "its checksum is good but it does not parse",
                            root: root
                        ).description)
                    }
                }
                if contents.intactBytes < contents.size {
                    report.notes.append("\(kind.path(root)): a torn last entry (\(contents.size - contents.intactBytes) bytes), cut when the broker next opens")
                }
            } catch {
                report.damage.append(error.message)
            }
        }
        report.topics = topics.count
        for (name, config) in topics {
            for index in 0..<config.partitions {
                verifyPartition(TopicPartition(name, index), root: root, fileSystem: fileSystem, points: points, into: &report)
            }
        }
        noteOrphanFolders(root, topics: topics, fileSystem: fileSystem, into: &report)
        return report
    }

    private static func verifyPartition(
        _ partition: TopicPartition, root: String, fileSystem: any BrokerFileSystem, points: [TopicPartition: Int64],
        into report: inout BrokerFolderReport
    ) {
        report.partitions += 1
        let storage = InProcessBroker.partitionStorage(root, partition, fileSystem: fileSystem, writable: false)
        do {
            let (_, recovered) = try PartitionLog.recover(partition, storage: storage, recoveryPoint: points[partition])
            report.records += recovered.records
            if recovered.tornBytes > 0 {
                report.notes.append("\(storage.directory): a torn tail (\(recovered.tornBytes) bytes) past the recovery point, cut when the broker next opens")
            }
            if !recovered.foreignFiles.isEmpty {
                report.notes.append("\(storage.directory): files the broker did not write, left alone: \(recovered.foreignFiles.joined(separator: ", "))")
            }
        } catch {
            report.damage.append(error.message)
        }
    }

    /// Partition folders no topic in the journal owns: a topic whose journal entry was lost.
    private static func noteOrphanFolders(
        _ root: String, topics: [(name: String, config: TopicConfig)], fileSystem: any BrokerFileSystem,
        into report: inout BrokerFolderReport
    ) {
        var owned: Set<String> = []
        for (name, config) in topics {
            for index in 0..<config.partitions { owned.insert(name + "-" + String(index)) }
        }
        let folders = (try? fileSystem.list(root + "/topics")) ?? []
        for folder in folders where !owned.contains(folder) {
            report.notes.append("\(root)/topics/\(folder): no topic in topics.journal owns this folder; it is left alone")
        }
    }
}
