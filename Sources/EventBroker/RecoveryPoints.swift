import EventTransport
import Synchronization

/// The recovery-point checkpoint, `recovery-points` in the broker folder, as Kafka's
/// `recovery-point-offset-checkpoint`: per partition, an offset below which every record is
/// known to be on disk. Recovery refuses damage below it instead of taking it for a torn tail.
/// It is replaced atomically, so it is never torn itself: any damage in it is refused too.
enum RecoveryPoints {
    static func path(_ root: String) -> String { root + "/recovery-points" }

    static func read(root: String, fileSystem: any BrokerFileSystem) throws(TransportError) -> [TopicPartition: Int64] {
        let path = path(root)
        let contents = try BrokerJournal.read(path, root: root, fileSystem: fileSystem)
        guard contents.intactBytes == contents.size else {
            throw StorageDamage(
                path: path, place: "at byte \(contents.intactBytes)",
                reason: "the file is replaced atomically, so a crash cannot tear it", root: root
            ).transportError
        }
        var points: [TopicPartition: Int64] = [:]
        for (index, entry) in contents.entries.enumerated() {
            let decoded = entry.withUnsafeBytes { raw -> (TopicPartition, Int64)? in
                var reader = ByteReader(raw)
                guard let topic = reader.readString(), let partition: Int32 = reader.read(), let offset: Int64 = reader.read(),
                    reader.isAtEnd, partition >= 0, offset >= 0
                else { return nil }
                return (TopicPartition(topic, Int(partition)), offset)
            }
            guard let (partition, offset) = decoded else {
                throw StorageDamage(path: path, place: "at entry \(index + 1)", reason: "the entry does not parse", root: root).transportError
            }
            points[partition] = offset
        }
        return points
    }

    static func write(_ points: [TopicPartition: Int64], root: String, fileSystem: any BrokerFileSystem) throws(TransportError) {
        var writer = ByteWriter()
        for (partition, offset) in points.sorted(by: { $0.key < $1.key }) {
            let frame = writer.beginFrame()
            writer.write(string: partition.topic)
            writer.write(Int32(partition.partition))
            writer.write(offset)
            writer.endFrame(frame)
        }
        try fileSystem.writeAtomically(writer.buffer, to: path(root))
    }
}

/// Keeps the recovery points as the flusher makes writes durable, and writes the checkpoint at
/// most once per `interval` (and on close): often enough that little is past it after a crash,
/// rarely enough that its fsyncs cost nothing next to the records'.
final class RecoveryCheckpointer: Sendable {
    private struct State {
        var points: [TopicPartition: Int64]
        var changed = false
        var lastWrite: ContinuousClock.Instant
    }

    private let state: Mutex<State>
    private let root: String
    private let fileSystem: any BrokerFileSystem
    private let interval: Duration

    init(points: [TopicPartition: Int64], root: String, fileSystem: any BrokerFileSystem, interval: Duration) {
        state = Mutex(State(points: points, lastWrite: .now))
        self.root = root
        self.fileSystem = fileSystem
        self.interval = interval
    }

    /// Records that everything up to these offsets is now on disk; writes the checkpoint if due.
    /// The write happens under the lock, so two writers never race on the temporary file.
    func advance(_ durable: [TopicPartition: Int64]) throws(TransportError) {
        try state.withLock { (state) throws(TransportError) in
            for (partition, offset) in durable where offset > state.points[partition] ?? -1 {
                state.points[partition] = offset
                state.changed = true
            }
            guard state.changed, ContinuousClock.now - state.lastWrite >= interval else { return }
            try write(&state)
        }
    }

    /// Writes the checkpoint now if anything changed since the last one (on close).
    func writeIfChanged() throws(TransportError) {
        try state.withLock { (state) throws(TransportError) in
            if state.changed { try write(&state) }
        }
    }

    private func write(_ state: inout State) throws(TransportError) {
        try RecoveryPoints.write(state.points, root: root, fileSystem: fileSystem)
        state.changed = false
        state.lastWrite = .now
    }
}
