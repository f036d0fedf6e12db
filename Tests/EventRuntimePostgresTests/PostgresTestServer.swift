import EventRuntimePostgres
import EventTestSupport
import Foundation
import Logging
import Testing
import ToolTestSupport

/// The PostgreSQL server the tests run on: `EVENTC_POSTGRES_URL` (`.ci/postgres start` starts a
/// throwaway one; CI does). Each test gets tables of its own (a fresh schema), so tests do not meet.
enum PostgresTestServer {
    static let url = ProcessInfo.processInfo.environment["EVENTC_POSTGRES_URL"]
    static let isAvailable = url != nil
    static let skipped: Comment = "EVENTC_POSTGRES_URL is not set: start a throwaway server with eval \"$(.ci/postgres start)\" (CI does)"

    static var logger: Logger {
        var logger = Logger(label: "postgres-tests")
        logger.logLevel = .critical
        return logger
    }

    /// Tables in a schema no other test uses.
    static func freshTables() throws -> PostgresTables {
        try PostgresTables(schema: "test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16), prefix: "eventc_")
    }

    /// One client for the whole test process, running until it exits: tests share its pool
    /// (a client per test was started and shut down hundreds of times per run for nothing).
    /// Its connections are named `eventc-tests` in pg_stat_activity.
    private static let shared: PostgresClient? = {
        guard let url, var configuration = try? PostgresClient.Configuration.fromURL(url) else { return nil }
        configuration.options.additionalStartupParameters = [("application_name", "eventc-tests")]
        configuration.options.maximumConnections = 40
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        Task.detached { await client.run() }
        return client
    }()

    /// The running client, for `body`.
    static func withClient<Result: Sendable>(_ body: @Sendable (PostgresClient) async throws -> Result) async throws -> Result {
        guard let shared else { throw SkipWithoutServer() }
        return try await body(shared)
    }

    struct SkipWithoutServer: Error {}
}

/// A PostgreSQL server of one test's own (`.ci/postgres start`: initdb into a temporary folder,
/// about a second), for the faults that would disturb every other test on the shared server:
/// restarts, crashes, a paused server. Stopped and removed by `stop()`.
final class PrivatePostgresServer: Sendable {
    let url: String
    let folder: String
    let client: PostgresClient
    private let runner: Task<Void, Never>

    /// Starts a server and a client on it; nil when PostgreSQL's server is not installed.
    static func start() async throws -> PrivatePostgresServer {
        let output = String(decoding: try await ExternalTool.run(repositoryRoot.appendingPathComponent(".ci/postgres").path, ["start"]), as: UTF8.self)
        var settings: [String: String] = [:]
        for pair in output.split(whereSeparator: { $0 == " " || $0 == "\n" }) where pair.contains("=") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            settings[String(parts[0])] = String(parts[1])
        }
        guard let url = settings["EVENTC_POSTGRES_URL"], let folder = settings["EVENTC_POSTGRES_DIR"] else {
            throw PrivateServerUnavailable(output: output)
        }
        return try PrivatePostgresServer(url: url, folder: folder)
    }

    private init(url: String, folder: String) throws {
        self.url = url
        self.folder = folder
        var configuration = try PostgresClient.Configuration.fromURL(url)
        configuration.options.additionalStartupParameters = [("application_name", "eventc-tests")]
        configuration.options.maximumConnections = 40
        let client = PostgresClient(configuration: configuration, backgroundLogger: PostgresTestServer.logger)
        self.client = client
        runner = Task.detached { await client.run() }
    }

    /// `.ci/postgres start` printed no URL.
    struct PrivateServerUnavailable: Error, CustomStringConvertible {
        var output: String
        var description: String { ".ci/postgres start printed no EVENTC_POSTGRES_URL: \(output)" }
    }

    /// `.ci/postgres restart fast|immediate` (a clean restart, or a crash), or `pause SECONDS`.
    func fault(_ arguments: [String]) async throws {
        try await runScript(arguments)
    }

    /// Stops the client and the server, and removes the folder.
    func stop() async {
        runner.cancel()
        try? await runScript(["stop"])
    }

    private func runScript(_ arguments: [String]) async throws {
        // Through env, so the script finds this server and not the shared one.
        try await ExternalTool.run("/usr/bin/env", ["EVENTC_POSTGRES_DIR=\(folder)", repositoryRoot.appendingPathComponent(".ci/postgres").path] + arguments)
    }
}
