/// What the PostgreSQL stores refuse, with what to do. `code` can grow without breaking a
/// `switch` in clients (a struct of static values, as swift-service-lifecycle's errors).
public struct PostgresStoreError: Error, CustomStringConvertible, Sendable {
    /// What kind of refusal it is; new codes may be added, so a `switch` over them needs a default.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String

        /// A schema or table prefix that is not a plain SQL identifier.
        public static let invalidName = Code(name: "invalidName")
        /// The tables were migrated by a newer version of the stores than this one.
        public static let schemaFromNewerVersion = Code(name: "schemaFromNewerVersion")
        /// The server closed the connection in the middle of the store's work (nothing committed).
        public static let connectionLost = Code(name: "connectionLost")
        /// A connection URL that cannot be read.
        public static let invalidURL = Code(name: "invalidURL")

        /// What it says, in one line.
        public var description: String { name }
    }

    /// What kind of refusal it is.
    public let code: Code
    /// What happened and what to do.
    public let message: String

    /// An error of kind `code`.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// What it says, in one line.
    public var description: String { message }
}
