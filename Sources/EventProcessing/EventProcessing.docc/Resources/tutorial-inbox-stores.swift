import EventRuntime
import EventRuntimeSQLite

// The log, kept in a folder: it survives a restart, as a Kafka topic would.
let broker = try InProcessBroker(.init(storage: .directory("shop-log")))
try broker.createTopics(for: EventCatalog.contracts)

// The service's database: its own table, and the inbox and outbox beside it.
let database = try SQLiteDatabase(path: "shipping.sqlite")
try await database.migrate("shipping", steps: [
    "CREATE TABLE shipments (order_id TEXT PRIMARY KEY, carrier TEXT NOT NULL)",
])
let inbox = try await SQLiteInbox(database: database)
let outbox = try await SQLiteOutbox(database: database, source: "/shop/shipping")
