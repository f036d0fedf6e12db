import EventProcessing
import Logging
import PostgresNIO

/// Creates and migrates the stores' tables, by `StoreSchema`'s rule: the `schema_version` table
/// records how many steps ran, and only the missing ones run, in order, in one transaction. Safe
/// from several instances at once: the transaction first takes an advisory lock of this table
/// set, so a second instance waits, then finds the steps done.
enum PostgresSchema {
    /// The buckets an outbox row's key hashes into (see `PostgresOutbox`). Fixed for ever: rows
    /// already written keep their bucket, and a key must not move between two.
    static let outboxBuckets: UInt32 = 64

    /// The inbox's and outbox's tables, counted together as the component `stores`.
    static func schema(_ tables: PostgresTables) -> StoreSchema {
        StoreSchema(name: "stores", steps: [
            // The inbox.
            """
            CREATE TABLE IF NOT EXISTS \(tables.inbox) (
                group_id text NOT NULL, event_id text NOT NULL, processed_at bigint NOT NULL,
                PRIMARY KEY (group_id, event_id))
            """,
            // The outbox; `bucket` is the key's hash, the unit relays claim.
            """
            CREATE TABLE IF NOT EXISTS \(tables.outbox) (
                id bigserial PRIMARY KEY, bucket integer NOT NULL, topic text NOT NULL, key bytea, value bytea NOT NULL,
                headers bytea NOT NULL, created_at bigint NOT NULL, sent_at bigint)
            """,
            "CREATE INDEX IF NOT EXISTS \"\(tables.prefix)outbox_pending\" ON \(tables.outbox) (bucket, id) WHERE sent_at IS NULL",
            "CREATE INDEX IF NOT EXISTS \"\(tables.prefix)outbox_sent\" ON \(tables.outbox) (sent_at) WHERE sent_at IS NOT NULL",
            // A NOTIFY per inserting statement (delivered at commit), which wakes idle relays.
            """
            CREATE OR REPLACE FUNCTION \(tables.outboxNotifyFunction)() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN PERFORM pg_notify('\(tables.outboxChannel)', ''); RETURN NULL; END $$
            """,
            """
            CREATE TRIGGER "\(tables.prefix)outbox_written" AFTER INSERT ON \(tables.outbox)
                FOR EACH STATEMENT EXECUTE FUNCTION \(tables.outboxNotifyFunction)()
            """,
        ])
    }

    /// Brings `tables` up to date; returns how many steps ran now.
    @discardableResult
    static func migrate(_ client: PostgresClient, _ tables: PostgresTables, logger: Logger) async throws -> Int {
        let schema = schema(tables)
        return try await client.transaction(store: "PostgreSQL stores \(tables.schema).\(tables.prefix)*", operation: "migrating the tables", logger: logger) { connection -> Int in
            try await connection.boundedQuery("SELECT pg_advisory_xact_lock(\(tables.lockSpace), -1)", logger: logger)
            try await connection.boundedQuery("CREATE SCHEMA IF NOT EXISTS \"\(unescaped: tables.schema)\"", logger: logger)
            try await connection.boundedQuery("""
                CREATE TABLE IF NOT EXISTS \(unescaped: tables.schemaVersion) (
                    component text PRIMARY KEY, steps integer NOT NULL, migrated_at timestamptz NOT NULL DEFAULT now())
                """, logger: logger)
            var done = 0
            for try await applied in try await connection.boundedQuery(
                "SELECT steps FROM \(unescaped: tables.schemaVersion) WHERE component = \(schema.name)", logger: logger
            ).decode(Int32.self) {
                done = Int(applied)
            }
            let pending: ArraySlice<String>
            do {
                pending = try schema.pendingSteps(applied: done)
            } catch {
                throw PostgresStoreError(.schemaFromNewerVersion, "\(tables.schemaVersion): \(error)")
            }
            guard !pending.isEmpty else { return 0 }
            for step in pending {
                try await connection.boundedQuery(PostgresQuery(unsafeSQL: step), logger: logger)
            }
            try await connection.boundedQuery("""
                INSERT INTO \(unescaped: tables.schemaVersion) (component, steps) VALUES (\(schema.name), \(Int32(schema.steps.count)))
                ON CONFLICT (component) DO UPDATE SET steps = excluded.steps, migrated_at = now()
                """, logger: logger)
            logger.info("PostgreSQL stores migrated", metadata: ["tables": "\(tables.schema).\(tables.prefix)*", "steps": "\(done)→\(schema.steps.count)"])
            return pending.count
        }
    }
}
