import ContractChecker
import EventcCommandLine
import Foundation
import Testing

@testable import eventc

@Suite("eventc breaking", .serialized)
struct BreakingCommandTests {
    static let v1 = """
        event: OrderPlaced
        owner: o
        summary: s.
        topic: orders
        key: orderId
        compatibility: BACKWARD_TRANSITIVE
        versions:
          - version: 1
            fields: { orderId: string, total: long }

        """

    /// A git repository in a temporary folder; commands run with it as the current directory,
    /// so REF paths resolve the way they do for a user.
    final class Repository {
        let root: URL

        init() throws {
            root = FileManager.default.temporaryDirectory.appendingPathComponent("eventc-git-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
            try git("init", "-q", "-b", "main")
            try git("config", "user.email", "test@example.com")
            try git("config", "user.name", "test")
        }

        func write(_ path: String, _ text: String) throws {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }

        func remove(_ path: String) throws { try FileManager.default.removeItem(at: root.appendingPathComponent(path)) }

        func commit(_ message: String) throws {
            try git("add", "-A")
            try git("commit", "-q", "-m", message)
        }

        @discardableResult
        func git(_ arguments: String...) throws -> Int32 {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["git"] + arguments
            process.currentDirectoryURL = root
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            return process.terminationStatus
        }

        /// Runs `eventc breaking` from inside the repository.
        func breaking(_ paths: [String] = ["Contracts"], against: String, format: DiagnosticFormat = .text) -> CommandOutcome {
            let previous = FileManager.default.currentDirectoryPath
            _ = FileManager.default.changeCurrentDirectoryPath(root.path)
            defer { _ = FileManager.default.changeCurrentDirectoryPath(previous) }
            return BreakingRun(paths: paths, against: against, format: format, strict: false).execute()
        }

        deinit { try? FileManager.default.removeItem(at: root) }
    }

    @Test("baseline files whose paths hold non-ASCII letters, spaces, quotes or newlines are read, not skipped", arguments: [
        "Contracts/likes/Prodüct.yaml", "Contracts/with space/Order Placed.yaml", "Contracts/quote\"d/Sample.yaml",
        "Contracts/new\nline/Sample.yaml", "Contracts/tab\tand\\back/Sample.yaml",
    ])
    func strangePathsAreCompared(path: String) throws {
        let repo = try Repository()
        try repo.write(path, Self.v1)
        try repo.write("Contracts/other/Other.yaml", Self.v1.replacingOccurrences(of: "OrderPlaced", with: "Other")
            .replacingOccurrences(of: "topic: orders", with: "topic: others"))
        try repo.commit("v1")
        // A breaking change in that file: the topic moves.
        try repo.write(path, Self.v1.replacingOccurrences(of: "topic: orders", with: "topic: orders-2"))
        let outcome = repo.breaking(against: "HEAD")
        #expect(outcome.exitCode == 1, "\(outcome.output)\(outcome.errorOutput)")
        #expect(outcome.output.contains("[TOPIC_CHANGED]"))
        // And a removal of such a file is seen as one.
        try repo.remove(path)
        #expect(repo.breaking(against: "HEAD").output.contains("[CONTRACT_REMOVED]"))
    }

    @Test("an unchanged tree passes against HEAD")
    func unchangedPasses() throws {
        let repo = try Repository()
        try repo.write("Contracts/orders/OrderPlaced.yaml", Self.v1)
        try repo.commit("v1")
        let outcome = repo.breaking(against: "HEAD")
        #expect(outcome.exitCode == 0, "\(outcome.output)\(outcome.errorOutput)")
    }

    @Test("an in-place edit of a published version fails with the diff; a new compatible version passes")
    func editedVersionFails() throws {
        let repo = try Repository()
        try repo.write("Contracts/orders/OrderPlaced.yaml", Self.v1)
        try repo.commit("v1")
        try repo.write("Contracts/orders/OrderPlaced.yaml", Self.v1.replacingOccurrences(of: "total: long", with: "total: int"))
        let edited = repo.breaking(against: "main")
        #expect(edited.exitCode == 1)
        #expect(edited.output.contains("[VERSION_EDITED]"))
        #expect(edited.output.contains("changed 'total' from 'long' to 'int'"))

        try repo.write("Contracts/orders/OrderPlaced.yaml", Self.v1 + "  - version: 2\n    fields: { orderId: string, total: long, note: string? }\n")
        #expect(repo.breaking(against: "main").exitCode == 0)
    }

    @Test("a new version that breaks the mode fails, with the JSON detail fields")
    func incompatibleNewVersionFails() throws {
        let repo = try Repository()
        try repo.write("Contracts/orders/OrderPlaced.yaml", Self.v1)
        try repo.commit("v1")
        try repo.write("Contracts/orders/OrderPlaced.yaml", Self.v1 + "  - version: 2\n    fields: { orderId: string, total: long, currency: string }\n")
        let outcome = repo.breaking(against: "HEAD", format: .json)
        #expect(outcome.exitCode == 1)
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(outcome.output.utf8)) as? [[String: Any]])
        let finding = try #require(parsed.first { $0["rule"] as? String == "COMPAT_MISSING_DEFAULT" })
        #expect(finding["path"] as? String == "currency")
        #expect(finding["readerVersion"] as? Int == 2)
        #expect(finding["writerVersion"] as? Int == 1)
        #expect(finding["mode"] as? String == "BACKWARD_TRANSITIVE")
        #expect(finding["line"] as? Int == 11)
    }

    @Test("removing a contract fails; moving it to another folder does not")
    func removalAndMove() throws {
        let repo = try Repository()
        try repo.write("Contracts/orders/OrderPlaced.yaml", Self.v1)
        try repo.commit("v1")
        try repo.remove("Contracts/orders/OrderPlaced.yaml")
        try repo.write("Contracts/sales/OrderPlaced.yaml", Self.v1)
        #expect(repo.breaking(against: "HEAD").exitCode == 0, "a moved file is not a removal")
        try repo.remove("Contracts/sales/OrderPlaced.yaml")
        try repo.write("Contracts/other/Unrelated.yaml", Self.v1.replacingOccurrences(of: "OrderPlaced", with: "Unrelated"))
        let removed = repo.breaking(against: "HEAD")
        #expect(removed.exitCode == 1)
        #expect(removed.output.contains("[CONTRACT_REMOVED]"))
    }

    @Test("HEAD~1 compares against the commit before; a directory works as a baseline too")
    func otherBaselines() throws {
        let repo = try Repository()
        try repo.write("Contracts/orders/OrderPlaced.yaml", Self.v1)
        try repo.commit("v1")
        try repo.write("Contracts/orders/OrderPlaced.yaml", Self.v1.replacingOccurrences(of: "topic: orders", with: "topic: orders-v2"))
        try repo.commit("move topic")
        #expect(repo.breaking(against: "HEAD").exitCode == 0)
        let older = repo.breaking(against: "HEAD~1")
        #expect(older.exitCode == 1)
        #expect(older.output.contains("[TOPIC_CHANGED]"))

        try repo.write("baseline/OrderPlaced.yaml", Self.v1)
        let fromDirectory = repo.breaking(against: repo.root.appendingPathComponent("baseline").path)
        #expect(fromDirectory.output.contains("[TOPIC_CHANGED]"))
    }

    @Test("an unknown REF exits 2 with a clear message")
    func unknownReference() throws {
        let repo = try Repository()
        try repo.write("Contracts/orders/OrderPlaced.yaml", Self.v1)
        try repo.commit("v1")
        let outcome = repo.breaking(against: "no-such-branch")
        #expect(outcome.exitCode == 2)
        #expect(outcome.errorOutput.contains("neither a directory nor a git revision"))
        // The cause in CI is almost always a shallow clone: the message says what to fetch.
        #expect(outcome.errorOutput.contains("git fetch --depth=1 origin no-such-branch"))
    }
}
