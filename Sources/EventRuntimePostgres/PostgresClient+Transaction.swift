import Logging
import Synchronization
import PostgresNIO

/// The stores' transactions and bounded statements on postgres-nio's pool: nothing here waits
/// for ever on a connection the server has closed.
extension PostgresClient {
    /// A transaction on a leased connection: BEGIN, `body`, COMMIT; ROLLBACK when `body` throws,
    /// whose error then comes out as it was thrown (a handler's error must reach the processor
    /// as the handler threw it, to be retried or dead-lettered by its type) — unless the
    /// connection is gone, in which case the transaction was lost with it, whatever `body` threw:
    /// that is `PostgresStoreError.connectionLost`, not the body's fault. The store's own
    /// failures (no connection, BEGIN, COMMIT) come out as `PostgresStoreError`s naming `store`
    /// and `operation`.
    ///
    /// Not postgres-nio's `withTransaction`, for two reasons: it wraps every error in
    /// `PostgresTransactionError`, and a statement written to a connection the server has just
    /// closed can wait for ever (see `boundedQuery`). So every statement here is bounded, and a
    /// connection whose ROLLBACK failed is closed rather than returned to the pool
    /// mid-transaction. `body` itself runs in the caller's task (it may not escape: the
    /// `InboxStore` and `OutboxStore` requirements hand their closures over non-escaping), so
    /// its own statements must be bounded too: a handler's, with `boundedQuery`.
    func transaction<Value: Sendable>(
        store: String, operation: String, logger: Logger, _ body: (PostgresConnection) async throws -> Value
    ) async throws -> Value {
        do {
            return try await withLiveConnection { (connection: PostgresConnection) async throws -> Value in
                do {
                    try await connection.boundedQuery("BEGIN", logger: logger)
                } catch let error as PostgresStoreError where error.code == .connectionLost {
                    // The connection died before the transaction began: another is as good.
                    throw ClosedWhenLeased()
                }
                let outcome: Result<Value, any Error>
                do {
                    outcome = .success(try await body(connection))
                } catch {
                    outcome = .failure(error)
                }
                switch outcome {
                case .success(let value):
                    try await connection.boundedQuery("COMMIT", logger: logger)
                    return value
                case .failure(let error):
                    guard await connection.rollBack(logger: logger) else {
                        throw PostgresStoreError.wrapping(
                            error is PostgresStoreError ? error : PostgresStoreError(.connectionLost, Self.lostWithConnection, store: nil, operation: nil,
                                details: String(reflecting: error)),
                            store: store, operation: operation)
                    }
                    throw BodyFailure(underlying: error)
                }
            }
        } catch let failure as BodyFailure {
            throw failure.underlying
        } catch {
            throw PostgresStoreError.wrapping(error, store: store, operation: operation)
        }
    }

    /// `body` on a connection of the pool that is open when `body` starts (or whose first
    /// statement, failing with `ClosedWhenLeased`, found it closed). Just after the server ended
    /// the pool's connections, postgres-nio can lease one it has not yet seen close; nothing has
    /// run on it, so another lease is safe (up to three in all).
    func withLiveConnection<Value: Sendable>(_ body: (PostgresConnection) async throws -> Value) async throws -> Value {
        for attempt in 0..<3 {
            do {
                return try await withConnection { connection in
                    guard !connection.isClosed else { throw ClosedWhenLeased() }
                    do {
                        return try await body(connection)
                    } catch is ClosedWhenLeased {
                        // Closed before it goes back, so the pool does not lease it again.
                        try? await connection.close()
                        throw ClosedWhenLeased()
                    }
                }
            } catch is ClosedWhenLeased {
                // The pool learns of a close on its event loop: give it a moment.
                try? await Task.sleep(for: .milliseconds(10 << attempt))
            }
        }
        throw PostgresStoreError(.connectionLost, "three connections of the pool in a row were closed before their first statement: the server is restarting or ending connections; the runtime retries")
    }

    /// `body` on a connection of the pool; its failures, and the pool's, as `PostgresStoreError`s
    /// naming `store` and `operation`.
    func withConnection<Value: Sendable>(
        store: String, operation: String, _ body: (PostgresConnection) async throws -> Value
    ) async throws -> Value {
        do {
            return try await withLiveConnection { connection in try await body(connection) }
        } catch {
            throw PostgresStoreError.wrapping(error, store: store, operation: operation)
        }
    }

    /// `query`, bounded as `PostgresConnection.boundedQuery` is, on a connection of the pool.
    ///
    /// Use it (or `boundedQuery` on a connection) for a service's own statements where a restart
    /// of the server must not leave a task waiting for ever.
    @discardableResult
    public func boundedQuery(
        _ query: PostgresQuery, logger: Logger, timeout: Duration = PostgresConnection.defaultStatementTimeout
    ) async throws -> [PostgresRow] {
        do {
            return try await withLiveConnection { connection in
                try await connection.untilClosed(timeout: timeout) {
                    try await connection.query(query, logger: logger).collect()
                }
            }
        } catch {
            throw PostgresStoreError.wrapping(error, store: nil, operation: nil)
        }
    }

    private static let lostWithConnection = "the transaction was lost with its connection (the server ended it or restarted): nothing of it committed; the runtime retries"

    /// A leased connection was closed before anything ran on it.
    private struct ClosedWhenLeased: Error {}

    /// What `body` threw, carried past the store's own error wrapping.
    private struct BodyFailure: Error {
        var underlying: any Error
    }
}

/// Statements that end when their connection closes or the server stops answering, instead of
/// waiting for ever as postgres-nio 1.33's `query` can.
extension PostgresConnection {
    /// How long one of the stores' statements may wait for the server before the connection is
    /// closed and the statement fails with `timedOut`: a paused or unreachable server must not
    /// hold a relay or a processor for ever. Longer than any statement of the stores takes.
    public static let defaultStatementTimeout: Duration = .seconds(60)

    /// ROLLBACK after a failed body; returns whether the connection is still usable. A connection
    /// already closed has nothing to roll back (the server ended the transaction); one whose
    /// ROLLBACK fails is closed, never returned to the pool mid-transaction.
    func rollBack(logger: Logger) async -> Bool {
        guard !isClosed else { return false }
        do {
            try await boundedQuery("ROLLBACK", logger: logger)
            return true
        } catch {
            try? await close()
            return false
        }
    }

    /// `query`, with two bounds postgres-nio 1.33 does not give: refused at once on a connection
    /// already closed, and failed with `connectionLost` when the connection closes while the
    /// statement waits — postgres-nio writes a statement with no promise for the write
    /// (`channel.write(…, promise: nil)` in `PostgresConnection.query` and `PostgresClient.query`),
    /// so one written to a connection the server has just ended waits for ever (seen in CI:
    /// processors stopped for good after `pg_terminate_backend`, and the shop after a restart).
    /// And when the server does not answer within `timeout`, the connection is closed and the
    /// statement fails with `timedOut`. Errors are `PostgresStoreError`s.
    @discardableResult
    public func boundedQuery(
        _ query: PostgresQuery, logger: Logger, timeout: Duration = PostgresConnection.defaultStatementTimeout
    ) async throws -> PostgresRowSequence {
        do {
            return try await untilClosed(timeout: timeout) { try await self.query(query, logger: logger) }
        } catch {
            throw PostgresStoreError.wrapping(error, store: nil, operation: nil)
        }
    }

    /// Runs `operation` (statements on this connection) in a task of its own and returns its
    /// result, or fails with `connectionLost` as soon as the connection closes, or — given a
    /// `timeout` — with `timedOut` once it has passed, closing the connection so nothing of the
    /// operation commits. When the close or the timeout wins, the operation's task is cancelled
    /// and left to postgres-nio. Task-local values (the inbox's transaction) reach `operation`.
    func untilClosed<Value: Sendable>(
        timeout: Duration? = nil, _ operation: @escaping @Sendable () async throws -> Value
    ) async throws -> Value {
        try checkOpen()
        let outcome = OperationOutcome<Value>()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Value, any Error>) in
                outcome.start(continuation)
                let token = ClosedConnectionWatch.shared.add(for: self) { error in outcome.finish(.failure(error)) }
                outcome.attach(Task {
                    do {
                        outcome.finish(.success(try await operation()))
                    } catch {
                        outcome.finish(.failure(error))
                    }
                    ClosedConnectionWatch.shared.remove(token, for: self)
                })
                if let timeout {
                    outcome.attach(Task { [self] in
                        try await Task.sleep(for: timeout)
                        outcome.finish(.failure(PostgresStoreError(.timedOut,
                            "PostgreSQL did not answer within \(timeout); the connection was closed and nothing of its transaction committed; the runtime retries. Check the server's load and pg_stat_activity")))
                        try? await self.close()
                    })
                }
            }
        } onCancel: {
            outcome.cancel()
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

/// The outcome of `untilClosed`'s operation, decided once: by the operation, the connection's
/// close or the timeout, whichever comes first; the others' tasks are then cancelled.
private final class OperationOutcome<Value: Sendable>: Sendable {
    private struct State {
        var continuation: CheckedContinuation<Value, any Error>?
        var decided = false
        var tasks: [Task<Void, any Error>] = []
    }

    private let state = Mutex(State())

    func start(_ continuation: CheckedContinuation<Value, any Error>) {
        state.withLock { $0.continuation = continuation }
    }

    /// Keeps `task` to cancel once the outcome is decided (at once if it is already).
    func attach(_ task: Task<Void, any Error>) {
        let decided = state.withLock { state -> Bool in
            if !state.decided { state.tasks.append(task) }
            return state.decided
        }
        if decided { task.cancel() }
    }

    func finish(_ result: Result<Value, any Error>) {
        let (continuation, tasks) = state.withLock { state -> (CheckedContinuation<Value, any Error>?, [Task<Void, any Error>]) in
            guard !state.decided else { return (nil, []) }
            state.decided = true
            defer { state.tasks = [] }
            return (state.continuation.take(), state.tasks)
        }
        continuation?.resume(with: result)
        for task in tasks { task.cancel() }
    }

    /// The caller was cancelled: the operation is too (postgres-nio cancels a running statement).
    func cancel() {
        for task in state.withLock({ $0.tasks }) { task.cancel() }
    }
}

/// The operations waiting on each open connection, failed together when it closes. One close
/// callback per connection (registered with its first operation), not one per operation: a
/// pooled connection runs millions of statements and NIO cannot take a callback back.
package final class ClosedConnectionWatch: Sendable {
    package static let shared = ClosedConnectionWatch()

    /// Fails a waiting operation with the error given.
    package typealias Failing = @Sendable (any Error) -> Void

    private struct State {
        var waiters: [ObjectIdentifier: [UInt64: Failing]] = [:]
        var nextToken: UInt64 = 0
    }

    private let state = Mutex(State())

    /// Watches `connection` for an operation that `fail` ends; the token removes it when the
    /// operation is done.
    package func add(for connection: PostgresConnection, _ fail: @escaping Failing) -> UInt64 {
        let key = ObjectIdentifier(connection)
        let (token, isFirst) = state.withLock { state -> (UInt64, Bool) in
            state.nextToken &+= 1
            let isFirst = state.waiters[key] == nil
            state.waiters[key, default: [:]][state.nextToken] = fail
            return (state.nextToken, isFirst)
        }
        if isFirst {
            connection.closeFuture.whenComplete { [self] _ in
                let orphans = state.withLock { $0.waiters.removeValue(forKey: key) } ?? [:]
                for fail in orphans.values {
                    fail(PostgresStoreError(
                        .connectionLost, "the connection to PostgreSQL was closed while a statement waited: the transaction did not commit"))
                }
            }
        }
        return token
    }

    func remove(_ token: UInt64, for connection: PostgresConnection) {
        _ = state.withLock { $0.waiters[ObjectIdentifier(connection)]?.removeValue(forKey: token) }
    }
}
