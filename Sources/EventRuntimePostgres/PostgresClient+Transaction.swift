import Logging
import PostgresNIO

extension PostgresClient {
    /// A transaction on a leased connection: BEGIN, `body`, COMMIT; ROLLBACK when `body` throws,
    /// whose error then comes out as it was thrown (a handler's error must reach the processor
    /// as the handler threw it, to be retried or dead-lettered by its type).
    ///
    /// Not postgres-nio's `withTransaction`, for two reasons: it wraps every error in
    /// `PostgresTransactionError`, and a statement written to a connection the server has just
    /// closed (`pg_terminate_backend`, a restart) can wait for ever (seen in the relay's
    /// killed-connection test: the write fails with no one to tell). So each statement after
    /// `body` checks the connection first, and a connection whose ROLLBACK failed is closed
    /// rather than returned to the pool mid-transaction.
    ///
    func transaction<Value: Sendable>(logger: Logger, _ body: (PostgresConnection) async throws -> Value) async throws -> Value {
        try await withConnection { (connection: PostgresConnection) async throws -> Value in
            try await connection.checkedQuery("BEGIN", logger: logger)
            let outcome: Result<Value, any Error>
            do {
                outcome = .success(try await body(connection))
            } catch {
                outcome = .failure(error)
            }
            switch outcome {
            case .success(let value):
                try await connection.checkedQuery("COMMIT", logger: logger)
                return value
            case .failure(let error):
                await connection.rollBack(logger: logger)
                throw error
            }
        }
    }
}

extension PostgresConnection {
    /// ROLLBACK after a failed body. A connection already closed has nothing to roll back (the
    /// server ended the transaction); one whose ROLLBACK fails is closed, never returned to the
    /// pool mid-transaction.
    func rollBack(logger: Logger) async {
        guard !isClosed else { return }
        do {
            try await checkedQuery("ROLLBACK", logger: logger)
        } catch {
            try? await close()
        }
    }

    /// `query`, refused at once on a connection already closed: postgres-nio writes a statement
    /// to a closed channel with no one to fail it, and its caller then waits for ever. (A close
    /// between this check and the write can still do that; the window is a few instructions.)
    @discardableResult
    package func checkedQuery(_ query: PostgresQuery, logger: Logger) async throws -> PostgresRowSequence {
        try checkOpen()
        return try await self.query(query, logger: logger)
    }

    /// Throws when the server or the network closed the connection.
    ///
    /// Untyped `throws` on purpose: with `throws(PostgresStoreError)`, inlined into the async
    /// callers, Swift 6.3's optimizer crashed (signal 11 splitting the coroutine) in release builds.
    func checkOpen() throws {
        if isClosed {
            throw PostgresStoreError(.connectionLost, "the connection to PostgreSQL was closed (the server ended it or restarted): the transaction did not commit")
        }
    }
}
