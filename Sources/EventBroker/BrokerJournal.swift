import EventTransport
import Foundation

/// A small append-only file of framed entries beside the logs: topic definitions, committed
/// group offsets and transactional ids. Read whole on open (a torn last entry is cut), and
/// compacted by rewriting it through a temporary file and an atomic rename.
struct BrokerJournal: Sendable {
    let path: String
    let file: AppendFile

    /// Opens (or creates) the journal and returns its intact entries.
    static func open(_ path: String) throws(TransportError) -> (BrokerJournal, [[UInt8]]) {
        let bytes = try AppendFile.readAll(path)
        let (payloads, valid) = bytes.withUnsafeBytes { RecordFraming.scan($0) }
        let entries = payloads.map { Array(bytes[$0]) }
        let file = try AppendFile(path: path)
        if valid < bytes.count { try file.truncate(to: valid) }
        return (BrokerJournal(path: path, file: file), entries)
    }

    func append(_ entry: (inout ByteWriter) -> Void) throws(TransportError) {
        var writer = ByteWriter()
        let frame = writer.beginFrame()
        entry(&writer)
        writer.endFrame(frame)
        try file.append(writer.buffer)
    }

    /// Replaces the journal's content with `entries`, atomically.
    static func rewrite(_ path: String, entries: [(inout ByteWriter) -> Void]) throws(TransportError) -> BrokerJournal {
        var writer = ByteWriter()
        for entry in entries {
            let frame = writer.beginFrame()
            entry(&writer)
            writer.endFrame(frame)
        }
        let temporary = path + ".tmp"
        try? FileManager.default.removeItem(atPath: temporary)
        let file = try AppendFile(path: temporary)
        try file.append(writer.buffer)
        try file.sync()
        guard rename(temporary, path) == 0 else { throw AppendFile.error("rename", temporary) }
        AppendFile.syncDirectory((path as NSString).deletingLastPathComponent)
        return BrokerJournal(path: path, file: try AppendFile(path: path))
    }
}
