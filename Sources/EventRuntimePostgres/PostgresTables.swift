/// Where the stores keep their tables: a schema, and a prefix on each table's name, so several
/// services (or several of one service's components) can share a database without meeting.
///
/// Both are plain lower-case SQL identifiers (`[a-z_][a-z0-9_]*`), checked here, because they are
/// written into SQL text: a name cannot be bound as a parameter.
public struct PostgresTables: Sendable, Hashable {
    /// The schema the tables are in.
    public let schema: String
    /// What every table's name starts with.
    public let prefix: String

    /// - Parameters:
    ///   - schema: created if missing. Default `public`.
    ///   - prefix: put before `inbox`, `outbox` and `schema_version`. Default `eventc_`.
    public init(schema: String = "public", prefix: String = "eventc_") throws(PostgresStoreError) {
        guard Self.isPlainIdentifier(schema), schema.utf8.count <= 48 else {
            throw PostgresStoreError(.invalidName, "schema name '\(schema)' is not a plain SQL identifier of at most 48 characters: use lower-case letters, digits and _, starting with a letter or _")
        }
        guard prefix.isEmpty || Self.isPlainIdentifier(prefix), prefix.utf8.count <= 40 else {
            throw PostgresStoreError(.invalidName, "table prefix '\(prefix)' is not a plain SQL identifier of at most 40 characters: use lower-case letters, digits and _, starting with a letter or _")
        }
        self.schema = schema
        self.prefix = prefix
    }

    /// Schema `public`, prefix `eventc_`.
    public static let standard = PostgresTables(checked: "public", prefix: "eventc_")

    private init(checked schema: String, prefix: String) {
        self.schema = schema
        self.prefix = prefix
    }

    var inbox: String { qualified("inbox") }
    var outbox: String { qualified("outbox") }
    var schemaVersion: String { qualified("schema_version") }
    var outboxNotifyFunction: String { qualified("outbox_notify") }

    /// The LISTEN/NOTIFY channel on which the outbox's trigger announces new rows.
    var outboxChannel: String { "\(schema).\(prefix)outbox" }

    /// The first key of this table set's advisory locks (`pg_advisory_xact_lock(space, n)`), so
    /// two table sets in one database never wait for each other: FNV-1a of the outbox's name.
    var lockSpace: Int32 { Int32(bitPattern: FNV1a.hash(Array(outboxChannel.utf8))) }

    func qualified(_ table: String) -> String { "\"\(schema)\".\"\(prefix)\(table)\"" }

    static func isPlainIdentifier(_ name: String) -> Bool {
        guard let first = name.utf8.first, first == UInt8(ascii: "_") || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(first) else {
            return false
        }
        return name.utf8.allSatisfy { byte in
            byte == UInt8(ascii: "_") || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
        }
    }
}

/// 32-bit FNV-1a: stable across processes and releases (Swift's `Hasher` is seeded per process),
/// which the outbox's key buckets and lock keys must be.
enum FNV1a {
    static func hash(_ bytes: [UInt8], into start: UInt32 = 2_166_136_261) -> UInt32 {
        var hash = start
        for byte in bytes {
            hash ^= UInt32(byte)
            hash &*= 16_777_619
        }
        return hash
    }
}
