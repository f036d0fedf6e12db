import ContractChecker
import EventTestSupport
import EventcCommandLine
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing

@testable import eventc

@Suite("eventc check")
struct CheckCommandTests {
    /// A scratch folder of contract files, removed when the test ends.
    final class Workspace {
        let root: URL

        init(_ files: [String: String]) throws {
            root = FileManager.default.temporaryDirectory.appendingPathComponent("eventc-\(UUID().uuidString)")
            for (path, text) in files {
                let url = root.appendingPathComponent(path)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(text.utf8).write(to: url)
            }
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        }

        func path(_ relative: String = "") -> String { root.appendingPathComponent(relative).path }

        deinit { try? FileManager.default.removeItem(at: root) }
    }

    static let clean = "event: A\nowner: o\nsummary: s.\ntopic: t\nkey: id\nversions: [{ version: 1, fields: { id: string } }]\n"
    static let warningOnly = "event: B\nowner: o\nsummary: s.\ntopic: u\nkey: none\nversions: [{ version: 1, fields: { id: string } }]\n"
    static let broken = "event: C\nowner: o\nsummary: s.\ntopic: v\nkey: id\nversions: [{ version: 1, fields: { id: strng } }]\n"

    private func run(_ paths: [String], format: DiagnosticFormatOption = .text, strict: Bool = false) -> CommandOutcome {
        CheckRun(paths: paths, format: format.value, strict: strict).execute()
    }

    @Test("exit 0 when clean, and a summary line")
    func cleanExitsZero() throws {
        let workspace = try Workspace(["c/A.yaml": Self.clean])
        let outcome = run([workspace.path("c")])
        #expect(outcome.exitCode == 0)
        #expect(outcome.output == "0 errors, 0 warnings in 1 file checked\n")
    }

    @Test("warnings pass, and fail under --strict")
    func warningsAndStrict() throws {
        let workspace = try Workspace(["c/B.yaml": Self.warningOnly])
        #expect(run([workspace.path("c")]).exitCode == 0)
        let strict = run([workspace.path("c")], strict: true)
        #expect(strict.exitCode == 1)
        #expect(strict.output.contains("warning: key: none"))
    }

    @Test("exit 1 on errors, printed compiler-style with the file's path")
    func errorsExitOne() throws {
        let workspace = try Workspace(["c/A.yaml": Self.clean, "c/nested/C.yml": Self.broken, "c/notes.txt": "ignored"])
        let outcome = run([workspace.path("c")])
        #expect(outcome.exitCode == 1)
        #expect(outcome.output.contains("c/nested/C.yml:6:40: error: unknown type 'strng' for field 'id' [UNKNOWN_TYPE]"))
        #expect(outcome.output.hasSuffix("1 error, 0 warnings in 2 files checked\nFor what UNKNOWN_TYPE means and how to fix it, try `eventc explain UNKNOWN_TYPE`.\n"))
    }

    @Test("exit 2 for a missing path or a folder with no contracts, with the reason on stderr")
    func ioErrorsExitTwo() throws {
        let workspace = try Workspace(["empty/readme.md": "no contracts"])
        let missing = run([workspace.path("nope")])
        #expect(missing.exitCode == 2)
        #expect(missing.errorOutput.contains("no such file or directory"))
        let empty = run([workspace.path("empty")])
        #expect(empty.exitCode == 2)
        #expect(empty.errorOutput.contains("no *.yaml or *.yml files"))
    }

    @Test("an unreadable file is an I/O error, not a crash", .enabled(if: getuid() != 0, "root reads any file"))
    func unreadableFileExitsTwo() throws {
        let workspace = try Workspace(["c/A.yaml": Self.clean])
        chmod(workspace.path("c/A.yaml"), 0)
        #expect(run([workspace.path("c")]).exitCode == 2)
    }

    @Test("json and github formats carry the same findings")
    func otherFormats() throws {
        let workspace = try Workspace(["c/C.yaml": Self.broken])
        let json = run([workspace.path("c")], format: .json)
        #expect(json.exitCode == 1)
        let parsed = try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [[String: Any]]
        #expect(parsed?.first?["rule"] as? String == "UNKNOWN_TYPE")
        #expect(parsed?.first?["column"] as? Int == 40)
        let github = run([workspace.path("c")], format: .github)
        #expect(github.output.hasPrefix("::error file=\(workspace.path("c/C.yaml")),line=6,col=40,title=UNKNOWN_TYPE::"))
    }

    @Test("usage errors exit 2 rather than ArgumentParser's 64")
    func usageErrorsExitTwo() throws {
        #expect(throws: (any Error).self) { try Eventc.parseAsRoot(["check", "--format", "xml"]) }
        #expect(EventcExit.usageOrIO == 2)
    }
}

extension CheckCommandTests {
    @Test("a FIFO named *.yaml is reported, not opened: the check does not hang")
    func fifosAreNotOpened() throws {
        let workspace = try Workspace(["c/A.yaml": Self.clean])
        #expect(mkfifo(workspace.path("c/Pipe.yaml"), 0o644) == 0)
        let started = ContinuousClock.now
        let outcome = run([workspace.path("c")])
        #expect(ContinuousClock.now - started < .seconds(5))
        #expect(outcome.exitCode == 2)
        #expect(outcome.errorOutput.contains("Pipe.yaml: not a regular file (a FIFO)"), "\(outcome.errorOutput)")
    }

    @Test("a 3 GB sparse *.yaml is refused as too large in milliseconds, without being read")
    func hugeFilesAreNotRead() throws {
        let workspace = try Workspace(["c/A.yaml": Self.clean])
        let path = workspace.path("c/Huge.yaml")
        #expect(FileManager.default.createFile(atPath: path, contents: Data("event: X\n".utf8)))
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.truncate(atOffset: 3 << 30)
        try handle.close()
        let started = ContinuousClock.now
        let outcome = run([workspace.path("c")], format: .json)
        #expect(ContinuousClock.now - started < .seconds(5), "read whole, it took 81 s and 6.3 GB")
        #expect(outcome.output.contains("\"rule\": \"YAML_FILE_TOO_LARGE\""), "\(outcome.output)")
    }
}

/// Lets tests name formats without importing ContractChecker's type into every call.
enum DiagnosticFormatOption {
    case text, json, github
    var value: DiagnosticFormat {
        switch self {
        case .text: .text
        case .json: .json
        case .github: .github
        }
    }
}

@Suite("eventc command line")
struct CommandLineTests {
    @Test("every eventc command the documentation gives, in its CLI synopsis and its examples, parses through the root command")
    func documentedCommandsParse() throws {
        let commands = try DocumentedCommands.documented(for: "eventc")
        // The synopsis has a line per subcommand; the examples add concrete runs.
        for subcommand in ["check", "breaking", "generate", "scaffold", "export", "docs"] {
            #expect(commands.contains { $0.first == subcommand }, "the documentation gives no 'eventc \(subcommand)'")
        }
        for arguments in commands {
            #expect(throws: Never.self, "\(arguments)") { _ = try Eventc.parseAsRoot(arguments) }
        }
    }

    @Test("an option the documentation does not have is refused, so the test above can fail")
    func undocumentedOptionsAreRefused() {
        #expect(throws: (any Error).self) { _ = try Eventc.parseAsRoot(["check", "Contracts", "--no-such-option"]) }
    }
}
