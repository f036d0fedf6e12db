import ContractModel
import Foundation

/// Finds and reads contract files: the paths a user names, with directories walked for
/// `*.yaml` and `*.yml`, in a stable order so reports are deterministic.
public enum ContractSources {
    public struct LoadError: Error, CustomStringConvertible, Sendable {
        public var path: String
        public var reason: String
        public var description: String { "\(path): \(reason)" }
    }

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

    public static func read(_ file: String) throws(LoadError) -> [UInt8] {
        guard let handle = FileHandle(forReadingAtPath: file) else {
            throw LoadError(path: file, reason: "cannot open the file for reading")
        }
        defer { try? handle.close() }
        do {
            return Array(try handle.readToEnd() ?? Data())
        } catch {
            throw LoadError(path: file, reason: "cannot read the file: \(error.localizedDescription)")
        }
    }
}
