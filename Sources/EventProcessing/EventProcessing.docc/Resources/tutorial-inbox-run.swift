import Foundation
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

// The shipment row, the DeliveryStarted event and the inbox's record of the order commit in one
// transaction: a redelivered OrderApproved finds its id in the inbox and ships nothing twice.
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

// The processor runs the handler inside the inbox's transaction; the relay sends what the
// outbox holds, in order, and keeps trying while the broker is down.
let processor = EventProcessor(
    transport: broker,
    configuration: .init(groupId: "shipping"),
    handlers: [ShipApprovedOrders(outbox: outbox).registration],
    inbox: inbox)
let relay = OutboxRelay(outbox: outbox, transport: broker)
async let processing: Void = processor.run()
async let relaying: Void = relay.run()
_ = try await (processing, relaying)
