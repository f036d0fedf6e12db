import EventRuntimePostgres
import EventTestSupport
import Foundation
import Logging
import Testing

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
