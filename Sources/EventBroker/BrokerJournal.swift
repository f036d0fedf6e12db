import EventTransport

/// A small append-only file of framed entries beside the logs: topic definitions, committed
/// group offsets and transactional ids. Read whole on open; a torn last entry (a crash during
/// its write, before anyone was told it was stored) is cut, but damage with intact entries after
/// it is refused: cutting there would drop entries that were acknowledged.
struct BrokerJournal: Sendable {
    let path: String
    let file: any StorageFile

    /// Entries are a few names and numbers; a longer one is damage (which tells a torn last
    /// entry from a garbage file with near certainty).
    static let maximumEntry = 64 << 10

    /// A journal's entries as they are on disk, read without changing anything.
    struct Contents {
        var entries: [[UInt8]] = []
        /// The entries' bytes; after them, at most a torn tail.
        var intactBytes = 0
        var size = 0
    }

    /// Reads the journal (empty when it does not exist). Throws `StorageDamage` when something
    /// other than a torn tail is wrong with it.
    static func read(_ path: String, root: String, fileSystem: any BrokerFileSystem) throws(TransportError) -> Contents {
        let bytes = try fileSystem.read(path)
        let (payloads, valid, resumes, torn) = bytes.withUnsafeBytes { raw in
            let (payloads, valid) = RecordFraming.scan(raw)
            guard valid < raw.count else { return (payloads, valid, Int?.none, true) }
            return (payloads, valid, RecordFraming.nextIntactFrame(in: raw, after: valid),
                    RecordFraming.looksTorn(raw, at: valid, maximumPayload: maximumEntry))
        }
        if let resumes {
            throw StorageDamage(
                path: path, place: "at entry \(payloads.count + 1) (bytes \(valid)..<\(resumes))",
                reason: "intact entries follow it, so it is not a write a crash tore", root: root
            ).transportError
        }
        if !torn {
            throw StorageDamage(
                path: path, place: "at entry \(payloads.count + 1) (byte \(valid))",
                reason: "it is not what a crash leaves (an entry cut short, or zeros)", root: root
            ).transportError
        }
        return Contents(entries: payloads.map { Array(bytes[$0]) }, intactBytes: valid, size: bytes.count)
    }

    /// Opens (or creates) the journal for appending, cutting a torn tail, and returns its entries.
    static func open(_ path: String, root: String, fileSystem: any BrokerFileSystem) throws(TransportError) -> (BrokerJournal, [[UInt8]]) {
        let contents = try read(path, root: root, fileSystem: fileSystem)
        let file = try fileSystem.openForAppend(path)
        if contents.intactBytes < contents.size {
            try file.truncate(to: contents.intactBytes)
            try file.sync()
        }
        return (BrokerJournal(path: path, file: file), contents.entries)
    }

    func append(_ entry: (inout ByteWriter) -> Void) throws(TransportError) {
        var writer = ByteWriter()
        let frame = writer.beginFrame()
        entry(&writer)
        writer.endFrame(frame)
        try file.append(writer.buffer)
    }

    /// Replaces the journal's content with `entries`, atomically.
    static func rewrite(
        _ path: String, entries: [(inout ByteWriter) -> Void], fileSystem: any BrokerFileSystem
    ) throws(TransportError) -> BrokerJournal {
        var writer = ByteWriter()
        for entry in entries {
            let frame = writer.beginFrame()
            entry(&writer)
            writer.endFrame(frame)
        }
        try fileSystem.writeAtomically(writer.buffer, to: path)
        return BrokerJournal(path: path, file: try fileSystem.openForAppend(path))
    }
}
