import Foundation
import Glibc

/// A disk that fills: a tmpfs of a few hundred kilobytes mounted on a fresh folder, for the tests
/// that show a store refusing cleanly on a full disk, losing nothing committed, and working again
/// once space returns (`grow`). Mounting needs root (CI runs as root); elsewhere those tests skip.
public final class SmallDisk: Sendable {
    /// Where it is mounted.
    public let path: String

    /// Whether a tmpfs can be mounted here (tried once, with a 64 KiB one).
    public static let isAvailable: Bool = {
        guard getuid() == 0, let disk = try? SmallDisk(kilobytes: 64) else { return false }
        disk.unmount()
        return true
    }()

    /// Why the tests on a small disk are skipped where they are.
    public static let unavailable = "mounting a tmpfs needs root (CI runs as root): the full-disk tests are skipped"

    /// Mounts a tmpfs of `kilobytes` on a fresh folder.
    public init(kilobytes: Int) throws {
        path = temporaryDirectory("small-disk")
        try Self.mount(["-t", "tmpfs", "-o", "size=\(kilobytes)k", "tmpfs", path])
    }

    /// Gives it `kilobytes` in all, keeping what it holds: space returns.
    public func grow(toKilobytes kilobytes: Int) throws {
        try Self.mount(["-o", "remount,size=\(kilobytes)k", path])
    }

    /// Unmounts it (what it holds goes with it).
    public func unmount() {
        _ = try? Self.run("/bin/umount", ["-l", path])
    }

    private static func mount(_ arguments: [String]) throws {
        try run("/bin/mount", arguments)
    }

    private static func run(_ program: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw MountFailed(command: ([program] + arguments).joined(separator: " ")) }
    }

    /// `mount` or `umount` exited with a status other than 0.
    public struct MountFailed: Error, CustomStringConvertible {
        /// The command line that failed.
        public var command: String
        /// `command failed`.
        public var description: String { "\(command) failed" }
    }
}
