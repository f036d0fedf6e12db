import EventRuntime

// A broker with Kafka's semantics, in this process; the topics come from the contracts.
let broker = try InProcessBroker()
try broker.createTopics(for: EventCatalog.contracts)

// Publish an event: its key, encoding and CloudEvents headers come from its contract.
let producer = try await broker.makeProducer(ProducerConfig())
let publisher = EventPublisher(sink: producer, source: "/shop/orders")
try await publisher.publish(OrderApproved(orderId: "order-1", approvedBy: "fraud-check"))
