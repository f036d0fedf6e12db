import Logging
import Synchronization
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

    /// `query`, refused at once on a connection already closed, and failed with `connectionLost`
    /// if the connection closes while it waits: postgres-nio 1.33 can leave a statement written
    /// to a connection the server has just ended waiting for ever (seen in CI: the reliability
    /// simulation's processors stopped for good after `pg_terminate_backend` of their inbox
    /// connections). The statement runs in a task of its own; when the connection's close wins
    /// the race, that task is left to postgres-nio and the caller goes on.
    @discardableResult
    package func checkedQuery(_ query: PostgresQuery, logger: Logger) async throws -> PostgresRowSequence {
        try checkOpen()
        return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<PostgresRowSequence, any Error>) in
            let waiter = ClosedConnectionWatch.Waiter(continuation)
            let token = ClosedConnectionWatch.shared.add(waiter, for: self)
            Task {
                do {
                    waiter.resume(with: .success(try await self.query(query, logger: logger)))
                } catch {
                    waiter.resume(with: .failure(error))
                }
                ClosedConnectionWatch.shared.remove(token, for: self)
            }
        }
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

/// The statements waiting on each open connection, failed together when it closes. One close
/// callback per connection (registered with its first statement), not one per statement: a
/// pooled connection runs millions of statements and NIO cannot take a callback back.
package final class ClosedConnectionWatch: Sendable {
    package static let shared = ClosedConnectionWatch()

    /// A caller's continuation, resumed once: by the statement or by the close, whichever is first.
    package final class Waiter: Sendable {
        private let continuation: Mutex<CheckedContinuation<PostgresRowSequence, any Error>?>

        package init(_ continuation: CheckedContinuation<PostgresRowSequence, any Error>) {
            self.continuation = Mutex(continuation)
        }

        func resume(with result: Result<PostgresRowSequence, any Error>) {
            continuation.withLock { $0.take() }?.resume(with: result)
        }
    }

    private struct State {
        var waiters: [ObjectIdentifier: [UInt64: Waiter]] = [:]
        var nextToken: UInt64 = 0
    }

    private let state = Mutex(State())

    /// Watches `connection` for `waiter`; the token removes it when its statement is done.
    package func add(_ waiter: Waiter, for connection: PostgresConnection) -> UInt64 {
        let key = ObjectIdentifier(connection)
        let (token, isFirst) = state.withLock { state -> (UInt64, Bool) in
            state.nextToken &+= 1
            let isFirst = state.waiters[key] == nil
            state.waiters[key, default: [:]][state.nextToken] = waiter
            return (state.nextToken, isFirst)
        }
        if isFirst {
            connection.closeFuture.whenComplete { [self] _ in
                let orphans = state.withLock { $0.waiters.removeValue(forKey: key) } ?? [:]
                for waiter in orphans.values {
                    waiter.resume(with: .failure(PostgresStoreError(
                        .connectionLost, "the connection to PostgreSQL was closed while a statement waited: the transaction did not commit")))
                }
            }
        }
        return token
    }

    func remove(_ token: UInt64, for connection: PostgresConnection) {
        _ = state.withLock { $0.waiters[ObjectIdentifier(connection)]?.removeValue(forKey: token) }
    }
}
