import EventcCommandLine
import Foundation

/// The folder a command writes its files under: the one place `eventc`'s commands create
/// folders, write files (atomically, or never over an existing one) and remove them, so every
/// command reports a failure to write the same way.
struct OutputFolder {
    let path: String

    init(_ path: String) { self.path = path }

    /// What to do where a file is already there.
    enum Existing {
        /// Replace it atomically: a reader sees the old file or the new one, never a mix.
        case replace
        /// Keep it: the file is the user's (a scaffolded handler they edit).
        case keep
    }

    /// Writes `contents` at `relativePath`, creating folders as needed. Returns false when the file
    /// was there and `existing` is `.keep`.
    @discardableResult
    func write(_ contents: String, to relativePath: String, existing: Existing = .replace) throws -> Bool {
        let url = URL(fileURLWithPath: path).appendingPathComponent(relativePath)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        switch existing {
        case .replace:
            try Data(contents.utf8).write(to: url, options: .atomic)
        case .keep:
            if FileManager.default.fileExists(atPath: url.path) { return false }
            // .withoutOverwriting: a file that appeared since the check is still not replaced.
            try Data(contents.utf8).write(to: url, options: .withoutOverwriting)
        }
        return true
    }

    /// Removes the file at `relativePath`.
    func remove(_ relativePath: String) throws {
        try FileManager.default.removeItem(at: URL(fileURLWithPath: path).appendingPathComponent(relativePath))
    }

    /// Runs `body`'s writes; the outcome of a failure to write names the folder.
    func writing(_ body: () throws -> CommandOutcome) -> CommandOutcome {
        do {
            return try body()
        } catch {
            return .usageOrIOError("cannot write to \(path): \(error.localizedDescription)")
        }
    }

    /// Writes `files`, replacing what is there; `summary` replaces the per-file "wrote" lines when
    /// given.
    func write(_ files: [(path: String, contents: String)], warnings: String, summary: String? = nil) -> CommandOutcome {
        writing {
            for file in files { try write(file.contents, to: file.path) }
            let written = files.map { URL(fileURLWithPath: path).appendingPathComponent($0.path).path }
            let output = summary ?? written.sorted().map { "wrote \($0)\n" }.joined()
            return CommandOutcome(output: output, errorOutput: warnings, exitCode: EventcExit.clean)
        }
    }
}
