import PostgresNIO

/// What the PostgreSQL stores refuse, with what to do. `code` can grow without breaking a
/// `switch` in clients (a struct of static values, as swift-service-lifecycle's errors).
///
/// Every failure of a store's own statements arrives as one of these, naming the store and the
/// operation, never as postgres-nio's `PSQLError`, whose `description` says only "Generic
/// description to prevent accidental leakage of sensitive data": its details (SQLSTATE, the
/// server's message, the statement without its values) are in `details`, with any password
/// removed.
public struct PostgresStoreError: Error, CustomStringConvertible, Sendable {
    /// What kind of refusal it is; new codes may be added, so a `switch` over them needs a default.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String

        /// A schema or table prefix that is not a plain SQL identifier.
        public static let invalidName = Code(name: "invalidName")
        /// The tables were migrated by a newer version of the stores than this one.
        public static let schemaFromNewerVersion = Code(name: "schemaFromNewerVersion")
        /// The server closed the connection in the middle of the store's work (a restart, a crash,
        /// `pg_terminate_backend`): nothing of that transaction committed.
        public static let connectionLost = Code(name: "connectionLost")
        /// No connection could be had: the server is down, starting, shutting down or unreachable.
        public static let serverUnavailable = Code(name: "serverUnavailable")
        /// The server did not answer within the time a statement may take (paused, overloaded, a
        /// network that drops packets); the connection was closed, so nothing of it commits.
        public static let timedOut = Code(name: "timedOut")
        /// The server refused a statement (a full disk, a permission, a constraint): `details`
        /// has its SQLSTATE and message.
        public static let statementFailed = Code(name: "statementFailed")
        /// A connection URL that cannot be read.
        public static let invalidURL = Code(name: "invalidURL")

        /// What it says, in one line.
        public var description: String { name }
    }

    /// What kind of refusal it is.
    public let code: Code
    /// What happened and what to do.
    public let message: String
    /// The store that failed (`PostgresInbox shop.payments_inbox`), when a store's work failed.
    public let store: String?
    /// What the store was doing (`recording an event id`).
    public let operation: String?
    /// postgres-nio's account of the failure (`String(reflecting:)`, passwords removed), when
    /// there was one.
    public let details: String?

    /// An error of kind `code`.
    public init(_ code: Code, _ message: String) {
        self.init(code, message, store: nil, operation: nil, details: nil)
    }

    /// An error of kind `code` in `operation` of `store`.
    public init(_ code: Code, _ message: String, store: String?, operation: String?, details: String? = nil) {
        self.code = code
        self.message = message
        self.store = store
        self.operation = operation
        self.details = details.map(Self.withoutPasswords)
    }

    /// Whether the server, not the request, is at fault, so the same work may succeed later: the
    /// runtime waits and tries again (the processor spends no attempt and dead-letters nothing).
    public var isTransient: Bool { [.connectionLost, .serverUnavailable, .timedOut].contains(code) }

    /// `store, operation: message (details)`.
    public var description: String {
        let place = [store, operation].compactMap { $0 }.joined(separator: ", ")
        return (place.isEmpty ? "" : place + ": ") + message + (details.map { " [\($0)]" } ?? "")
    }

    /// `error` as a store error of `store` in `operation`: a `PostgresStoreError` gains the place
    /// if it had none; postgres-nio's errors are sorted by what the server or the connection said
    /// (a service's own statements can go through it too, to tell a restart from a bad query).
    public static func wrapping(_ error: any Error, store: String?, operation: String?) -> PostgresStoreError {
        if let error = error as? PostgresStoreError {
            guard error.store == nil, store != nil else { return error }
            return PostgresStoreError(error.code, error.message, store: store, operation: operation, details: error.details)
        }
        let (code, message) = classify(error)
        return PostgresStoreError(code, message, store: store, operation: operation, details: String(reflecting: error))
    }

    /// The code and what to do for an error postgres-nio (or NIO below it) threw.
    private static func classify(_ error: any Error) -> (Code, String) {
        guard let error = error as? PSQLError else {
            return (.serverUnavailable, "cannot reach PostgreSQL; the runtime retries; check that the server is up and the URL points at it")
        }
        let sqlState = error.serverInfo?[.sqlState] ?? ""
        switch error.code {
        case .server where sqlState == "57P03" || sqlState.hasPrefix("08"):
            return (.serverUnavailable, "PostgreSQL refuses connections now (SQLSTATE \(sqlState): starting up or shutting down); the runtime retries")
        case .server where sqlState.hasPrefix("57P"):
            return (.connectionLost, "PostgreSQL ended the connection (SQLSTATE \(sqlState): a restart, a crash or an administrator); nothing of the transaction committed; the runtime retries")
        case .server:
            return (.statementFailed, "PostgreSQL refused a statement (SQLSTATE \(sqlState)): \(error.serverInfo?[.message] ?? "no message"); see the details, fix the cause on the server (53100 is a full disk) and the runtime's retries go on")
        case .serverClosedConnection, .uncleanShutdown, .clientClosedConnection:
            return (.connectionLost, "the connection to PostgreSQL closed under the statement; nothing of the transaction committed; the runtime retries")
        case .connectionError, .poolClosed:
            return (.serverUnavailable, "cannot connect to PostgreSQL; the runtime retries; check that the server is up and the URL points at it")
        default:
            return (.statementFailed, "postgres-nio failed the statement (\(error.code)); see the details")
        }
    }

    /// `text` with any `password…` value and any URL's password replaced by `***`.
    static func withoutPasswords(_ text: String) -> String {
        var text = text
        // postgres://user:secret@host → postgres://user:***@host
        text = text.replacing(#/(postgres(?:ql)?://[^:/@\s]+:)[^@\s]+@/#) { "\($0.output.1)***@" }
        // password: "secret", password=secret, password: Optional("secret")
        text = text.replacing(#/(?i)(password\s*[:=]\s*)(Optional\()?"?[^",)\s]*"?\)?/#) { "\($0.output.1)***" }
        return text
    }
}
