import EventRuntime
import EventRuntimePostgres
import EventRuntimeSQLite
import Foundation
import GeneratedContracts
import Logging

/// Where the shop's services keep their data: an SQLite file per service, or one PostgreSQL
/// database (a schema per run, a table set per service). The handlers write through these, inside
/// the inbox's transaction.
protocol ShopStores: Sendable {
    /// Where the data is, for messages.
    var location: String { get }
    var outbox: any OutboxStore { get }
    var paymentsInbox: any InboxStore { get }
    var deliveriesInbox: any InboxStore { get }
    var likesInbox: any InboxStore { get }
    /// How many relays publish the payments' outbox at once.
    var relays: Int { get }

    /// Records the payment and writes PaymentCompleted to the outbox, on the inbox's transaction.
    func takePayment(for order: OrderCreated, paymentId: UUID) async throws
    /// Records the shipment, on the inbox's transaction.
    func startDelivery(orderId: String) async throws
    /// Adds the deltas to the like counts, on the inbox's transaction.
    func addLikes(_ deltas: [String: Int]) async throws

    func payments() async throws -> (rows: Int, orders: Int)
    func shipments() async throws -> (rows: Int, orders: Int)
    func likeCounts() async throws -> [String: Int]
    /// Removes what the run stored (after a verified run).
    func remove() async throws
    /// Whether `error` says the stores' server is away for a while (a restart), so a read may be
    /// tried again.
    func isTransient(_ error: any Error) -> Bool
}

struct SQLiteShopStores: ShopStores {
    let folder: String
    let paymentsDatabase: SQLiteDatabase
    let deliveriesDatabase: SQLiteDatabase
    let likesDatabase: SQLiteDatabase
    let sqliteOutbox: SQLiteOutbox
    let paymentsInbox: any InboxStore
    let deliveriesInbox: any InboxStore
    let likesInbox: any InboxStore

    var location: String { folder }
    var outbox: any OutboxStore { sqliteOutbox }
    var relays: Int { 1 }

    init() async throws {
        folder = NSTemporaryDirectory() + "shop-demo-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        paymentsDatabase = try SQLiteDatabase(path: folder + "/payments.sqlite")
        deliveriesDatabase = try SQLiteDatabase(path: folder + "/deliveries.sqlite")
        likesDatabase = try SQLiteDatabase(path: folder + "/likes.sqlite")
        try await paymentsDatabase.migrate("payments", steps: ["CREATE TABLE payments (order_id TEXT NOT NULL, payment_id TEXT NOT NULL, amount TEXT NOT NULL)"])
        try await deliveriesDatabase.migrate("deliveries", steps: ["CREATE TABLE shipments (order_id TEXT NOT NULL, delivery_id TEXT NOT NULL)"])
        try await likesDatabase.migrate("likes", steps: ["CREATE TABLE like_counts (product_id TEXT PRIMARY KEY, likes INTEGER NOT NULL)"])
        sqliteOutbox = try await SQLiteOutbox(database: paymentsDatabase, source: "/shop/payments")
        paymentsInbox = try await SQLiteInbox(database: paymentsDatabase)
        deliveriesInbox = try await SQLiteInbox(database: deliveriesDatabase)
        likesInbox = try await SQLiteInbox(database: likesDatabase)
    }

    func takePayment(for order: OrderCreated, paymentId: UUID) async throws {
        let transaction = try SQLiteInbox.requiredTransaction()
        try transaction.execute(
            "INSERT INTO payments (order_id, payment_id, amount) VALUES (?, ?, ?)",
            [.text(order.orderId), .text(paymentId.uuidString), .text(order.total.amount.description)])
        try sqliteOutbox.publish(Shop.paymentCompleted(order, paymentId), in: transaction)
    }

    func startDelivery(orderId: String) async throws {
        try SQLiteInbox.requiredTransaction().execute(
            "INSERT INTO shipments (order_id, delivery_id) VALUES (?, ?)", [.text(orderId), .text(UUID().uuidString)])
    }

    func addLikes(_ deltas: [String: Int]) async throws {
        for (product, delta) in deltas.sorted(by: { $0.key < $1.key }) {
            try SQLiteInbox.requiredTransaction().execute(
                "INSERT INTO like_counts (product_id, likes) VALUES (?, ?) ON CONFLICT (product_id) DO UPDATE SET likes = likes + excluded.likes",
                [.text(product), .integer(Int64(delta))])
        }
    }

    private func count(_ database: SQLiteDatabase, _ sql: String) async throws -> Int {
        try await database.transaction { Int(try $0.query(sql).first?.first?.integer ?? -1) }
    }

    func payments() async throws -> (rows: Int, orders: Int) {
        (try await count(paymentsDatabase, "SELECT COUNT(*) FROM payments"),
         try await count(paymentsDatabase, "SELECT COUNT(DISTINCT order_id) FROM payments"))
    }

    func shipments() async throws -> (rows: Int, orders: Int) {
        (try await count(deliveriesDatabase, "SELECT COUNT(*) FROM shipments"),
         try await count(deliveriesDatabase, "SELECT COUNT(DISTINCT order_id) FROM shipments"))
    }

    func likeCounts() async throws -> [String: Int] {
        try await likesDatabase.transaction { transaction in
            try transaction.query("SELECT product_id, likes FROM like_counts").reduce(into: [String: Int]()) { counts, row in
                if let product = row.first?.text, let likes = row.last?.integer { counts[product] = Int(likes) }
            }
        }
    }

    func remove() async throws { try FileManager.default.removeItem(atPath: folder) }

    func isTransient(_ error: any Error) -> Bool { false }
}

/// One PostgreSQL database (`EVENTC_POSTGRES_URL`), a schema per run; each service its own
/// tables in it, as three services sharing a server would have.
struct PostgresShopStores: ShopStores {
    let client: PostgresClient
    let schema: String
    let postgresOutbox: PostgresOutbox
    let paymentsInbox: any InboxStore
    let deliveriesInbox: any InboxStore
    let likesInbox: any InboxStore
    let logger: Logger

    var location: String { "schema \(schema) of the PostgreSQL database" }
    var outbox: any OutboxStore { postgresOutbox }
    var relays: Int { 3 }

    init(client: PostgresClient, logger: Logger) async throws {
        self.client = client
        self.logger = logger
        let schema = "shop_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(12)
        self.schema = schema
        func tables(_ service: String) throws -> PostgresTables { try PostgresTables(schema: schema, prefix: service + "_") }
        postgresOutbox = try await PostgresOutbox(
            client: client, source: "/shop/payments", tables: tables("payments"), configuration: .init(logger: logger))
        paymentsInbox = try await PostgresInbox(client: client, tables: tables("payments"), logger: logger)
        deliveriesInbox = try await PostgresInbox(client: client, tables: tables("deliveries"), logger: logger)
        likesInbox = try await PostgresInbox(client: client, tables: tables("likes"), logger: logger)
        try await client.boundedQuery(PostgresQuery(unsafeSQL: """
            CREATE TABLE "\(schema)".payments (order_id text NOT NULL, payment_id uuid NOT NULL, amount numeric NOT NULL);
            """), logger: logger)
        try await client.boundedQuery(PostgresQuery(unsafeSQL: "CREATE TABLE \"\(schema)\".shipments (order_id text NOT NULL, delivery_id uuid NOT NULL)"), logger: logger)
        try await client.boundedQuery(PostgresQuery(unsafeSQL: "CREATE TABLE \"\(schema)\".like_counts (product_id text PRIMARY KEY, likes bigint NOT NULL)"), logger: logger)
    }

    func takePayment(for order: OrderCreated, paymentId: UUID) async throws {
        let transaction = try PostgresInbox.requiredTransaction()
        try await transaction.boundedQuery("""
            INSERT INTO "\(unescaped: schema)".payments (order_id, payment_id, amount)
            VALUES (\(order.orderId), \(paymentId), \(order.total.amount.description)::numeric)
            """, logger: logger)
        try await postgresOutbox.publish(Shop.paymentCompleted(order, paymentId), in: transaction)
    }

    func startDelivery(orderId: String) async throws {
        try await PostgresInbox.requiredTransaction().boundedQuery(
            "INSERT INTO \"\(unescaped: schema)\".shipments (order_id, delivery_id) VALUES (\(orderId), \(UUID()))", logger: logger)
    }

    func addLikes(_ deltas: [String: Int]) async throws {
        let sorted = deltas.sorted { $0.key < $1.key }
        try await PostgresInbox.requiredTransaction().boundedQuery("""
            INSERT INTO "\(unescaped: schema)".like_counts (product_id, likes)
            SELECT * FROM unnest(\(sorted.map(\.key))::text[], \(sorted.map { Int64($0.value) })::bigint[])
            ON CONFLICT (product_id) DO UPDATE SET likes = like_counts.likes + excluded.likes
            """, logger: logger)
    }

    private func counts(_ table: String) async throws -> (rows: Int, orders: Int) {
        var result = (rows: -1, orders: -1)
        for row in try await client.boundedQuery(
            "SELECT count(*), count(DISTINCT order_id) FROM \"\(unescaped: schema)\".\(unescaped: table)", logger: logger
        ) {
            let (rows, orders) = try row.decode((Int64, Int64).self)
            result = (Int(rows), Int(orders))
        }
        return result
    }

    func payments() async throws -> (rows: Int, orders: Int) { try await counts("payments") }
    func shipments() async throws -> (rows: Int, orders: Int) { try await counts("shipments") }

    func likeCounts() async throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for row in try await client.boundedQuery("SELECT product_id, likes FROM \"\(unescaped: schema)\".like_counts", logger: logger) {
            let (product, likes) = try row.decode((String, Int64).self)
            counts[product] = Int(likes)
        }
        return counts
    }

    func isTransient(_ error: any Error) -> Bool { (error as? PostgresStoreError)?.isTransient ?? false }

    func remove() async throws {
        try await client.boundedQuery(PostgresQuery(unsafeSQL: "DROP SCHEMA \"\(schema)\" CASCADE"), logger: logger)
    }
}
