#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ContractModel
import Foundation

/// Finds and reads contract files: the paths a user names, with directories walked for
/// `*.yaml` and `*.yml`, in a stable order so reports are deterministic.
public enum ContractSources {
    /// A path that could not be read.
    public struct LoadError: Error, CustomStringConvertible, Sendable {
        /// The path.
        public var path: String
        /// Why it could not be read.
        public var reason: String
        /// What it says, in one line.
        public var description: String { "\(path): \(reason)" }
    }

    /// The file extensions read as contracts.
    public static let extensions: Set<String> = ["yaml", "yml"]

    /// The contract files under `paths`, sorted and without repeats. A path that does not exist or
    /// cannot be listed is an error: a CI job that checks nothing must not pass.
    public static func files(in paths: [String]) throws(LoadError) -> [String] {
        let manager = FileManager.default
        var found: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw LoadError(path: path, reason: "no such file or directory")
            }
            guard isDirectory.boolValue else {
                found.append(path)
                continue
            }
            guard let enumerator = manager.enumerator(atPath: path) else {
                throw LoadError(path: path, reason: "cannot list the directory")
            }
            let base = path.hasSuffix("/") ? String(path.dropLast()) : path
            var inDirectory: [String] = []
            while let relative = enumerator.nextObject() as? String {
                let name = relative.split(separator: "/").last.map(String.init) ?? relative
                if name.hasPrefix(".") {
                    enumerator.skipDescendants()
                    continue
                }
                guard let dot = name.lastIndex(of: "."), extensions.contains(String(name[name.index(after: dot)...]))
                else { continue }
                inDirectory.append(base + "/" + relative)
            }
            found.append(contentsOf: inDirectory.sorted())
        }
        var seen = Set<String>()
        return found.filter { seen.insert($0).inserted }
    }

    /// The file's bytes, at most `limit + 1` of them: a file over the limit is refused by the
    /// reader (YAML_FILE_TOO_LARGE) without being read whole. Only regular files are opened: a
    /// FIFO named `*.yaml` would block the check for ever, a device would never end.
    public static func read(_ file: String, limit: Int = YAMLLimits.default.maxBytes) throws(LoadError) -> [UInt8] {
        var status = stat()
        guard stat(file, &status) == 0 else {
            throw LoadError(path: file, reason: "cannot read the file: \(String(cString: strerror(errno)))")
        }
        guard status.st_mode & S_IFMT == S_IFREG else {
            throw LoadError(path: file, reason: "not a regular file (\(kind(of: status.st_mode))); contracts are read from regular files only")
        }
        guard let handle = FileHandle(forReadingAtPath: file) else {
            throw LoadError(path: file, reason: "cannot open the file for reading")
        }
        defer { try? handle.close() }
        do {
            return Array(try handle.read(upToCount: limit + 1) ?? Data())
        } catch {
            throw LoadError(path: file, reason: "cannot read the file: \(error.localizedDescription)")
        }
    }

    private static func kind(of mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFDIR: "a directory"
        case S_IFIFO: "a FIFO"
        case S_IFSOCK: "a socket"
        case S_IFCHR, S_IFBLK: "a device"
        default: "not a plain file"
        }
    }
}
