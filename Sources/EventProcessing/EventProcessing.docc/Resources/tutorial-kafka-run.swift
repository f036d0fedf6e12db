import Foundation
import EventRuntime
import EventRuntimeSQLite
import KafkaTransport

// The cluster, from KAFKA_BOOTSTRAP_SERVERS and the other KAFKA_* variables; the topics and their
// dead-letter topics are created with the contracts' partition counts where they are missing.
let kafka = KafkaTransport(try KafkaConfiguration())
try await kafka.createTopics(for: EventCatalog.contracts)

// The service's database: its own table, and the inbox and outbox beside it.
let database = try SQLiteDatabase(path: "shipping.sqlite")
try await database.migrate("shipping", steps: [
    "CREATE TABLE shipments (order_id TEXT PRIMARY KEY, carrier TEXT NOT NULL)",
])
let inbox = try await SQLiteInbox(database: database)
let outbox = try await SQLiteOutbox(database: database, source: "/shop/shipping")

// The handler does not change: the transport is the only thing a service moves.
struct ShipApprovedOrders: OrderApprovedHandler {
    let outbox: SQLiteOutbox

    func handle(_ order: OrderApproved, context: EventContext) async throws {
        let transaction = try SQLiteInbox.requiredTransaction()
        try transaction.execute("INSERT INTO shipments (order_id, carrier) VALUES (?, ?)", [.text(order.orderId), .text("post")])
        let address = DeliveryStarted.Address(line1: "1 Main Street", city: "Seoul", postalCode: "04524")
        let delivery = DeliveryStarted(
            orderId: order.orderId, deliveryId: UUID(), carrier: "post", trackingNumber: "T-\(order.orderId)", address: address)
        try outbox.publish(delivery, in: transaction)
    }
}

let processor = EventProcessor(
    transport: kafka,
    configuration: .init(groupId: "shipping"),
    handlers: [ShipApprovedOrders(outbox: outbox).registration],
    inbox: inbox)
let relay = OutboxRelay(outbox: outbox, transport: kafka)
async let processing: Void = processor.run()
async let relaying: Void = relay.run()
_ = try await (processing, relaying)
