import EventRuntime
import EventRuntimePostgres
import Testing

/// Every test of the PostgreSQL stores, on a real server, one at a time: some kill connections of
/// the shared client, which the others must not meet mid-test.
@Suite(
    "PostgreSQL stores", .serialized, .enabled(if: PostgresTestServer.isAvailable, PostgresTestServer.skipped),
    .timeLimit(.minutes(3)))
struct PostgresStoreTests {}

struct Boom: Error {}

extension PostgresConnection {
    /// `boundedQuery` with the tests' logger: refused on a closed connection, on which
    /// postgres-nio would wait for ever.
    @discardableResult
    func boundedQuery(_ query: PostgresQuery) async throws -> PostgresRowSequence {
        try await boundedQuery(query, logger: PostgresTestServer.logger)
    }

    /// Runs a statement that returns nothing (DDL and the like, with no bound values).
    func run(_ sql: String) async throws {
        _ = try await boundedQuery(PostgresQuery(unsafeSQL: sql))
    }

    /// The first column of every row, as text.
    func texts(_ query: PostgresQuery) async throws -> [String] {
        var values: [String] = []
        for try await value in try await boundedQuery(query).decode(String.self) { values.append(value) }
        return values
    }

    func count(_ query: PostgresQuery) async throws -> Int {
        var value = 0
        for try await count in try await boundedQuery(query).decode(Int64.self) { value = Int(count) }
        return value
    }
}

extension PostgresClient {
    func run(_ sql: String) async throws {
        try await withConnection { try await $0.run(sql) }
    }

    func texts(_ query: PostgresQuery) async throws -> [String] {
        try await withConnection { try await $0.texts(query) }
    }

    func count(_ query: PostgresQuery) async throws -> Int {
        try await withConnection { try await $0.count(query) }
    }
}

extension PostgresStoreTests {
    @Suite("Closed connections")
    struct ClosedConnectionTests {
        @Test("a statement still waiting when its connection closes is failed with connectionLost, not left waiting for ever")
        func waitingStatementFailsOnClose() async throws {
            try await PostgresTestServer.withClient { client in
                try await client.withConnection { connection in
                    // A waiter whose statement never answers, as postgres-nio can leave one written to
                    // a connection the server has just ended; only the close can release it.
                    do {
                        _ = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                            _ = ClosedConnectionWatch.shared.add(for: connection) { continuation.resume(throwing: $0) }
                            Task { try? await connection.close() }
                        }
                        Issue.record("the waiter was resumed without an error")
                    } catch let error as PostgresStoreError {
                        #expect(error.code == .connectionLost)
                    }
                    // A statement on the closed connection is refused at once.
                    await #expect(throws: PostgresStoreError.self) { try await connection.boundedQuery("SELECT 1") }
                }
            }
        }
    }
}
