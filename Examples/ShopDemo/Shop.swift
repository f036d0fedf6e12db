import EventRuntime
import EventRuntimeSQLite
import EventTestKit
import Foundation
import GeneratedContracts
import Logging

/// The four services, their databases and the broker (in-process or Kafka), in one process.
final class Shop: Sendable {
    let orderCount: Int
    let userCount: Int
    let chaos: Chaos
    let seed: UInt64
    let backend: Backend
    let transport: any Transport
    let relayTransport: FaultInjectingTransport
    /// The services' databases (fresh for each run).
    let stores: any ShopStores
    /// With chaos, run once mid-stream: restarts the stores' database server (`--postgres-restart-command`).
    let databaseRestart: (@Sendable () async throws -> Void)?
    let logger: Logger

    init(
        orders: Int, users: Int, chaos: Bool, seed: UInt64, backend: Backend, stores: any ShopStores,
        databaseRestart: (@Sendable () async throws -> Void)? = nil, logger: Logger
    ) async throws {
        orderCount = orders
        userCount = users
        self.chaos = Chaos(enabled: chaos, seed: seed)
        self.seed = seed
        self.logger = logger
        self.backend = backend
        transport = backend.transport
        try await backend.createTopics(for: EventCatalog.contracts)
        relayTransport = FaultInjectingTransport(transport)
        self.stores = stores
        self.databaseRestart = databaseRestart
    }

    /// What the payment service publishes for a payment it took.
    static func paymentCompleted(_ order: OrderCreated, _ paymentId: UUID) -> PaymentCompleted {
        PaymentCompleted(
            orderId: order.orderId, paymentId: paymentId, total: .init(amount: order.total.amount, currency: order.total.currency),
            capturedAt: .now)
    }

    private func configuration(_ group: String, _ mode: EventProcessor.CommitMode = .batch) -> EventProcessor.Configuration {
        var configuration = EventProcessor.Configuration(
            groupId: group, commitMode: mode, maxPollRecords: 200, pollTimeout: .milliseconds(20), jitterSeed: seed, logger: logger)
        // A replacement member joins at once instead of waiting out a crashed one's session.
        configuration.consumer.sessionTimeout = .seconds(10)
        return configuration
    }

    // MARK: The services' handlers

    /// Payments: take the payment and publish PaymentCompleted through the outbox, in one transaction.
    private func paymentHandler() -> EventHandlerRegistration {
        EventHandlerRegistration(OrderCreated.self) { [chaos, stores] order, context in
            try await stores.takePayment(for: order, paymentId: UUID())
            // A failure after the writes: the inbox transaction rolls them back, the retry redoes them.
            if context.attempt <= 2, chaos.strikes(0.1) { throw InjectedFailure() }
        }
    }

    /// Delivery: start the delivery once per payment.
    private func deliveryHandler() -> EventHandlerRegistration {
        EventHandlerRegistration(PaymentCompleted.self) { [chaos, stores] payment, context in
            if context.attempt <= 2, chaos.strikes(0.1) { throw InjectedFailure() }
            try await stores.startDelivery(orderId: payment.orderId)
        }
    }

    /// Likes: a batch of likes (or unlikes) becomes one upsert per product.
    private func likeHandlers() -> [EventHandlerRegistration] {
        let stores = stores
        @Sendable func apply(_ deltas: [String: Int]) async throws { try await stores.addLikes(deltas) }
        return [
            EventHandlerRegistration(ProductLiked.self, batch: { [chaos] batch in
                try await apply(Dictionary(batch.map { ($0.event.productId, 1) }, uniquingKeysWith: +))
                // Only a first attempt fails (its retry succeeds): batches are small on Kafka, and
                // three strikes in a row would exhaust the retries and dead-letter real likes.
                if batch.first?.context.attempt == 1, chaos.strikes(0.05) { throw InjectedFailure() }
            }),
            EventHandlerRegistration(ProductUnliked.self, batch: { batch in
                try await apply(Dictionary(batch.map { ($0.event.productId, -1) }, uniquingKeysWith: +))
            }),
        ]
    }

    // MARK: Running

    func run() async throws -> Verdict {
        let (paymentsInbox, deliveriesInbox, likesInbox) = (stores.paymentsInbox, stores.deliveriesInbox, stores.likesInbox)
        let relays = (0..<stores.relays).map { _ in
            OutboxRelay(outbox: stores.outbox, transport: relayTransport, configuration: .init(
                idleInterval: .milliseconds(5), initialBackoff: .milliseconds(20), maximumBackoff: .milliseconds(200), logger: logger))
        }

        // With chaos, the first payment and delivery consumers crash before committing: they do
        // work, then vanish without a commit (their consumers crash rather than close, which would
        // run the revoked callback and commit), and their successors get every record again. (On
        // Kafka a client cannot leave as a crashed one does at once: there the consumers close,
        // the revoked callback commits what was handled, as Java's client does on close, and the
        // successors start after it.)
        let firstMode: EventProcessor.CommitMode = chaos.enabled ? .manual : .batch
        let crashing = FaultInjectingTransport(transport)
        crashing.crashesConsumersOnClose = chaos.enabled
        var payment = EventProcessor(transport: crashing, configuration: configuration("payments", firstMode), handlers: [paymentHandler()], inbox: paymentsInbox)
        var delivery = EventProcessor(transport: crashing, configuration: configuration("deliveries", firstMode), handlers: [deliveryHandler()], inbox: deliveriesInbox)
        let likeCounter = EventProcessor(transport: transport, configuration: configuration("likes"), handlers: likeHandlers(), inbox: likesInbox)
        var statistics: [String: ProcessorStatistics] = [:]

        var tasks: [String: Task<Void, any Error>] = [:]
        for (index, relay) in relays.enumerated() { tasks["relay \(index)"] = Task { try await relay.run() } }
        let firstPayment = payment
        let firstDelivery = delivery
        tasks["payments"] = Task { try await firstPayment.run() }
        tasks["deliveries"] = Task { try await firstDelivery.run() }
        tasks["likes"] = Task { try await likeCounter.run() }

        let (published, expectedLikes) = try await publishOrdersAndLikes()

        if chaos.enabled {
            // A crash before commit, mid-stream: stop the manual-commit consumers (no commit) and replace them.
            for _ in 0..<2_000 where payment.statistics.handled < orderCount / 3 { try await Task.sleep(for: .milliseconds(5)) }
            payment.stop()
            try await tasks["payments"]?.value
            statistics["payments (crashed)"] = payment.statistics
            payment = EventProcessor(transport: transport, configuration: configuration("payments"), handlers: [paymentHandler()], inbox: paymentsInbox)
            let restartedPayments = payment
            tasks["payments"] = Task { try await restartedPayments.run() }

            // The broker goes away for the relay for a while: rows wait in the outbox.
            relayTransport.isDown = true
            try await Task.sleep(for: .milliseconds(300))
            relayTransport.isDown = false

            // The database server restarts (or crashes) under every service at once.
            if let databaseRestart {
                for _ in 0..<2_000 where delivery.statistics.handled < orderCount / 4 { try await Task.sleep(for: .milliseconds(5)) }
                try await databaseRestart()
                print("database server restarted mid-stream, \(delivery.statistics.handled) deliveries in")
            }

            for _ in 0..<2_000 where delivery.statistics.handled < orderCount / 3 { try await Task.sleep(for: .milliseconds(5)) }
            delivery.stop()
            try await tasks["deliveries"]?.value
            statistics["deliveries (crashed)"] = delivery.statistics
            delivery = EventProcessor(transport: transport, configuration: configuration("deliveries"), handlers: [deliveryHandler()], inbox: deliveriesInbox)
            let restartedDeliveries = delivery
            tasks["deliveries"] = Task { try await restartedDeliveries.run() }
        }

        // Wait for the work to settle: every order shipped, every like counted, the outbox empty.
        let deadline = ContinuousClock.now + .seconds(120)
        while ContinuousClock.now < deadline {
            let shipped = try await whileStoresAreAway { try await stores.shipments().orders }
            let liked = likeCounter.statistics.handled + likeCounter.statistics.duplicatesSkipped
            // Lag last: on Kafka it is a round of requests to the brokers.
            if shipped == orderCount, liked >= published.likes, try await whileStoresAreAway({ try await stores.outbox.pendingCount() }) == 0,
                try await backend.groupLag("payments", [OrderCreated.topic]) + backend.groupLag("deliveries", [PaymentCompleted.topic])
                    + backend.groupLag("likes", [ProductLiked.topic, ProductUnliked.topic]) == 0
            {
                break
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        // What a readiness probe would see, before the processors stop.
        let now = SystemClock().milliseconds()
        for (name, processor) in [("payments", payment), ("deliveries", delivery), ("likes", likeCounter)] {
            let health = processor.health
            print("health: \(name) \(health.isReady ? "ready" : "not ready"), \(health.isLive(now: now) ? "live" : "not live"), "
                + "\(health.partitions.count) partitions held, lag \(health.lag.map(String.init) ?? "unknown")")
        }
        for processor in [payment, delivery, likeCounter] { processor.stop() }
        for relay in relays { relay.stop() }
        for (_, task) in tasks { try await task.value }
        statistics["payments"] = payment.statistics
        statistics["deliveries"] = delivery.statistics
        statistics["likes"] = likeCounter.statistics
        return try await verify(published: published, expectedLikes: expectedLikes, statistics: statistics, relays: relays.map(\.statistics))
    }

    /// `read`, tried again every 200 ms for up to a minute while it fails because the stores'
    /// server is away (restarted mid-run, as `databaseRestart` does): the services ride through
    /// a restart, and so must the shop's own checks.
    private func whileStoresAreAway<Value>(_ read: () async throws -> Value) async throws -> Value {
        let deadline = ContinuousClock.now + .seconds(60)
        while true {
            do {
                return try await read()
            } catch let error where stores.isTransient(error) && ContinuousClock.now < deadline {
                logger.warning("the shop's stores are away; reading again", metadata: ["error": "\(error)"])
                try await Task.sleep(for: .milliseconds(200))
            }
        }
    }

    /// The order service and the storefront's likes. Some likes are sent twice (a producer retry
    /// after a lost acknowledgement), which the likes service must count once.
    private func publishOrdersAndLikes() async throws -> (published: (orders: Int, likes: Int), expectedLikes: [String: Int]) {
        var generator = SplitMix64(seed: seed)
        let producer = try await transport.makeProducer(ProducerConfig(acks: .all))
        let orders = EventPublisher(sink: producer, source: "/shop/orders")
        var records: [OutgoingRecord] = []
        for index in 0..<orderCount {
            let quantity = Int32(1 + generator.next() % 3)
            let order = OrderCreated(
                orderId: "order-\(index)", customerId: "customer-\(generator.next() % 100)",
                items: [.init(sku: "sku-\(generator.next() % 50)", quantity: quantity, unitPrice: .init(amount: "12.50"))],
                total: .init(amount: ExactDecimal("\(12.5 * Double(quantity))") ?? "0"))
            records.append(try orders.record(for: order))
        }
        if chaos.enabled {
            // The poison message: an OrderCreated whose value is not JSON.
            var poison = try orders.record(for: OrderCreated(orderId: "poison", customerId: "c", items: [], total: .init(amount: "1")))
            poison.value = Array("{\"orderId\": \"poison\", oops".utf8)
            records.insert(poison, at: records.count / 2)
            records.insert(try ruleBreakers(orders), at: records.count / 3)
        }
        for start in stride(from: 0, to: records.count, by: 100) {
            _ = try await producer.send(Array(records[start..<min(records.count, start + 100)]))
        }

        let storefront = EventPublisher(sink: producer, source: "/shop/storefront")
        var expected: [String: Int] = [:]
        var likeRecords: [OutgoingRecord] = []
        for user in 0..<userCount {
            for product in 0..<20 where generator.next() % 3 == 0 {
                let productId = "product-\(product)"
                let like = try storefront.record(for: ProductLiked(productId: productId, userId: "user-\(user)"))
                likeRecords.append(like)
                expected[productId, default: 0] += 1
                if generator.next() % 10 == 0 { likeRecords.append(like) }  // sent twice
                if generator.next() % 5 == 0 {
                    likeRecords.append(try storefront.record(for: ProductUnliked(productId: productId, userId: "user-\(user)")))
                    expected[productId, default: 0] -= 1
                }
            }
        }
        for start in stride(from: 0, to: likeRecords.count, by: 200) {
            _ = try await producer.send(Array(likeRecords[start..<min(likeRecords.count, start + 200)]))
        }
        await producer.close()
        return ((records.count, likeRecords.count), expected)
    }

    /// A producer bug a data rule catches: a country code written in lowercase. This service's
    /// publisher refuses the event before sending it (its contract says `^[A-Z]{2}$`); the
    /// record returned is the same bug in a producer that does not validate (another language's
    /// client), which the payment service's processor must dead-letter as a contract violation.
    private func ruleBreakers(_ orders: EventPublisher) throws -> OutgoingRecord {
        let buggy = OrderCreated(orderId: "buggy", customerId: "c", items: [], total: .init(amount: "1"), placedFrom: "de")
        do {
            _ = try orders.record(for: buggy)
            throw ShopError("the order service published an order that breaks its contract (placedFrom \"de\")")
        } catch let error as EventEncodingError where error.violation != nil {
            print("order service: refused before sending: \(error)")
        }
        var unchecked = try orders.record(for: OrderCreated(orderId: "unchecked", customerId: "c", items: [], total: .init(amount: "1"), placedFrom: "DE"))
        let json = String(decoding: unchecked.value, as: UTF8.self)
        unchecked.value = Array(json.replacingOccurrences(of: #""placedFrom":"DE""#, with: #""placedFrom":"de""#).utf8)
        return unchecked
    }

    private func verify(
        published: (orders: Int, likes: Int), expectedLikes: [String: Int], statistics: [String: ProcessorStatistics],
        relays: [OutboxRelay.Statistics]
    ) async throws -> Verdict {
        var problems: [String] = []
        let (paid, paidOrders) = try await whileStoresAreAway { try await stores.payments() }
        if paid != orderCount || paidOrders != orderCount { problems.append("\(paid) payments for \(paidOrders) distinct orders; expected \(orderCount) each") }
        let (shipped, shippedOrders) = try await whileStoresAreAway { try await stores.shipments() }
        if shipped != orderCount || shippedOrders != orderCount { problems.append("\(shipped) shipments for \(shippedOrders) distinct orders; expected \(orderCount) each") }
        let counts = try await whileStoresAreAway { try await stores.likeCounts() }
        let expected = expectedLikes.filter { $0.value != 0 || counts[$0.key] != nil }
        if counts.filter({ $0.value != 0 || expected[$0.key] != nil }) != expected { problems.append("like counts \(counts) differ from \(expected)") }

        let dlq = try await transport.makeConsumer(ConsumerConfig(groupId: "verify-dlq", offsetReset: .earliest))
        try await dlq.subscribe([OrderCreated.delivery.deadLetterTopic, PaymentCompleted.delivery.deadLetterTopic, ProductLiked.delivery.deadLetterTopic])
        var letters: [ConsumerRecord] = []
        // Joining and finding the first offsets take seconds on Kafka: read until what is expected
        // came and the DLQ stayed quiet for a second after that, with the partitions ours.
        let expectedLetters = chaos.enabled ? 2 : 0
        let deadline = ContinuousClock.now + .seconds(30)
        var settledSince: ContinuousClock.Instant?
        while ContinuousClock.now < deadline {
            let batch = try await dlq.poll(max: 100, timeout: .milliseconds(50))
            letters += batch
            if await dlq.assignment().isEmpty || letters.count < expectedLetters || !batch.isEmpty {
                settledSince = nil
            } else if let since = settledSince {
                if ContinuousClock.now - since >= .seconds(1) { break }
            } else {
                settledSince = .now
            }
        }
        try await dlq.close()
        // With chaos: the poison message (it does not decode) and the unchecked producer's order,
        // which breaks the rule on `placedFrom`; nothing else.
        let facts = Set(letters.map { letter in
            [String(decoding: letter.key ?? [], as: UTF8.self), letter.headers.value(of: DeadLetterHeader.cause) ?? "",
             letter.headers.value(of: DeadLetterHeader.violationField) ?? "", letter.headers.value(of: DeadLetterHeader.violationRule) ?? ""]
        })
        let expectedFacts: Set<[String]> = [["poison", "deserialization", "", ""], ["unchecked", "contract-violation", "placedFrom", "pattern"]]
        if chaos.enabled ? (letters.count != 2 || facts != expectedFacts) : !letters.isEmpty {
            problems.append("the DLQ holds \(letters.count) records: \(letters.map { $0.headers.value(of: DeadLetterHeader.exceptionMessage) ?? "?" })")
        }

        var lines = ["published: \(published.orders) order records, \(published.likes) like records, \(relays.reduce(0) { $0 + $1.published }) payments through the outbox by \(relays.count) relay\(relays.count == 1 ? "" : "s") (\(relays.reduce(0) { $0 + $1.failedSends }) failed sends retried)"]
        for (service, numbers) in statistics.sorted(by: { $0.key < $1.key }) {
            lines.append("\(service): handled \(numbers.handled), duplicates skipped \(numbers.duplicatesSkipped), retried \(numbers.retried), dead-lettered \(numbers.deadLettered)")
        }
        lines.append("state: \(paidOrders) orders paid, \(shippedOrders) shipped, \(counts.count) products with like counts")
        return Verdict(summary: lines.joined(separator: "\n"), problems: problems)
    }
}

/// The shop found something its run must not go on with.
struct ShopError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
