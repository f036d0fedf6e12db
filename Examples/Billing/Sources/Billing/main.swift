// The billing service: for each PaymentReceived it records an invoice in its own SQLite table
// and publishes InvoiceIssued through the transactional outbox, in one transaction with the
// inbox's record of the payment, on a durable in-process broker. Run it twice on one folder:
// the second run's payments (the same events again) are found in the inbox, and nothing is
// invoiced twice.
//   swift run Billing [FOLDER]
import BillingEvents
import EventRuntime
import EventRuntimeSQLite
import Foundation

let folder = CommandLine.arguments.dropFirst().first ?? NSTemporaryDirectory() + "billing-\(UUID().uuidString)"
try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)

// The log: a durable broker folder, with each contract's topic and dead-letter topic.
let broker = try InProcessBroker(.init(storage: .directory(folder + "/log")))
try broker.createTopics(for: EventCatalog.contracts)

// The service's database: its own tables, created and migrated through the public API, and the
// inbox and outbox beside them.
let database = try SQLiteDatabase(path: folder + "/billing.sqlite")
try await database.migrate("billing", steps: [
    "CREATE TABLE invoices (order_id TEXT PRIMARY KEY, invoice_number INTEGER NOT NULL, amount TEXT NOT NULL, currency TEXT NOT NULL)",
])
let inbox = try await SQLiteInbox(database: database)
let outbox = try await SQLiteOutbox(database: database, source: "/billing")

/// Issues the invoice for a payment: the row, the outbox record and the inbox's id commit together.
struct IssueInvoice: PaymentReceivedHandler {
    let outbox: SQLiteOutbox

    func handle(_ payment: PaymentReceived, context: EventContext) async throws {
        let transaction = try SQLiteInbox.requiredTransaction()
        let number = (try transaction.query("SELECT COALESCE(MAX(invoice_number), 0) + 1 FROM invoices").first?.first?.integer) ?? 1
        try transaction.execute(
            "INSERT INTO invoices (order_id, invoice_number, amount, currency) VALUES (?, ?, ?, ?)",
            [.text(payment.orderId), .integer(number), .text(payment.amount.text), .text(payment.currency)])
        let invoice = InvoiceIssued(orderId: payment.orderId, invoiceNumber: number, amount: payment.amount, currency: payment.currency)
        try outbox.publish(invoice, in: transaction)
    }
}

let processor = EventProcessor(
    transport: broker, configuration: .init(groupId: "billing"), handlers: [IssueInvoice(outbox: outbox).registration], inbox: inbox)
let relay = OutboxRelay(outbox: outbox, transport: broker)
let running = [Task { try await processor.run() }, Task { try await relay.run() }]

// What the shop would send: ten payments, each with the id the shop gave it, and the tenth
// twice (a redelivery the inbox absorbs). A second run sends the same events again.
let publisher = EventPublisher(sink: try await broker.makeProducer(ProducerConfig()), source: "/shop")
let orders = (1...10).map { "order-\($0)" }
for number in Array(1...10) + [10] {
    let id = UUID(uuid: (0, 0, 0, 0, 0, 0, 0x40, 0, 0x80, 0, 0, 0, 0, 0, 0, UInt8(number)))
    try await publisher.publish(PaymentReceived(orderId: "order-\(number)", amount: "19.90"), id: id)
}

// Wait until every payment is handled and every invoice relayed, then read the invoices back
// from the log as another service would.
let deadline = ContinuousClock.now + .seconds(30)
while ContinuousClock.now < deadline {
    let unhandled = broker.groupLag(group: "billing", topics: [PaymentReceived.topic]).values.reduce(0, +)
    if unhandled == 0, try await outbox.pendingCount() == 0 { break }
    try await Task.sleep(for: .milliseconds(20))
}
processor.stop()
relay.stop()
for task in running { try await task.value }
let reader = try await broker.makeConsumer(ConsumerConfig(groupId: "accounting-\(UUID())", offsetReset: .earliest))
try await reader.subscribe([InvoiceIssued.topic])
var invoices: [InvoiceIssued] = []
while true {
    let records = try await reader.poll(max: 100, timeout: .milliseconds(200))
    if records.isEmpty { break }
    invoices += try records.map { try InvoiceIssued.decode(json: $0.value, version: 1) }
}
try await reader.close()
broker.close()

let rows = try await database.transaction { try $0.query("SELECT COUNT(*) FROM invoices").first?.first?.integer ?? 0 }
let issuedOnce = Set(invoices.map(\.orderId)) == Set(orders) && invoices.count == orders.count && rows == Int64(orders.count)
print("billing: \(processor.statistics.handled) payments handled, \(processor.statistics.duplicatesSkipped) duplicate skipped, "
    + "\(invoices.count) invoices issued (\(rows) rows) in \(folder)")
guard issuedOnce else {
    print("FAILED: expected one invoice per order")
    exit(1)
}
print("verified: one invoice per paid order, the redelivered payment invoiced once")
