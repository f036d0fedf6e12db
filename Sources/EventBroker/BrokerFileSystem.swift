import EventTransport
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Everything a durable broker does to its folder, behind one protocol: the operating system's
/// files in service, and in tests a simulated disk that can lose power at any moment (dropping or
/// tearing whatever was written since the last fsync, directory entries included), so recovery is
/// tested against what a power failure really leaves, not only against kill -9.
package protocol BrokerFileSystem: Sendable {
    func kind(of path: String) -> FileKind
    /// Creates the folder (and its parents); a new folder's entry is made durable in its parent.
    func createDirectory(_ path: String) throws(TransportError)
    /// The names in a folder, sorted.
    func list(_ directory: String) throws(TransportError) -> [String]
    /// A regular file's bytes; empty when it does not exist.
    func read(_ path: String) throws(TransportError) -> [UInt8]
    /// Opens a file for appending, creating it if needed.
    func openForAppend(_ path: String) throws(TransportError) -> any StorageFile
    func remove(_ path: String) throws(TransportError)
    /// Moves `source` over `destination` atomically.
    func rename(_ source: String, _ destination: String) throws(TransportError)
    /// Makes a folder's new, renamed and removed entries durable (Linux needs it for a new file to
    /// survive a power failure, however often the file itself was fsynced).
    func syncDirectory(_ path: String) throws(TransportError)
    /// Locks the folder against other writing brokers. Released when the lock is released or the
    /// process ends. (Reading takes no lock: it changes nothing, and may run beside a writer.)
    func lock(_ directory: String) throws(TransportError) -> any FolderLock
}

/// What a path is, before anything opens it: a FIFO or a device must never be opened as a segment.
package enum FileKind: Sendable, Equatable {
    case missing, regular, directory
    /// Something else: a FIFO, a socket, a device, named for the messages.
    case other(String)

    package var description: String {
        switch self {
        case .missing: "missing"
        case .regular: "a file"
        case .directory: "a directory"
        case .other(let name): name
        }
    }
}

/// An append-only file: segment files and journals. A class so the flusher can keep one open while
/// it fsyncs outside the broker's lock. `size` changes only under the broker's lock; `sync()` may
/// run on any thread.
package protocol StorageFile: AnyObject, Sendable {
    var path: String { get }
    var size: Int { get }
    /// Writes all of `bytes` or, on failure, cuts the file back so no partial frame stays behind.
    func append(_ bytes: [UInt8]) throws(TransportError)
    func truncate(to length: Int) throws(TransportError)
    func sync() throws(TransportError)
}

package protocol FolderLock: Sendable {
    func release()
}

/// The operating system's file system.
package struct PosixFileSystem: BrokerFileSystem {
    package init() {}

    package func kind(of path: String) -> FileKind {
        var status = stat()
        guard lstat(path, &status) == 0 else { return .missing }
        switch status.st_mode & S_IFMT {
        case S_IFREG: return .regular
        case S_IFDIR: return .directory
        case S_IFIFO: return .other("a FIFO")
        case S_IFSOCK: return .other("a socket")
        case S_IFLNK: return .other("a symbolic link")
        default: return .other("a device")
        }
    }

    package func createDirectory(_ path: String) throws(TransportError) {
        guard kind(of: path) != .directory else { return }
        let parent = (path as NSString).deletingLastPathComponent
        if !parent.isEmpty, parent != path { try createDirectory(parent) }
        guard mkdir(path, 0o755) == 0 || errno == EEXIST else { throw PosixFile.error("create the folder", path) }
        if !parent.isEmpty { try syncDirectory(parent) }
    }

    package func list(_ directory: String) throws(TransportError) -> [String] {
        do {
            return try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        } catch {
            throw TransportError(.storage, "cannot list \(directory): \(error.localizedDescription); check its permissions")
        }
    }

    package func read(_ path: String) throws(TransportError) -> [UInt8] {
        switch kind(of: path) {
        case .missing: return []
        case .regular: break
        case let other: throw TransportError(.storage, "\(path) is \(other.description), not a file the broker wrote; move it away")
        }
        guard let data = FileManager.default.contents(atPath: path) else { throw PosixFile.error("read", path) }
        return [UInt8](data)
    }

    package func openForAppend(_ path: String) throws(TransportError) -> any StorageFile {
        let kind = kind(of: path)
        guard kind == .regular || kind == .missing else {
            throw TransportError(.storage, "\(path) is \(kind.description), not a file the broker wrote; move it away")
        }
        return try PosixFile(path: path)
    }

    package func remove(_ path: String) throws(TransportError) {
        guard unlink(path) == 0 || errno == ENOENT else { throw PosixFile.error("remove", path) }
    }

    package func rename(_ source: String, _ destination: String) throws(TransportError) {
        guard Foundation.rename(source, destination) == 0 else { throw PosixFile.error("rename", source) }
    }

    package func syncDirectory(_ path: String) throws(TransportError) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw PosixFile.error("open the folder", path) }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw PosixFile.error("fsync the folder", path) }
    }

    package func lock(_ directory: String) throws(TransportError) -> any FolderLock {
        try DirectoryLock(directory)
    }
}

/// A file of the operating system's, open for appending.
final class PosixFile: StorageFile, @unchecked Sendable {
    let path: String
    private let descriptor: Int32
    private(set) var size: Int

    init(path: String) throws(TransportError) {
        self.path = path
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw Self.error("open", path) }
        descriptor = fd
        let end = lseek(fd, 0, SEEK_END)
        guard end >= 0 else {
            close(fd)
            throw Self.error("seek", path)
        }
        size = Int(end)
    }

    deinit { close(descriptor) }

    func append(_ bytes: [UInt8]) throws(TransportError) {
        let written = bytes.withUnsafeBytes { raw -> Int in
            guard let base = raw.baseAddress else { return 0 }
            var done = 0
            while done < raw.count {
                let result = write(descriptor, base + done, raw.count - done)
                if result < 0 {
                    if errno == EINTR { continue }
                    return -1
                }
                done += result
            }
            return done
        }
        guard written == bytes.count else {
            let failure = Self.error("write", path)
            _ = ftruncate(descriptor, off_t(size))
            throw failure
        }
        size += bytes.count
    }

    func truncate(to length: Int) throws(TransportError) {
        guard ftruncate(descriptor, off_t(length)) == 0 else { throw Self.error("truncate", path) }
        size = length
    }

    func sync() throws(TransportError) {
        #if canImport(Darwin)
        let result = fsync(descriptor)
        #else
        let result = fdatasync(descriptor)
        #endif
        guard result == 0 else { throw Self.error("fsync", path) }
    }

    static func error(_ operation: String, _ path: String) -> TransportError {
        TransportError(.storage, "\(operation) \(path) failed: \(String(cString: strerror(errno))); check the disk and the directory's permissions")
    }
}

/// An exclusive lock on a broker folder (flock on its `.lock` file), so two processes never
/// write the same segments: a second broker, or `eventc-ops dlq replay` while the service runs,
/// is refused instead of corrupting them.
final class DirectoryLock: FolderLock, @unchecked Sendable {
    private let descriptor: Mutex<Int32>

    init(_ directory: String) throws(TransportError) {
        let path = directory + "/.lock"
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw PosixFile.error("open", path) }
        // A lock just released can linger for a moment in a child process forked before its
        // exec closed the descriptor; wait up to a second before calling the folder busy.
        var attempts = 0
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            attempts += 1
            guard attempts < 50 else {
                close(fd)
                throw TransportError(.storage, "\(directory) is in use by another broker; stop the process that has it open first")
            }
            usleep(20_000)
        }
        descriptor = Mutex(fd)
    }

    func release() {
        descriptor.withLock { fd in
            guard fd >= 0 else { return }
            close(fd)
            fd = -1
        }
    }

    deinit { release() }
}

extension BrokerFileSystem {
    /// Replaces `path` with `bytes` so that a crash leaves either the old file or the new one:
    /// a temporary file, fsynced, renamed over it, and the folder synced.
    package func writeAtomically(_ bytes: [UInt8], to path: String) throws(TransportError) {
        let temporary = path + ".tmp"
        try remove(temporary)
        let file = try openForAppend(temporary)
        try file.append(bytes)
        try file.sync()
        try rename(temporary, path)
        try syncDirectory(Self.parent(of: path))
    }

    package static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}
