/// A store's tables as append-only migration steps, and the one rule every SQL store here follows
/// to bring a database up to date: a database records how many steps ran; only the missing ones
/// run, in order; a database that ran *more* steps than the code knows was migrated by newer code
/// and is refused (its tables are never changed back). A change to the tables is a new step at the
/// end, never an edit of an applied one.
///
/// SQLite's inbox, outbox and `SQLiteDatabase.migrate(_:steps:)`, and PostgreSQL's stores, each
/// read and record the count in their own database and transaction; what to run is decided here,
/// so the rule is written once. A store of one's own can follow it too.
public struct StoreSchema: Sendable, Equatable {
    /// What the count is recorded under: one schema's steps are counted apart from another's.
    public let name: String
    /// One SQL statement each, in the order they run.
    public let steps: [String]

    /// A schema `name` made of `steps`.
    public init(name: String, steps: [String]) {
        self.name = name
        self.steps = steps
    }

    /// The steps still to run on a database where `applied` of them ran: the rest of `steps`,
    /// in order (empty when it is up to date). Throws when `applied` is more than this code
    /// knows.
    public func pendingSteps(applied: Int) throws(WrittenByNewerCode) -> ArraySlice<String> {
        guard applied <= steps.count else { throw WrittenByNewerCode(schema: name, applied: applied, known: steps.count) }
        return steps[max(applied, 0)...]
    }

    /// The database ran more steps of a schema than this code knows: newer code migrated it.
    public struct WrittenByNewerCode: Error, Equatable, CustomStringConvertible {
        /// The schema's name.
        public let schema: String
        /// How many steps the database says ran.
        public let applied: Int
        /// How many steps this code knows.
        public let known: Int

        /// What happened, and what to do.
        public var description: String {
            "\(applied) migration steps of schema '\(schema)' ran, but this code knows \(known): a newer version migrated it; "
                + "run that version (the tables are not changed back)"
        }
    }
}
