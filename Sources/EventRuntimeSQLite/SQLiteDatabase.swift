import CSQLite
import Foundation
import Synchronization

/// What SQLite refused, with its result code, the database's path and the message.
public struct SQLiteError: Error, CustomStringConvertible, Sendable {
    /// SQLite's result code (`SQLITE_BUSY` is 5, `SQLITE_CORRUPT` 11…).
    public var code: Int32
    /// SQLite's message, or ours for a refused file.
    public var message: String
    /// The database file, so a service with several names the one at fault.
    public var path: String

    /// An error on the database at `path`.
    public init(code: Int32, message: String, path: String) {
        self.code = code
        self.message = message
        self.path = path
    }

    /// What it says, in one line.
    public var description: String { "SQLite error \(code) on \(path): \(message)" }
}

/// One SQLite connection (the system library, Debian's libsqlite3-dev), used one transaction at a
/// time.
///
/// Why the C API and not GRDB or sqlite-nio: the inbox and the outbox need exactly one connection,
/// `BEGIN IMMEDIATE`/`COMMIT` around an async handler, and a few prepared statements; a hundred
/// lines over the C API give that control with no dependency to build, where GRDB's Linux build
/// and sqlite-nio's event loops would be the larger part of the module.
///
/// Concurrency: statements run only inside `transaction`, which an async lock serialises, so the
/// connection is never used by two tasks at once (SQLite has one writer anyway). Calls block for
/// microseconds (WAL mode, `synchronous=NORMAL`: commits do not wait for fsync, checkpoints do).
public final class SQLiteDatabase: @unchecked Sendable {
    private let handle: OpaquePointer
    private let lock = AsyncLock()
    /// The database file.
    public let path: String
    /// Prepared statements by SQL text, reused across transactions: preparing (parsing and
    /// planning) each INSERT took longer than running it. Only touched inside `transaction`, which
    /// the lock serialises; bounded, so SQL built at run time cannot grow it without end.
    private var statements: [String: OpaquePointer] = [:]
    /// How many prepared statements a connection keeps.
    public static let statementCacheLimit = 64

    /// Opens (creating if needed) the database at `path` in WAL mode, and refuses a damaged one
    /// before anything reads or writes it: a truncated file otherwise reads as an empty inbox, and
    /// deduplication is silently gone.
    ///
    /// - Parameters:
    ///   - path: the database file, created if it does not exist.
    ///   - quickCheck: also run `PRAGMA quick_check` (reads every page: ~0.15 s per
    ///     100 MB with the file in the page cache: 0.18-0.25 s on a 148 MB inbox of 1.5M ids). The
    ///     file's header is always checked against its size, which is instant.
    public init(path: String, quickCheck: Bool = true) throws(SQLiteError) {
        try SQLiteFileHeader.check(path)
        var db: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let result = sqlite3_open_v2(path, &db, flags, nil)
        guard result == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            if let db { sqlite3_close(db) }
            throw SQLiteError(code: result, message: message + "; check the path and its permissions", path: path)
        }
        handle = db
        self.path = path
        sqlite3_busy_timeout(db, 5_000)
        if quickCheck { try checkIntegrity() }
        try execute("PRAGMA journal_mode=WAL")
        try execute("PRAGMA synchronous=NORMAL")
    }

    /// `PRAGMA quick_check`: every page read, every b-tree walked (no index-content check).
    private func checkIntegrity() throws(SQLiteError) {
        var statement: OpaquePointer?
        let sql = "PRAGMA quick_check"
        guard sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
            throw damaged(String(cString: sqlite3_errmsg(handle)))
        }
        defer { sqlite3_finalize(statement) }
        var problems: [String] = []
        while true {
            let step = sqlite3_step(statement)
            guard step == SQLITE_ROW else {
                guard step == SQLITE_DONE else { throw damaged(String(cString: sqlite3_errmsg(handle))) }
                break
            }
            if let text = sqlite3_column_text(statement, 0) { problems.append(String(cString: text)) }
        }
        guard problems == ["ok"] else { throw damaged(problems.prefix(3).joined(separator: "; ")) }
    }

    private func damaged(_ detail: String) -> SQLiteError {
        SQLiteError(
            code: SQLITE_CORRUPT,
            message: "the database is damaged (\(detail)); nothing was written to it. Restore it from a backup, "
                + "or move it away to start with an empty one (what it deduplicated is then forgotten)",
            path: path)
    }

    deinit {
        for statement in statements.values { sqlite3_finalize(statement) }
        sqlite3_close_v2(handle)
    }

    /// Runs `body` in one `BEGIN IMMEDIATE … COMMIT` transaction (rolled back if it throws),
    /// after any transaction already running on this connection has finished.
    @discardableResult
    public func transaction<Result: Sendable>(
        _ body: (SQLiteTransaction) async throws -> Result
    ) async throws -> Result {
        await lock.lock()
        defer { lock.unlock() }
        try execute("BEGIN IMMEDIATE")
        let transaction = SQLiteTransaction(database: self)
        do {
            let result = try await body(transaction)
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    func execute(_ sql: String) throws(SQLiteError) {
        var message: UnsafeMutablePointer<CChar>?
        let result = sqlite3_exec(handle, sql, nil, nil, &message)
        guard result == SQLITE_OK else {
            let text = message.map { String(cString: $0) } ?? "error"
            sqlite3_free(message)
            throw SQLiteError(code: result, message: "\(text) in: \(sql)", path: path)
        }
    }

    /// The statement for `sql`, prepared once; the caller resets it after use.
    func cachedStatement(_ sql: String) throws(SQLiteError) -> OpaquePointer {
        if let statement = statements[sql] { return statement }
        var statement: OpaquePointer?
        let result = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard result == SQLITE_OK, let statement else { throw error(result, sql) }
        if statements.count >= Self.statementCacheLimit {
            for old in statements.values { sqlite3_finalize(old) }
            statements.removeAll()
        }
        statements[sql] = statement
        return statement
    }

    func error(_ code: Int32, _ sql: String) -> SQLiteError {
        SQLiteError(code: code, message: "\(String(cString: sqlite3_errmsg(handle))) in: \(sql)", path: path)
    }

    var changes: Int { Int(sqlite3_changes(handle)) }
}

/// A value bound to a statement parameter or read from a row.
public enum SQLiteValue: Sendable, Hashable {
    /// SQL `NULL`.
    case null
    /// An `INTEGER`.
    case integer(Int64)
    /// `TEXT`, as UTF-8.
    case text(String)
    /// A `BLOB`.
    case blob([UInt8])

    /// The integer, or nil for any other kind of value.
    public var integer: Int64? { if case .integer(let value) = self { value } else { nil } }
    /// The text, or nil for any other kind of value.
    public var text: String? { if case .text(let value) = self { value } else { nil } }
    /// The blob's bytes (or text's, as UTF-8), or nil for any other kind of value.
    public var blob: [UInt8]? {
        switch self {
        case .blob(let value): value
        case .text(let value): Array(value.utf8)
        default: nil
        }
    }
}

/// The transaction a body runs in: statements go through it, so nothing runs outside one.
public struct SQLiteTransaction: Sendable {
    let database: SQLiteDatabase

    /// Runs a statement that returns no rows; returns how many rows it changed.
    @discardableResult
    public func execute(_ sql: String, _ parameters: [SQLiteValue] = []) throws(SQLiteError) -> Int {
        _ = try query(sql, parameters)
        return database.changes
    }

    /// Runs a statement and returns its rows.
    public func query(_ sql: String, _ parameters: [SQLiteValue] = []) throws(SQLiteError) -> [[SQLiteValue]] {
        let statement = try database.cachedStatement(sql)
        defer {
            sqlite3_reset(statement)
            sqlite3_clear_bindings(statement)
        }
        for (index, parameter) in parameters.enumerated() {
            let position = Int32(index + 1)
            let result: Int32
            switch parameter {
            case .null: result = sqlite3_bind_null(statement, position)
            case .integer(let value): result = sqlite3_bind_int64(statement, position, value)
            case .text(let value):
                // With its byte length, so text holding NUL (natural-key ids do) is kept whole.
                var text = value
                result = text.withUTF8 { utf8 in
                    utf8.withMemoryRebound(to: CChar.self) { chars in
                        guard let base = chars.baseAddress else { return sqlite3_bind_text(statement, position, "", 0, SQLITE_TRANSIENT) }
                        return sqlite3_bind_text(statement, position, base, Int32(chars.count), SQLITE_TRANSIENT)
                    }
                }
            case .blob(let value):
                result = value.withUnsafeBytes { sqlite3_bind_blob(statement, position, $0.baseAddress, Int32($0.count), SQLITE_TRANSIENT) }
            }
            guard result == SQLITE_OK else { throw database.error(result, sql) }
        }
        var rows: [[SQLiteValue]] = []
        while true {
            let result = sqlite3_step(statement)
            if result == SQLITE_DONE { break }
            guard result == SQLITE_ROW else { throw database.error(result, sql) }
            var row: [SQLiteValue] = []
            for column in 0..<sqlite3_column_count(statement) {
                switch sqlite3_column_type(statement, column) {
                case SQLITE_INTEGER: row.append(.integer(sqlite3_column_int64(statement, column)))
                case SQLITE_TEXT:
                    let count = Int(sqlite3_column_bytes(statement, column))
                    let text = sqlite3_column_text(statement, column).map {
                        String(decoding: UnsafeBufferPointer(start: $0, count: count), as: UTF8.self)
                    }
                    row.append(.text(text ?? ""))
                case SQLITE_BLOB:
                    let count = Int(sqlite3_column_bytes(statement, column))
                    if count == 0 {
                        row.append(.blob([]))
                    } else if let bytes = sqlite3_column_blob(statement, column) {
                        row.append(.blob(Array(UnsafeRawBufferPointer(start: bytes, count: count))))
                    } else {
                        row.append(.blob([]))
                    }
                case SQLITE_NULL: row.append(.null)
                default: row.append(.integer(sqlite3_column_int64(statement, column)))
                }
            }
            rows.append(row)
        }
        return rows
    }
}

/// SQLite's "copy this buffer now" destructor, which the C header spells as a cast Swift cannot import.
let SQLITE_TRANSIENT = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

/// A FIFO lock for async code: waiting suspends instead of blocking a thread.
final class AsyncLock: Sendable {
    private let state = Mutex<(locked: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    func lock() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let acquired = state.withLock { state -> Bool in
                if !state.locked {
                    state.locked = true
                    return true
                }
                state.waiters.append(continuation)
                return false
            }
            if acquired { continuation.resume() }
        }
    }

    func unlock() {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard !state.waiters.isEmpty else {
                state.locked = false
                return nil
            }
            return state.waiters.removeFirst()
        }
        next?.resume()
    }
}
