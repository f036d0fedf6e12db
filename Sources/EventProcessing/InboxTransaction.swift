/// Where a transactional inbox keeps the transaction the current handler runs in, for the
/// handler's own writes: the handler's rows and the event id then commit together, or not at all.
/// SQLite's and PostgreSQL's inboxes each keep one (`SQLiteInbox.requiredTransaction()`,
/// `PostgresInbox.requiredTransaction()`); an inbox of one's own can too.
public final class InboxTransaction<Transaction: Sendable>: Sendable {
    private let local = TaskLocal<Transaction?>(wrappedValue: nil)
    private let missing: NotInInboxTransaction

    /// A slot of the inbox type named `inbox`, which a processor is given as `construction`
    /// (`SQLiteInbox(database:)`): the error a handler outside its transaction gets says so.
    public init(inbox: String, construction: String) {
        missing = NotInInboxTransaction(inbox: inbox, construction: construction)
    }

    /// The transaction the current handler runs in; nil outside one. Prefer `required()`,
    /// which fails loudly where this would let a handler skip its work.
    public var current: Transaction? { local.get() }

    /// The transaction the current handler runs in. Throws `NotInInboxTransaction` when there is
    /// none: the processor was given another inbox (or none), or the contract's idempotency is
    /// not `inbox` or `natural-key`, so the handler runs outside the inbox's transaction. The
    /// processor stops on that error (a `MisconfigurationError`), committing nothing.
    public func required() throws(NotInInboxTransaction) -> Transaction {
        guard let transaction = local.get() else { throw missing }
        return transaction
    }

    /// Runs `operation` (the handler) with `transaction` as the current one.
    public func run<Result>(in transaction: Transaction, _ operation: () async throws -> Result) async rethrows -> Result {
        try await local.withValue(transaction, operation: operation)
    }
}

/// A handler needed its inbox's transaction and was not run inside one.
public struct NotInInboxTransaction: MisconfigurationError, CustomStringConvertible {
    /// The inbox type the handler needs (`SQLiteInbox`).
    public let inbox: String
    /// How a processor is given that inbox (`SQLiteInbox(database:)`).
    public let construction: String

    /// The handler needs `inbox`'s transaction.
    public init(inbox: String, construction: String) {
        self.inbox = inbox
        self.construction = construction
    }

    /// What happened, and what to do.
    public var description: String {
        "the handler needs \(inbox)'s transaction, but it is not running inside one: give the processor the \(inbox) "
            + "(EventProcessor(…, inbox: \(construction))), for a contract whose idempotency is inbox or natural-key"
    }
}
