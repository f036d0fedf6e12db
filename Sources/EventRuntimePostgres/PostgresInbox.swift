import EventProcessing
import Logging
import PostgresNIO

/// The inbox in PostgreSQL: the handler runs inside the transaction that records the event id, so
/// the handler's own writes (on `PostgresInbox.requiredTransaction()`) and the id commit together
/// or not at all; a redelivery then finds the id and is skipped. Two instances handling the same
/// id at once: the second waits on the first's row, then skips (or runs, if the first rolled back).
///
/// Give it the `PostgresClient` the service uses for its own data (and `run()` that client).
public final class PostgresInbox: InboxStore {
    /// The client whose connections the inbox's transactions run on.
    public let client: PostgresClient
    /// Where the inbox's table is.
    public let tables: PostgresTables
    private let logger: Logger

    /// The transaction the current handler runs in, for its own writes.
    static let handlerTransaction = InboxTransaction<PostgresConnection>(inbox: "PostgresInbox", construction: "PostgresInbox(client:)")

    /// The connection of the transaction the current handler runs in; nil outside one. Prefer
    /// `requiredTransaction()`, which fails loudly where this would let a handler skip its work.
    public static var transaction: PostgresConnection? { handlerTransaction.current }

    /// The connection of the transaction the current handler runs in, for its own writes. Throws
    /// `NotInTransaction` when there is none (see `InboxTransaction.required()`); the processor
    /// stops on it, committing nothing.
    public static func requiredTransaction() throws(NotInTransaction) -> PostgresConnection {
        try handlerTransaction.required()
    }

    /// A handler needed `PostgresInbox`'s transaction and was not run inside one.
    public typealias NotInTransaction = NotInInboxTransaction

    /// Creates or migrates the tables (see `PostgresTables`) before returning.
    public init(client: PostgresClient, tables: PostgresTables = .standard, logger: Logger = Logger(label: "eventcontracts.postgres-inbox")) async throws {
        self.client = client
        self.tables = tables
        self.logger = logger
        try await PostgresSchema.migrate(client, tables, logger: logger)
    }

    /// Runs `body` in the transaction that records `id`, unless `group` processed it already.
    public func processOnce(id: String, group: String, _ body: @Sendable () async throws -> Void) async throws -> Bool {
        try await client.transaction(store: storeName, operation: "recording event \(id) and running its handler", logger: logger) { connection in
            let inserted = try await connection.boundedQuery("""
                INSERT INTO \(unescaped: tables.inbox) (group_id, event_id, processed_at)
                SELECT \(group), \(unescaped: Self.storedId), \(SystemClock().milliseconds()) FROM (SELECT \(Self.escaped(id))::text AS id) AS input
                ON CONFLICT DO NOTHING RETURNING 1
                """, logger: logger)
            guard try await inserted.hasRows() else { return false }
            try await Self.handlerTransaction.run(in: connection) { try await body() }
            return true
        }
    }

    /// One statement records the batch's ids (a multi-row `INSERT … ON CONFLICT DO NOTHING
    /// RETURNING`); the handler then runs on the ones that were new, in the same transaction.
    public func processBatchOnce(ids: [String], group: String, _ body: @Sendable ([Int]) async throws -> Void) async throws -> [Int] {
        try await client.transaction(store: storeName, operation: "recording a batch of \(ids.count) event ids and running its handler", logger: logger) { connection in
            // The position of the first of each id that was new (an id twice in one batch is
            // recorded, and run, once).
            var fresh: [Int] = []
            for try await position in try await connection.boundedQuery("""
                WITH input AS (
                    SELECT min(position) AS position, \(unescaped: Self.storedId) AS stored
                    FROM unnest(\(ids.map(Self.escaped))::text[]) WITH ORDINALITY AS t(id, position) GROUP BY stored),
                inserted AS (
                    INSERT INTO \(unescaped: tables.inbox) (group_id, event_id, processed_at)
                    SELECT \(group), stored, \(SystemClock().milliseconds()) FROM input
                    ON CONFLICT DO NOTHING RETURNING event_id)
                SELECT input.position FROM input JOIN inserted ON inserted.event_id = input.stored ORDER BY input.position
                """, logger: logger).decode(Int64.self) {
                fresh.append(Int(position) - 1)
            }
            guard !fresh.isEmpty else { return [] }
            try await Self.handlerTransaction.run(in: connection) { try await body(fresh) }
            return fresh
        }
    }

    /// How errors name this store: `PostgresInbox "schema"."prefix_inbox"`.
    private var storeName: String { "PostgresInbox \(tables.inbox)" }

    /// How an id is stored (SQL over a column `id` holding `escaped(id)`): as it is, or, past 512
    /// bytes, as its SHA-256 — a `natural-key` id holds the whole event, and a btree entry over
    /// ~2.7 kB is refused.
    static let storedId = "CASE WHEN octet_length(id) > 512 THEN 'sha256:' || encode(sha256(convert_to(id, 'UTF8')), 'hex') ELSE id END"

    /// The id with NUL (which PostgreSQL's text cannot hold, and a `natural-key` id has) and the
    /// backslash escaped, one to one: `\0` and `\\`.
    static func escaped(_ id: String) -> String {
        guard id.utf8.contains(where: { $0 == 0 || $0 == UInt8(ascii: "\\") }) else { return id }
        return id.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\u{0}", with: "\\0")
    }

    /// How many ids the group has recorded.
    public func count(group: String) async throws -> Int {
        try await client.withConnection(store: storeName, operation: "counting the ids of \(group)") { connection in
            try await connection.singleInt("SELECT count(*) FROM \(unescaped: tables.inbox) WHERE group_id = \(group)", logger: logger)
        }
    }

    /// Forgets the ids `group` processed before `cutoff` (milliseconds since 1970), in one
    /// statement: PostgreSQL's MVCC lets the handlers' inserts go on beside it.
    @discardableResult
    public func removeEntries(group: String, processedBefore cutoff: Int64) async throws -> Int {
        try await client.withConnection(store: storeName, operation: "removing the ids of \(group)") { connection in
            try await connection.singleInt("""
                WITH removed AS (DELETE FROM \(unescaped: tables.inbox) WHERE group_id = \(group) AND processed_at < \(cutoff) RETURNING 1)
                SELECT count(*) FROM removed
                """, logger: logger)
        }
    }
}

extension PostgresRowSequence {
    /// Whether the statement returned a row (the rest are read and dropped).
    func hasRows() async throws -> Bool {
        var any = false
        for try await _ in self { any = true }
        return any
    }
}

extension PostgresConnection {
    /// The first column of the first row, as an Int (a `count(*)`).
    func singleInt(_ query: PostgresQuery, logger: Logger) async throws -> Int {
        var value = 0
        for try await count in try await self.boundedQuery(query, logger: logger).decode(Int64.self) { value = Int(count) }
        return value
    }
}
