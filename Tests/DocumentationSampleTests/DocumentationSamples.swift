// The documentation's Swift samples, one function each: this target compiling is the
// check that they compile. Written by DocumentationSampleTests from the README and the
// DocC articles; do not edit (see that test).

import EventRuntime
import EventRuntimeSQLite
import Foundation
import GeneratedContracts

// README.md
func documentationSample1() async throws {
    let broker = try InProcessBroker()                       // or KafkaTransport, with the Kafka trait
    try broker.createTopics(for: EventCatalog.contracts)
    let processor = EventProcessor(
        transport: broker,
        configuration: .init(groupId: "shipping"),
        handlers: [
            EventHandlerRegistration(OrderApproved.self) { order, context in
                print("ship order \(order.orderId), attempt \(context.attempt)")
            },
        ])
    try await processor.run()
    _ = broker
    _ = processor
}

// Sources/EventProcessing/EventProcessing.docc/Encodings.md
func documentationSample2() async throws {
    let tableURL = URL(fileURLWithPath: "schemas.json")  // eventc export schema-table's output
    let table = try SchemaTable(json: Array(try Data(contentsOf: tableURL)), file: tableURL.path)
    var configuration = EventProcessor.Configuration(groupId: "billing")
    configuration.schemaIds = table
    _ = tableURL
    _ = table
}

// Sources/EventProcessing/EventProcessing.docc/EventProcessing.md
func documentationSample3() async throws {
    let broker = try InProcessBroker()                  // or a KafkaTransport
    try broker.createTopics(for: EventCatalog.contracts)
    let database = try SQLiteDatabase(path: "/var/lib/shipping/shipping.sqlite")
    let processor = EventProcessor(
        transport: broker,
        configuration: .init(groupId: "shipping"),
        handlers: [
            EventHandlerRegistration(PaymentCompleted.self) { payment, context in
                let transaction = try SQLiteInbox.requiredTransaction()   // commits with the inbox's record
                try transaction.execute("INSERT INTO shipments (order_id) VALUES (?)", [.text(payment.orderId)])
            },
        ],
        inbox: try await SQLiteInbox(database: database))
    try await processor.run()
    _ = broker
    _ = database
    _ = processor
}

// Sources/EventProcessing/EventProcessing.docc/InProcessBroker.md
func documentationSample4() async throws {
    let broker = try InProcessBroker(.init(storage: .directory("/var/lib/shop/log")))  // or .memory (the default)
    try broker.createTopics(for: EventCatalog.contracts)          // each contract's topic and its DLQ

    let producer = try await broker.makeProducer(ProducerConfig(acks: .all))
    let publisher = EventPublisher(sink: producer, source: "/shop/payments")
    try await publisher.publish(PaymentCompleted(
        orderId: "order-1", paymentId: UUID(), total: .init(amount: "19.90"), capturedAt: .now))

    let consumer = try await broker.makeConsumer(ConsumerConfig(groupId: "billing", offsetReset: .earliest))
    try await consumer.subscribe([PaymentCompleted.topic], listener: RebalanceListener(revoked: { partitions in
        // Commit here what was handled on `partitions`: they go to another member next.
    }))
    for record in try await consumer.poll(max: 500, timeout: .seconds(1)) {
        let version = record.headers.value(of: CloudEventHeader.contractVersion).flatMap(Int.init)
        let contentType = record.headers.value(of: CloudEventHeader.contentType)  // application/avro here
        let payment = try PaymentCompleted.decode(recordValue: record.value, contentType: contentType, version: version)
        print("order \(payment.orderId) paid \(payment.total.amount) \(payment.total.currency)")
    }
    try await consumer.commitPositions()   // commits, per partition, the next offset to read
    try await consumer.close()             // runs the revoked callback, then leaves the group
    _ = broker
    _ = producer
    _ = publisher
    _ = consumer
}

#if Kafka
import KafkaTransport
// Sources/EventProcessing/EventProcessing.docc/Kafka.md
func documentationSample5() async throws {
    let kafka = KafkaTransport(try KafkaConfiguration())          // reads KAFKA_* from the environment
    try await kafka.createTopics(for: EventCatalog.contracts)    // topics and DLQs, if missing
    let processor = EventProcessor(
        transport: kafka, configuration: .init(groupId: "payments"),
        handlers: [EventHandlerRegistration(OrderCreated.self) { order, _ in print("take payment for \(order.orderId)") }],
        inbox: InMemoryInbox())
    try await processor.run()
    _ = kafka
    _ = processor
}
#endif

// Sources/EventProcessing/EventProcessing.docc/Operating.md
func documentationSample6() async throws {
    func probes(_ processor: EventProcessor) -> (ready: Bool, live: Bool) {
        let health = processor.health
        return (health.isReady, health.isLive(now: SystemClock().milliseconds()))
    }
}

// Sources/EventProcessing/EventProcessing.docc/ProcessingEvents.md
func documentationSample7() async throws {
    let broker = try InProcessBroker()
    try broker.createTopics(for: EventCatalog.contracts)
    let processor = EventProcessor(
        transport: broker,
        configuration: .init(groupId: "shipping"),           // commitMode: .batch (default), .record or .manual
        handlers: [
            EventHandlerRegistration(PaymentCompleted.self) { payment, context in
                print("ship order \(payment.orderId) (event \(context.eventId), attempt \(context.attempt))")
            },
        ],
        inbox: InMemoryInbox())
    try await processor.run()      // until processor.stop() or cancellation; then it commits and leaves the group
    _ = broker
    _ = processor
}

// Sources/EventProcessing/EventProcessing.docc/ProcessingEvents.md
func documentationSample8() async throws {
      // At start-up, with swift-otel (a dependency of the service, not of this package):
      // let observability = try OTel.bootstrap()   // bootstraps InstrumentationSystem's tracer
      // Then every publisher, outbox and processor created afterwards traces by default.
}

// Sources/EventProcessing/EventProcessing.docc/Stores.md
func documentationSample9() async throws {
    let broker = try InProcessBroker()
    try broker.createTopics(for: EventCatalog.contracts)
    let database = try SQLiteDatabase(path: "payments.sqlite")
    try await database.migrate("payments", steps: [                // the service's own tables, versioned
        "CREATE TABLE payments (order_id TEXT PRIMARY KEY)",
    ])
    let inbox = try await SQLiteInbox(database: database)
    let outbox = try await SQLiteOutbox(database: database, source: "/shop/payments")

    // A handler's writes go through the inbox's transaction: the writes, the event id and any
    // outbox rows commit together, or none of them do.
    let takePayment = EventHandlerRegistration(OrderCreated.self) { order, _ in
        let transaction = try SQLiteInbox.requiredTransaction()     // the processor stops if there is none
        try transaction.execute("INSERT INTO payments (order_id) VALUES (?)", [.text(order.orderId)])
        let payment = PaymentCompleted(orderId: order.orderId, paymentId: UUID(), total: .init(amount: order.total.amount), capturedAt: .now)
        try outbox.publish(payment, in: transaction)
    }
    let payments = EventProcessor(transport: broker, configuration: .init(groupId: "payments"), handlers: [takePayment], inbox: inbox)
    let relay = OutboxRelay(outbox: outbox, transport: broker)   // publishes pending rows in order

    async let processing: Void = payments.run()                   // or both in a ServiceGroup
    async let relaying: Void = relay.run()
    _ = try await (processing, relaying)
    _ = broker
    _ = database
    _ = inbox
    _ = outbox
    _ = takePayment
    _ = payments
    _ = relay
}

import EventRuntimePostgres
import Logging
// Sources/EventProcessing/EventProcessing.docc/Stores.md
func documentationSample10() async throws {
    let logger = Logger(label: "payments")
    let broker = try InProcessBroker()
    try broker.createTopics(for: EventCatalog.contracts)
    let client = PostgresClient(configuration: try .fromURL("postgres://app@db:5432/payments"), backgroundLogger: logger)
    async let _ = client.run()                                       // or in the ServiceGroup with the services
    let tables = try PostgresTables(schema: "payments", prefix: "eventc_")   // default: public, eventc_
    let inbox = try await PostgresInbox(client: client, tables: tables)
    let outbox = try await PostgresOutbox(client: client, source: "/shop/payments", tables: tables)

    let takePayment = EventHandlerRegistration(OrderCreated.self) { order, _ in
        let transaction = try PostgresInbox.requiredTransaction()   // a PostgresConnection inside the inbox's transaction
        try await transaction.boundedQuery("INSERT INTO payments.payments (order_id) VALUES (\(order.orderId))", logger: logger)
        let payment = PaymentCompleted(orderId: order.orderId, paymentId: UUID(), total: .init(amount: order.total.amount), capturedAt: .now)
        try await outbox.publish(payment, in: transaction)
    }
    let payments = EventProcessor(transport: broker, configuration: .init(groupId: "payments"), handlers: [takePayment], inbox: inbox)
    let relay = OutboxRelay(outbox: outbox, transport: broker)      // one per replica: they share the outbox

    async let processing: Void = payments.run()
    async let relaying: Void = relay.run()
    _ = try await (processing, relaying)
    _ = logger
    _ = broker
    _ = client
    _ = tables
    _ = inbox
    _ = outbox
    _ = takePayment
    _ = payments
    _ = relay
}

import EventTestKit
import Testing
// Sources/EventProcessing/EventProcessing.docc/Stores.md
func documentationSample11() async throws {
    // In a test of yours: MyStores is your ConformanceStores type.
    let violations = try await StoreConformance.run { try await MyStores() }
    #expect(violations.isEmpty, "\(violations)")
    _ = violations
}

// Sources/EventProcessing/EventProcessing.docc/Resources/tutorial-first-event-handle.swift
func documentationSample12() async throws {
    // A broker with Kafka's semantics, in this process; the topics come from the contracts.
    let broker = try InProcessBroker()
    try broker.createTopics(for: EventCatalog.contracts)

    // Publish an event: its key, encoding and CloudEvents headers come from its contract.
    let producer = try await broker.makeProducer(ProducerConfig())
    let publisher = EventPublisher(sink: producer, source: "/shop/orders")
    try await publisher.publish(OrderApproved(orderId: "order-1", approvedBy: "fraud-check"))

    // Handle it: the generated protocol names the event and the context it comes with.
    struct ShipApprovedOrders: OrderApprovedHandler {
        func handle(_ order: OrderApproved, context: EventContext) async throws {
            print("ship \(order.orderId), approved by \(order.approvedBy) (attempt \(context.attempt))")
        }
    }

    // The processor reads the topic as the consumer group "shipping" and applies the contract's
    // retries and dead-letter topic. It runs until the process is stopped.
    let processor = EventProcessor(
        transport: broker,
        configuration: .init(groupId: "shipping"),
        handlers: [ShipApprovedOrders().registration])
    try await processor.run()

    _ = broker
    _ = producer
    _ = publisher
    _ = processor
}

// Sources/EventProcessing/EventProcessing.docc/Resources/tutorial-first-event-publish.swift
func documentationSample13() async throws {
    // A broker with Kafka's semantics, in this process; the topics come from the contracts.
    let broker = try InProcessBroker()
    try broker.createTopics(for: EventCatalog.contracts)

    // Publish an event: its key, encoding and CloudEvents headers come from its contract.
    let producer = try await broker.makeProducer(ProducerConfig())
    let publisher = EventPublisher(sink: producer, source: "/shop/orders")
    try await publisher.publish(OrderApproved(orderId: "order-1", approvedBy: "fraud-check"))

    _ = broker
    _ = producer
    _ = publisher
}

// Sources/EventProcessing/EventProcessing.docc/Resources/tutorial-inbox-handler.swift
func documentationSample14() async throws {
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

    _ = broker
    _ = database
    _ = inbox
    _ = outbox
}

// Sources/EventProcessing/EventProcessing.docc/Resources/tutorial-inbox-run.swift
func documentationSample15() async throws {
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

    _ = broker
    _ = database
    _ = inbox
    _ = outbox
    _ = processor
    _ = relay
}

// Sources/EventProcessing/EventProcessing.docc/Resources/tutorial-inbox-stores.swift
func documentationSample16() async throws {
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

    _ = broker
    _ = database
    _ = inbox
    _ = outbox
}

#if Kafka
// Sources/EventProcessing/EventProcessing.docc/Resources/tutorial-kafka-run.swift
func documentationSample17() async throws {
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

    _ = kafka
    _ = database
    _ = inbox
    _ = outbox
    _ = processor
    _ = relay
}
#endif
