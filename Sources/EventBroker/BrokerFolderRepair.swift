import EventTransport

/// `eventc-ops broker repair`: the explicit act that gets a damaged folder open again. Nothing is
/// deleted: each damaged file is moved whole into `quarantine/<stamp>/` (same relative path),
/// and what was intact in it is written back around the damage. A segment keeps its intact
/// batches, split into segments at the damage, with a `.gap` note naming the offsets lost; a
/// journal keeps its intact entries. Offsets never move, so committed positions stay valid.
package struct BrokerFolderRepair {
    let root: String
    let fileSystem: any BrokerFileSystem
    let quarantine: String
    private(set) var actions: [String] = []

    /// Repairs `root`, quarantining into `root/quarantine/<stamp>`. Takes the folder's lock, so a
    /// running broker is never repaired under it. Returns one line per thing it did.
    package static func repair(
        _ root: String, stamp: String, fileSystem: any BrokerFileSystem = PosixFileSystem()
    ) throws(TransportError) -> [String] {
        guard fileSystem.kind(of: root) == .directory else {
            throw TransportError(.storage, "\(root) is not a broker folder (\(fileSystem.kind(of: root).description)): check the path")
        }
        let lock = try fileSystem.lock(root)
        defer { lock.release() }
        var repair = BrokerFolderRepair(root: root, fileSystem: fileSystem, quarantine: root + "/quarantine/" + stamp)
        try repair.run()
        return repair.actions
    }

    private mutating func run() throws(TransportError) {
        var points: [TopicPartition: Int64] = [:]
        do {
            points = try RecoveryPoints.read(root: root, fileSystem: fileSystem)
        } catch {
            let moved = try moveToQuarantine(RecoveryPoints.path(root))
            actions.append("\(RecoveryPoints.path(root)): damaged; moved to \(moved) (the next open checks every partition without it)")
        }
        for kind in JournalKind.allCases { try repairJournal(kind) }
        let topics = try BrokerJournal.read(JournalKind.topics.path(root), root: root, fileSystem: fileSystem).entries.compactMap(JournalKind.topic)
        var pointsChanged = false
        for (name, config) in topics {
            for index in 0..<config.partitions {
                let partition = TopicPartition(name, index)
                let storage = InProcessBroker.partitionStorage(root, partition, fileSystem: fileSystem, writable: true)
                let readOnly = InProcessBroker.partitionStorage(root, partition, fileSystem: fileSystem, writable: false)
                guard (try? PartitionLog.recover(partition, storage: readOnly, recoveryPoint: points[partition])) == nil else { continue }
                try repairPartition(storage, recoveryPoint: points[partition])
                // The next open checks the repaired log from its start and checkpoints it anew.
                points[partition] = nil
                pointsChanged = true
            }
        }
        if pointsChanged { try RecoveryPoints.write(points, root: root, fileSystem: fileSystem) }
    }

    // MARK: Journals

    /// Keeps every intact entry that parses, wherever it is in the file.
    private mutating func repairJournal(_ kind: JournalKind) throws(TransportError) {
        let path = kind.path(root)
        guard (try? BrokerJournal.read(path, root: root, fileSystem: fileSystem).entries.allSatisfy(kind.parses)) != true else { return }
        let bytes = try fileSystem.read(path)
        var kept: [UInt8] = []
        var count = 0
        bytes.withUnsafeBytes { raw in
            var position = 0
            while position < raw.count {
                guard let payload = RecordFraming.intactFrame(in: raw, at: position) else {
                    position = RecordFraming.nextIntactFrame(in: raw, after: position) ?? raw.count
                    continue
                }
                if kind.parses(Array(raw[payload])) {
                    kept += raw[position..<payload.upperBound]
                    count += 1
                }
                position = payload.upperBound
            }
        }
        let moved = try moveToQuarantine(path)
        try fileSystem.writeAtomically(kept, to: path)
        actions.append("\(path): kept \(count) intact entr\(count == 1 ? "y" : "ies"); moved the damaged file to \(moved)")
    }

    // MARK: Partitions

    private mutating func repairPartition(_ storage: PartitionStorage, recoveryPoint: Int64?) throws(TransportError) {
        let directory = storage.directory
        if fileSystem.kind(of: directory) != .directory {
            if fileSystem.kind(of: directory) != .missing {
                let moved = try moveToQuarantine(directory)
                actions.append("\(directory): not a folder; moved to \(moved)")
            }
            try startEmpty(storage, at: recoveryPoint ?? 0, reason: "the partition's folder was missing")
            return
        }
        var expected: Int64?
        var kept = 0
        for name in try fileSystem.list(directory) {
            guard let base = PartitionFolder.base(of: name, suffix: ".log") else { continue }
            let path = directory + "/" + name
            guard fileSystem.kind(of: path) == .regular else {
                let moved = try moveToQuarantine(path)
                actions.append("\(path): \(fileSystem.kind(of: moved).description), not a segment file; moved to \(moved)")
                continue
            }
            let bytes = try fileSystem.read(path)
            let runs = bytes.withUnsafeBytes { SegmentRuns.split($0, base: base) }
            if runs.isWhole(size: bytes.count, base: base) {
                try keepWholeSegment(path, base: base, runs: runs, expected: &expected, directory: directory)
            } else {
                try rewriteDamagedSegment(path, bytes: bytes, runs: runs, expected: &expected, directory: directory)
            }
            kept += 1
        }
        if kept == 0 {
            try startEmpty(storage, at: expected ?? recoveryPoint ?? 0, reason: "no segment file was left")
        }
        try fileSystem.syncDirectory(directory)
    }

    /// A whole segment stays; if offsets before it are missing, a gap note says so.
    private mutating func keepWholeSegment(
        _ path: String, base: Int64, runs: SegmentRuns, expected: inout Int64?, directory: String
    ) throws(TransportError) {
        if let previousEnd = expected, base != previousEnd {
            if base < previousEnd {
                let moved = try moveToQuarantine(path)
                actions.append("\(path): overlaps the segment before it (which ends at \(previousEnd)); moved to \(moved)")
                return
            }
            if fileSystem.kind(of: PartitionFolder.gapPath(directory, base: base)) == .missing {
                try writeGapNote(directory, from: previousEnd, to: base, because: "no segment file holds them")
            }
        }
        expected = runs.runs.last?.next ?? base
    }

    /// Moves a damaged segment to quarantine and writes its intact runs back, one segment each.
    private mutating func rewriteDamagedSegment(
        _ path: String, bytes: [UInt8], runs: SegmentRuns, expected: inout Int64?, directory: String
    ) throws(TransportError) {
        let moved = try moveToQuarantine(path)
        var records = 0
        for run in runs.runs where run.first >= (expected ?? run.first) {
            try fileSystem.writeAtomically(Array(bytes[run.bytes]), to: PartitionLog.segmentPath(directory, base: run.first))
            if let previousEnd = expected, run.first > previousEnd {
                try writeGapNote(directory, from: previousEnd, to: run.first, because: "they were damaged in \(path), now \(moved)")
            }
            records += Int(run.next - run.first)
            expected = run.next
        }
        actions.append("\(path): damaged; kept \(records) intact record\(records == 1 ? "" : "s") in \(runs.runs.count) segment\(runs.runs.count == 1 ? "" : "s"); moved the file to \(moved)")
    }

    private mutating func writeGapNote(_ directory: String, from start: Int64, to end: Int64, because reason: String) throws(TransportError) {
        let note = "offsets \(start)..<\(end) are not in this log: \(reason). Written by eventc-ops broker repair.\n"
        try fileSystem.writeAtomically(Array(note.utf8), to: PartitionFolder.gapPath(directory, base: end))
        actions.append("\(directory): offsets \(start)..<\(end) are lost (\(reason)); the log goes on at \(end)")
    }

    private mutating func startEmpty(_ storage: PartitionStorage, at base: Int64, reason: String) throws(TransportError) {
        _ = try PartitionLog.createSegmentFile(base: base, in: storage)
        actions.append("\(storage.directory): \(reason); the partition starts again, empty, at offset \(base)")
    }

    private func moveToQuarantine(_ path: String) throws(TransportError) -> String {
        let destination = quarantine + "/" + String(path.dropFirst(root.count + 1))
        try fileSystem.createDirectory(PosixFileSystem.parent(of: destination))
        try fileSystem.rename(path, destination)
        try fileSystem.syncDirectory(PosixFileSystem.parent(of: destination))
        try fileSystem.syncDirectory(PosixFileSystem.parent(of: path))
        return destination
    }
}

/// A segment's intact batches as runs of consecutive offsets, with the damage between them left out.
struct SegmentRuns {
    struct Run {
        var bytes: Range<Int>
        var first: Int64
        var next: Int64
    }

    var runs: [Run] = []

    func isWhole(size: Int, base: Int64) -> Bool {
        size == 0 || (runs.count == 1 && runs[0].bytes == 0..<size && runs[0].first == base)
    }

    static func split(_ raw: UnsafeRawBufferPointer, base: Int64) -> SegmentRuns {
        var result = SegmentRuns()
        var position = 0
        var expected: Int64? = base
        while position < raw.count {
            let scan = SegmentScan(raw, from: position, firstOffset: expected)
            if let first = scan.records.first, let last = scan.records.last, first.offset >= (result.runs.last?.next ?? first.offset) {
                result.runs.append(Run(bytes: position..<scan.intactBytes, first: first.offset, next: last.offset + 1))
            }
            guard !scan.isWhole, scan.stoppedAt < raw.count,
                let resume = RecordFraming.nextIntactFrame(in: raw, after: scan.stoppedAt)
            else { break }
            position = resume
            expected = nil
        }
        return result
    }
}
