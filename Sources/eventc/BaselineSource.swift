import ContractChecker
import ContractParser
import EventcCommandLine
import Foundation

/// Where `eventc breaking --against REF` reads the baseline: a directory of contracts, or a git
/// ref whose files are read with `git show REF:path`, never by checking anything out.
enum BaselineSource {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// The baseline's contract files under the same `paths` the working tree is checked at.
    static func load(reference: String, paths: [String]) throws -> [SourceFile] {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: reference, isDirectory: &isDirectory), isDirectory.boolValue {
            let files = try ContractSources.files(in: [reference])
            return try files.map { SourceFile(path: $0, bytes: try ContractSources.read($0)) }
        }
        guard (try? git(["rev-parse", "--verify", "--quiet", "\(reference)^{commit}"])) != nil else {
            // The usual cause in CI: a shallow clone (actions/checkout's default) holds only the
            // commit under test, so the branch to compare with was never fetched.
            throw Failure(description: """
                '\(reference)' is neither a directory nor a git revision; in a shallow clone \
                (actions/checkout's default), fetch it first: git fetch --depth=1 origin \(reference), \
                then compare with --against FETCH_HEAD
                """)
        }
        var files: [SourceFile] = []
        for path in paths {
            // Paths print relative to the current directory, as the user named them. -z: each
            // name as its bytes, NUL-terminated; without it git quotes a name with non-ASCII
            // bytes, quotes or newlines ("Prod\303\274ct.yaml"), and such a file went unread.
            let listing = try git(["ls-tree", "-r", "-z", "--name-only", reference, "--", path])
            var names: [String] = []
            for raw in listing.split(separator: 0, omittingEmptySubsequences: true) {
                guard let name = String(validating: raw, as: UTF8.self) else {
                    throw Failure(description: "\(reference) holds a path that is not UTF-8 (\(raw.map { String($0, radix: 16) }.joined(separator: " "))): rename it")
                }
                names.append(name)
            }
            for name in names.sorted() where ContractSources.extensions.contains(where: { name.hasSuffix(".\($0)") }) {
                files.append(SourceFile(path: name, bytes: try git(["show", "\(reference):./\(name)"])))
            }
        }
        return files
    }

    /// Runs git and returns its standard output; a non-zero exit is an error with git's words.
    private static func git(_ arguments: [String]) throws -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git"] + arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        do {
            try process.run()
        } catch {
            throw Failure(description: "cannot run git: \(error.localizedDescription)")
        }
        // Read before waiting so a large listing cannot fill the pipe and stall git.
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let text = String(decoding: message, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw Failure(description: "git \(arguments.joined(separator: " ")) failed: \(text)")
        }
        return Array(data)
    }
}
