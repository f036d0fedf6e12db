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
    /// `checkedQuery` with the tests' logger: refused on a closed connection, on which
    /// postgres-nio would wait for ever.
    func checkedQuery(_ query: PostgresQuery) async throws -> PostgresRowSequence {
        try await checkedQuery(query, logger: PostgresTestServer.logger)
    }

    /// Runs a statement that returns nothing (DDL and the like, with no bound values).
    func run(_ sql: String) async throws {
        _ = try await checkedQuery(PostgresQuery(unsafeSQL: sql))
    }

    /// The first column of every row, as text.
    func texts(_ query: PostgresQuery) async throws -> [String] {
        var values: [String] = []
        for try await value in try await checkedQuery(query).decode(String.self) { values.append(value) }
        return values
    }

    func count(_ query: PostgresQuery) async throws -> Int {
        var value = 0
        for try await count in try await checkedQuery(query).decode(Int64.self) { value = Int(count) }
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
