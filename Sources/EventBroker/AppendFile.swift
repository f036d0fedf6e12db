import EventTransport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// An append-only file: segment files and journals. A class so the flusher can keep one open while
/// it fsyncs outside the broker's lock (the descriptor closes when the last reference goes).
/// `size` changes only under the broker's lock; `sync()` is a thread-safe system call.
final class AppendFile: @unchecked Sendable {
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

    /// Writes all of `bytes` or, on failure, cuts the file back so no partial frame stays behind
    /// for later appends to follow (recovery would drop everything after it).
    func append(_ bytes: [UInt8]) throws(TransportError) {
        let written = bytes.withUnsafeBytes { raw -> Int in
            var done = 0
            while done < raw.count {
                let result = write(descriptor, raw.baseAddress! + done, raw.count - done)
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

    /// The whole file, for recovery; empty if it does not exist.
    static func readAll(_ path: String) throws(TransportError) -> [UInt8] {
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        guard let data = FileManager.default.contents(atPath: path) else { throw error("read", path) }
        return [UInt8](data)
    }

    /// Makes a directory's new and removed entries durable (a new segment file must survive too).
    static func syncDirectory(_ path: String) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        close(fd)
    }
}

/// An exclusive lock on a broker folder, so two processes never write the same segments (a
/// second broker, or `eventc dlq` while the service runs, is refused instead of corrupting them).
/// Released when closed or when the process ends, however it ends.
final class DirectoryLock: @unchecked Sendable {
    private var descriptor: Int32

    init(_ directory: String) throws(TransportError) {
        let path = directory + "/.lock"
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw AppendFile.error("open", path) }
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
        descriptor = fd
    }

    /// Called under the broker's lock or from deinit only.
    func release() {
        guard descriptor >= 0 else { return }
        close(descriptor)
        descriptor = -1
    }

    deinit { release() }
}
