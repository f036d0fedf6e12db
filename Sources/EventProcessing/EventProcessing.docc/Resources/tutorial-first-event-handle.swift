import EventRuntime

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
