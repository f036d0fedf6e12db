import EventBroker
import EventCore
import Synchronization

/// A disk in memory that loses power at a chosen moment. Each file keeps what was written and
/// what an fsync made durable; each folder keeps its entries as they are and as they were when
/// it was last synced. A power failure keeps the durable state and, at random, some of the rest:
/// a prefix of what was appended since the last fsync (cut anywhere, possibly followed by zeros
/// where the file grew but the data never landed), and each entry change not yet synced into
/// its folder, or not. That is what the page cache loses on Linux, directory entries included.
final class SimulatedDisk: BrokerFileSystem, Sendable {
    enum Entry: Equatable, Sendable {
        case file(Int)
        case directory
    }

    /// What survives a power failure: folders and the bytes of their files.
    struct Image: Sendable {
        var folders: [String: [String: Entry]] = ["/": [:]]
        var files: [Int: [UInt8]] = [:]
    }

    private struct Inode {
        var current: [UInt8]
        var durable: [UInt8]
    }

    private struct Folder {
        var current: [String: Entry] = [:]
        var durable: [String: Entry] = [:]
    }

    private struct State {
        var inodes: [Int: Inode] = [:]
        var folders: [String: Folder] = [:]
        var nextInode = 0
        var operations = 0
        var crashAt: Int
        var image: Image?
        var generator: SplitMix64
    }

    private let state: Mutex<State>

    /// A disk holding `image` (empty when nil) whose power fails just before its
    /// `crashAt`-th write, sync, create, rename or remove.
    init(_ image: Image?, crashAt: Int, seed: UInt64) {
        var state = State(crashAt: crashAt, generator: SplitMix64(seed: seed))
        let image = image ?? Image()
        for (path, entries) in image.folders { state.folders[path] = Folder(current: entries, durable: entries) }
        for (id, bytes) in image.files { state.inodes[id] = Inode(current: bytes, durable: bytes) }
        state.nextInode = (image.files.keys.max() ?? -1) + 1
        self.state = Mutex(state)
    }

    /// The image the power failure left, once it happened.
    var crashImage: Image? { state.withLock { $0.image } }

    /// Cuts the power now (if it has not failed yet) and returns what survives.
    func cutPower() -> Image {
        state.withLock { state in
            if state.image == nil { state.image = Self.survivors(&state) }
            return state.image ?? Image()
        }
    }

    // MARK: Power failure

    private static func survivors(_ state: inout State) -> Image {
        var image = Image(folders: [:], files: [:])
        var pending = ["/"]
        while let path = pending.popLast() {
            guard let folder = state.folders[path] else { continue }
            var entries = folder.durable
            for name in Set(folder.current.keys).union(folder.durable.keys) where folder.current[name] != folder.durable[name] {
                if state.generator.next() % 2 == 0 { entries[name] = folder.current[name] }
            }
            image.folders[path] = entries
            for (name, entry) in entries {
                switch entry {
                case .directory: pending.append(child(path, name))
                case .file(let id):
                    if image.files[id] == nil, let inode = state.inodes[id] { image.files[id] = survivingBytes(inode, &state.generator) }
                }
            }
        }
        return image
    }

    private static func survivingBytes(_ inode: Inode, _ generator: inout SplitMix64) -> [UInt8] {
        let durable = inode.durable
        guard inode.current.count > durable.count, inode.current.starts(with: durable) else {
            return generator.next() % 2 == 0 ? durable : inode.current
        }
        let unsynced = inode.current.count - durable.count
        let kept = Int(generator.next() % UInt64(unsynced + 1))
        var bytes = Array(inode.current.prefix(durable.count + kept))
        if generator.next() % 3 == 0 {
            bytes += repeatElement(0, count: Int(generator.next() % UInt64(unsynced - kept + 1)))
        }
        return bytes
    }

    // MARK: BrokerFileSystem

    func kind(of path: String) -> FileKind {
        state.withLock { state in
            if state.folders[path] != nil { return .directory }
            switch state.folders[Self.parent(of: path)]?.current[Self.name(path)] {
            case .file: return .regular
            case .directory: return .directory
            case nil: return .missing
            }
        }
    }

    func createDirectory(_ path: String) throws(TransportError) {
        guard path != "/", kind(of: path) != .directory else { return }
        let parent = Self.parent(of: path)
        try createDirectory(parent)
        mutate { state in
            state.folders[path] = state.folders[path] ?? Folder()
            state.folders[parent]?.current[Self.name(path)] = .directory
        }
        try syncDirectory(parent)
    }

    func list(_ directory: String) throws(TransportError) -> [String] {
        guard let names = state.withLock({ $0.folders[directory]?.current.keys.sorted() }) else {
            throw TransportError(.storage, "cannot list \(directory): no such folder")
        }
        return names
    }

    func read(_ path: String) throws(TransportError) -> [UInt8] {
        try state.withLock { (state) throws(TransportError) in
            switch state.folders[Self.parent(of: path)]?.current[Self.name(path)] {
            case .file(let id): return state.inodes[id]?.current ?? []
            case .directory: throw TransportError(.storage, "\(path) is a directory")
            case nil: return []
            }
        }
    }

    func openForAppend(_ path: String) throws(TransportError) -> any StorageFile {
        let id = try state.withLock { (state) throws(TransportError) -> Int? in
            guard let folder = state.folders[Self.parent(of: path)] else { throw TransportError(.storage, "no folder for \(path)") }
            switch folder.current[Self.name(path)] {
            case .file(let id): return id
            case .directory: throw TransportError(.storage, "\(path) is a directory")
            case nil: return nil
            }
        }
        if let id { return SimulatedFile(disk: self, inode: id, path: path) }
        let created = mutate { state -> Int in
            let id = state.nextInode
            state.nextInode += 1
            state.inodes[id] = Inode(current: [], durable: [])
            state.folders[Self.parent(of: path)]?.current[Self.name(path)] = .file(id)
            return id
        }
        return SimulatedFile(disk: self, inode: created, path: path)
    }

    func remove(_ path: String) throws(TransportError) {
        mutate { state in _ = state.folders[Self.parent(of: path)]?.current.removeValue(forKey: Self.name(path)) }
    }

    func rename(_ source: String, _ destination: String) throws(TransportError) {
        try mutate { (state) throws(TransportError) in
            guard let entry = state.folders[Self.parent(of: source)]?.current.removeValue(forKey: Self.name(source)) else {
                throw TransportError(.storage, "rename \(source): no such file")
            }
            state.folders[Self.parent(of: destination)]?.current[Self.name(destination)] = entry
        }
    }

    func syncDirectory(_ path: String) throws(TransportError) {
        mutate { state in
            if let current = state.folders[path]?.current { state.folders[path]?.durable = current }
        }
    }

    func lock(_ directory: String) throws(TransportError) -> any FolderLock { NoLock() }

    private struct NoLock: FolderLock {
        func release() {}
    }

    // MARK: Files

    func size(_ inode: Int) -> Int { state.withLock { $0.inodes[inode]?.current.count ?? 0 } }
    func append(_ bytes: [UInt8], to inode: Int) { mutate { $0.inodes[inode]?.current += bytes } }
    func truncate(_ inode: Int, to length: Int) {
        mutate { state in
            guard var bytes = state.inodes[inode]?.current else { return }
            bytes.removeLast(max(0, bytes.count - length))
            state.inodes[inode]?.current = bytes
        }
    }
    func sync(_ inode: Int) {
        mutate { state in
            if let current = state.inodes[inode]?.current { state.inodes[inode]?.durable = current }
        }
    }

    /// Applies a change, after taking the power-failure image if this is the change it fails before.
    private func mutate<Result, Failure: Error>(_ body: (inout State) throws(Failure) -> Result) throws(Failure) -> Result {
        try state.withLock { (state) throws(Failure) -> Result in
            state.operations += 1
            if state.operations == state.crashAt, state.image == nil { state.image = Self.survivors(&state) }
            return try body(&state)
        }
    }

    private static func name(_ path: String) -> String { String(path[path.index(after: path.lastIndex(of: "/") ?? path.startIndex)...]) }
    private static func child(_ folder: String, _ name: String) -> String { folder == "/" ? "/" + name : folder + "/" + name }
}

/// A file on the simulated disk.
final class SimulatedFile: StorageFile {
    let path: String
    private let disk: SimulatedDisk
    private let inode: Int

    init(disk: SimulatedDisk, inode: Int, path: String) {
        self.disk = disk
        self.inode = inode
        self.path = path
    }

    var size: Int { disk.size(inode) }
    func append(_ bytes: [UInt8]) throws(TransportError) { disk.append(bytes, to: inode) }
    func truncate(to length: Int) throws(TransportError) { disk.truncate(inode, to: length) }
    func sync() throws(TransportError) { disk.sync(inode) }
}
