import EventProcessing

extension SQLiteDatabase {
    /// Brings the application's own schema `name` up to date: runs the `steps` not applied yet, in
    /// order (one SQL statement each), each in its own transaction with the record that it ran (a table
    /// `schema_migrations`), so opening the database again, or from a second process, runs
    /// nothing twice. Steps are append-only: add a new one to change the schema; never edit or
    /// remove an applied one (a database that has applied more steps than given is refused: it
    /// was written by newer code). Returns how many steps ran now.
    ///
    /// ```swift
    /// try await database.migrate("billing", steps: [
    ///     "CREATE TABLE invoices (order_id TEXT PRIMARY KEY, amount TEXT NOT NULL)",
    ///     "ALTER TABLE invoices ADD COLUMN paid_at INTEGER",
    /// ])
    /// ```
    @discardableResult
    public func migrate(_ name: String, steps: [String]) async throws -> Int {
        try await migrate(StoreSchema(name: name, steps: steps))
    }

    /// Brings `schema` up to date, by `StoreSchema`'s rule, one step per transaction (a step
    /// that fails rolls back alone: those before it stay applied). SQLiteInbox and SQLiteOutbox
    /// keep their tables with it too.
    @discardableResult
    func migrate(_ schema: StoreSchema) async throws -> Int {
        // What is pending now: an up-to-date database costs one transaction, not one per step.
        let pendingAtStart = try await transaction { transaction in
            _ = try transaction.execute("""
                CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied INTEGER NOT NULL) WITHOUT ROWID
                """)
            return try pendingSteps(of: schema, in: transaction).indices
        }
        var ran = 0
        for index in pendingAtStart {
            let applied = try await transaction { transaction -> Bool in
                // Another process may have run this step since the last transaction.
                let pending = try pendingSteps(of: schema, in: transaction)
                guard pending.startIndex == index, let step = pending.first else { return false }
                _ = try transaction.execute(step)
                _ = try transaction.execute(
                    "INSERT INTO schema_migrations (name, applied) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET applied = excluded.applied",
                    [.text(schema.name), .integer(Int64(index + 1))])
                return true
            }
            if applied { ran += 1 }
        }
        return ran
    }

    /// The steps of `schema` still to run, as `schema_migrations` records them in `transaction`;
    /// refused, naming this file, when newer code ran more.
    private func pendingSteps(of schema: StoreSchema, in transaction: SQLiteTransaction) throws -> ArraySlice<String> {
        let done = try transaction.query("SELECT applied FROM schema_migrations WHERE name = ?", [.text(schema.name)])
            .first?.first?.integer ?? 0
        do {
            return try schema.pendingSteps(applied: Int(done))
        } catch {
            throw SQLiteError(code: 0, message: "\(error)", path: path)
        }
    }
}
