import EventBroker
import EventCore
import EventProcessing
import EventTransport
import Foundation
import Logging
import Synchronization

/// The store conformance suite: a seeded simulation of the whole reliability path — outbox,
/// relays, broker, processors, inbox, DLQ — under random faults, checked against what must hold
/// whatever happened: nothing committed lost, no effect twice, each key's effects in order,
/// exactly the poison and exhausted records dead-lettered. The stores are a parameter: the same
/// run proves SQLite's, PostgreSQL's, and a store of one's own.
///
/// ```swift
/// @Test func myStoresConform() async throws {
///     let violations = try await StoreConformance.run { try await MyStores() }
///     #expect(violations.isEmpty, "\(violations)")
/// }
/// ```
///
/// Each run prints its seed; `EVENTC_SIM_SEED=N` repeats one, `EVENTC_SIM_RUNS=N` runs more.
public enum StoreConformance {
    /// An invariant a run broke.
    public struct Violation: Sendable, CustomStringConvertible {
        /// The stores' name.
        public let stores: String
        /// The run's seed: `EVENTC_SIM_SEED` repeats it.
        public let seed: UInt64
        /// What did not hold.
        public let message: String

        /// The stores, the seed and what did not hold.
        public var description: String { "\(stores), seed \(seed) (EVENTC_SIM_SEED=\(seed) to repeat): \(message)" }
    }

    /// Runs the simulation once per seed, each on fresh stores from `makeStores`, and returns the
    /// invariants the runs broke (none when the stores conform). Throws what the stores or the
    /// runtime threw.
    public static func run<Stores: ConformanceStores>(
        seeds: [UInt64] = seeds(), makeStores: () async throws -> Stores
    ) async throws -> [Violation] {
        var violations: [Violation] = []
        for seed in seeds {
            let stores = try await makeStores()
            print("store conformance (\(stores.name)): seed \(seed) (EVENTC_SIM_SEED=\(seed) to repeat)")
            violations += try await ReliabilitySimulation(seed: seed, stores: stores).run()
        }
        return violations
    }

    /// `EVENTC_SIM_SEED`, or `EVENTC_SIM_RUNS` random seeds (default `runs`).
    public static func seeds(runs: Int = 4) -> [UInt64] {
        ProcessInfo.processInfo.environment["EVENTC_SIM_SEED"].flatMap(UInt64.init).map { [$0] }
            ?? (0..<(ProcessInfo.processInfo.environment["EVENTC_SIM_RUNS"].flatMap(Int.init) ?? runs)).map { _ in UInt64.random(in: 1...UInt64.max) }
    }
}

/// One run of the store conformance suite, on one seed.
final class ReliabilitySimulation<Stores: ConformanceStores>: Sendable {
    let seed: UInt64
    let random: Mutex<SplitMix64>
    let events: Int
    let keys = 40
    let broker: InProcessBroker
    let down: FaultInjectingTransport
    let lossy: LossyAcknowledgements
    let stores: Stores
    let logger: Logger

    init(seed: UInt64, stores: Stores) async throws {
        self.stores = stores
        self.seed = seed
        var generator = SplitMix64(seed: seed)
        events = 1_500 + Int(generator.next() % 1_500)
        random = Mutex(generator)
        var logger = Logger(label: "simulation")
        logger.logLevel = .critical
        self.logger = logger
        broker = try InProcessBroker(.init(logger: logger))
        try broker.createTopics(for: [ContractDescriptor(ConformanceOrder.self)])
        down = FaultInjectingTransport(broker)
        lossy = LossyAcknowledgements(down, chance: 0.05, seed: seed ^ 0x5EED)
    }

    /// Progress on standard output when EVENTC_SIM_TRACE is set (to find where a run hangs).
    func trace(_ message: @autoclosure () -> String) {
        if ProcessInfo.processInfo.environment["EVENTC_SIM_TRACE"] != nil { print("simulation trace: \(message())") }
    }

    func chance(_ probability: Double) -> Bool { random.withLock { Double($0.next() % 1_000_000) / 1_000_000 < probability } }
    func pick(_ bound: Int) -> Int { random.withLock { Int($0.next() % UInt64(bound)) } }

    /// Event n: key "k(n % keys)", number "n". Some are poison (not JSON), some doomed (their handler always fails).
    func isDoomed(_ event: Int) -> Bool { event % 97 == 13 }

    /// Manual-mode processors are the ones that crash before committing: their consumers crash
    /// when the processor stops (the broker's `close()` would run the revoked callback, which commits).
    func processor(_ inbox: any InboxStore, mode: EventProcessor.CommitMode) -> EventProcessor {
        let crashing = FaultInjectingTransport(broker)
        crashing.crashesConsumersOnClose = true
        return EventProcessor(
            transport: mode == .manual ? crashing : broker,
            configuration: .init(
                groupId: "simulation", commitMode: mode, maxPollRecords: 1 + pick(100), pollTimeout: .milliseconds(5),
                consumer: ConsumerConfig(groupId: "simulation", offsetReset: .earliest, isolation: .readCommitted,
                                         assignment: .cooperativeSticky, sessionTimeout: .seconds(30)),
                sleep: { _ in await Task.yield() }, jitterSeed: seed, logger: logger),
            handlers: [EventHandlerRegistration(ConformanceOrder.self) { [self] event, context in
                guard let number = Int(event.number) else { throw ContractViolation("number is not a number") }
                if isDoomed(number) { throw FailingHandler() }
                // Written first, failed after: the rollback must undo the write.
                try await stores.recordEffect(key: event.orderId, event: number)
                if context.attempt <= 2, chance(0.05) { throw FailingHandler() }
            }],
            inbox: inbox)
    }

    struct FailingHandler: Error {}

    /// Runs the simulation and returns the invariants it broke.
    func run() async throws -> [StoreConformance.Violation] {
        let inbox = stores.inbox
        let outbox = stores.outbox
        let relayConfiguration = OutboxRelay.Configuration(
            batchSize: 1 + pick(200), idleInterval: .milliseconds(1), initialBackoff: .milliseconds(1), maximumBackoff: .milliseconds(4), logger: logger)
        // Every relay that ran (for their statistics), and the ones running now.
        var relays: [OutboxRelay] = []
        var runningRelays: [(OutboxRelay, Task<Void, any Error>)] = []
        func startRelay() {
            let relay = OutboxRelay(outbox: outbox, transport: lossy, configuration: relayConfiguration)
            relays.append(relay)
            runningRelays.append((relay, Task { try await relay.run() }))
        }
        for _ in 0..<stores.relays { startRelay() }

        // Producers write events into the outbox, in business transactions (some roll back).
        var committed: [Int] = []
        var poison: [Int] = []
        for number in 0..<events {
            if number % 211 == 7 {
                poison.append(number)
                continue
            }
            let rollback = chance(0.02)
            do {
                try await stores.publish(ConformanceOrder(orderId: "k\(number % keys)", number: "\(number)"), rollback: rollback)
                committed.append(number)
            } catch is ConformanceRollback {}
        }
        // Poison messages go straight to the topic (a producer with a bug).
        let producer = try await broker.makeProducer(ProducerConfig())
        for number in poison {
            _ = try await producer.send([OutgoingRecord(
                topic: ConformanceOrder.topic, key: Array("k\(number % keys)".utf8), value: Array("{\"orderId\":".utf8),
                headers: [RecordHeader(CloudEventHeader.id, "poison-\(number)"), RecordHeader(CloudEventHeader.type, ConformanceOrder.eventType),
                          RecordHeader(CloudEventHeader.contractVersion, "1")])])
        }

        // Processors come and go: crashes before commit (manual mode, stopped), crashes after
        // commit, joins and leaves (rebalances); the broker goes down for the relay now and then.
        var processors: [(EventProcessor, Task<Void, any Error>)] = []
        var faults = (joins: 0, stops: 0, outages: 0, relayRestarts: 0, stoppedOnStoreFailure: 0)
        var storeFaults: [String: Int] = [:]
        let deadline = ContinuousClock.now + .seconds(60)
        var quiet = 0
        while ContinuousClock.now < deadline {
            let action = pick(11)
            switch action {
            case 0...2 where processors.count < 3:
                let processor = processor(inbox, mode: chance(0.3) ? .manual : [.batch, .record][pick(2)])
                processors.append((processor, Task { try await processor.run() }))
                faults.joins += 1
            case 3 where !processors.isEmpty:
                let (processor, task) = processors.remove(at: pick(processors.count))
                // A manual-mode processor stops without committing: a crash before commit.
                trace("stopping a processor")
                if try await stopProcessor(processor, task) { faults.stoppedOnStoreFailure += 1 }
                faults.stops += 1
            case 4:
                down.isDown = true
                try await Task.sleep(for: .milliseconds(pick(5)))
                down.isDown = false
                faults.outages += 1
            case 5 where chance(0.3):
                // A relay crashes (after sending, before marking, for what the lossy link dropped) and restarts.
                let (relay, task) = runningRelays.remove(at: pick(runningRelays.count))
                relay.stop()
                trace("restarting a relay")
                try await task.value
                startRelay()
                faults.relayRestarts += 1
            case 6 where chance(0.2):
                trace("injecting a fault of the store")
                if let fault = try await stores.injectFault(pick(1_000)) { storeFaults[fault, default: 0] += 1 }
            default:
                try await Task.sleep(for: .milliseconds(2))
            }
            if processors.isEmpty {
                let processor = processor(inbox, mode: .batch)
                processors.append((processor, Task { try await processor.run() }))
            }
            guard let pending = try? await outbox.pendingCount() else { continue }  // the store may be restarting
            let lag = broker.groupLag(group: "simulation", topics: [ConformanceOrder.topic]).values.reduce(0, +)
            quiet = pending == 0 && lag == 0 ? quiet + 1 : 0
            if quiet > 3 { break }
        }
        // Settle with one well-behaved processor.
        for (processor, task) in processors {
            trace("stopping the processors")
            if try await stopProcessor(processor, task) { faults.stoppedOnStoreFailure += 1 }
        }
        let last = processor(inbox, mode: .batch)
        let lastTask = Task { try await last.run() }
        // Generous: CI runs this beside the Kafka tests on two shared cores.
        let settleDeadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < settleDeadline {
            guard let pending = try? await outbox.pendingCount() else {
                try await Task.sleep(for: .milliseconds(50))
                continue
            }
            if broker.groupLag(group: "simulation", topics: [ConformanceOrder.topic]).values.reduce(0, +) == 0, pending == 0 { break }
            try await Task.sleep(for: .milliseconds(5))
        }
        trace("stopping the last processor")
        if try await stopProcessor(last, lastTask) { faults.stoppedOnStoreFailure += 1 }
        for (relay, task) in runningRelays {
            relay.stop()
            trace("stopping the relays")
            try await task.value
        }
        let failedSends = relays.reduce(0) { $0 + $1.statistics.failedSends }
        let storeFailures = relays.reduce(0) { $0 + $1.statistics.storeFailures }
        let faultsOfStore = storeFaults.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
        print("store conformance (\(stores.name)): seed \(seed): \(committed.count) events, \(poison.count) poison, \(stores.relays) relays, "
            + "\(faults.joins) joins, \(faults.stops) stops, \(faults.outages) outages, \(faults.relayRestarts) relay restarts, "
            + "\(failedSends) failed relay sends, \(storeFailures) relay store failures, "
            + "\(faults.stoppedOnStoreFailure) processors stopped on a store failure\(faultsOfStore.isEmpty ? "" : ", " + faultsOfStore)")
        return try await check(committed: committed, poison: poison)
    }

    func check(committed: [Int], poison: [Int]) async throws -> [StoreConformance.Violation] {
        var violations: [StoreConformance.Violation] = []
        func expect(_ holds: Bool, _ message: @autoclosure () -> String) {
            if !holds { violations.append(.init(stores: stores.name, seed: seed, message: message())) }
        }
        expect(try await stores.outbox.pendingCount() == 0, "outbox rows left unsent")
        let effects = try await stores.effects()
        let expected = committed.filter { !isDoomed($0) }
        // Nothing lost, nothing applied twice.
        expect(effects.map(\.1).sorted() == expected, "effects differ from the committed events")
        // Per key, effects in publication order.
        var lastPerKey: [String: Int] = [:]
        for (key, event) in effects {
            expect((lastPerKey[key] ?? -1) < event, "\(key) applied \(event) after \(lastPerKey[key] ?? -1)")
            lastPerKey[key] = event
        }
        // The DLQ holds exactly the poison and the doomed records, with the right facts.
        let reader = try await broker.makeConsumer(ConsumerConfig(groupId: "dlq-check", offsetReset: .earliest))
        try await reader.subscribe([ConformanceOrder.delivery.deadLetterTopic])
        var letters: [ConsumerRecord] = []
        for _ in 0..<20 { letters += try await reader.poll(max: 1_000, timeout: .milliseconds(10)) }
        let poisonLetters = letters.filter { $0.headers.value(of: DeadLetterHeader.cause) == "deserialization" }
        let doomedLetters = letters.filter { $0.headers.value(of: DeadLetterHeader.cause) == "exhausted" }
        expect(poisonLetters.count + doomedLetters.count == letters.count, "unexpected DLQ records")
        expect(Set(poisonLetters.compactMap { $0.headers.value(of: CloudEventHeader.id) }) == Set(poison.map { "poison-\($0)" }), "poison in the DLQ")
        expect(poisonLetters.allSatisfy { $0.headers.value(of: DeadLetterHeader.attempts) == "0" }, "poison dead-lettered after attempts")
        let doomedInDLQ = doomedLetters.compactMap { try? ConformanceOrder.decode(json: $0.value, version: 1).number }.compactMap(Int.init)
        // Exactly once each: a redelivery after a crash finds the dead-lettering recorded in the inbox.
        expect(doomedInDLQ.sorted() == committed.filter(isDoomed), "exhausted records in the DLQ")
        expect(poisonLetters.count == poison.count, "poison dead-lettered more than once")
        expect(doomedLetters.allSatisfy { $0.headers.value(of: DeadLetterHeader.attempts) == "\(ConformanceOrder.delivery.retryAttempts)" },
               "exhausted records dead-lettered after another number of attempts than the contract's")
        expect(letters.allSatisfy { $0.headers.value(of: DeadLetterHeader.originalTopic) == ConformanceOrder.topic }, "a dead letter names another topic")
        expect(letters.allSatisfy { $0.headers.value(of: DeadLetterHeader.originalConsumerGroup) == "simulation" }, "a dead letter names another group")
        return violations
    }
}

/// Stops `processor` and waits for it to end. A processor asked to stop while its inbox is failing
/// (the store's own fault: a killed connection) stops without committing those records and says so
/// with `EventProcessorError`: a crash before commit, which is what the suite's invariants must
/// survive, so it is counted (true), not thrown. A misconfiguration, or any other error, is thrown.
func stopProcessor(_ processor: EventProcessor, _ task: Task<Void, any Error>) async throws -> Bool {
    processor.stop()
    do {
        try await task.value
        return false
    } catch let error as EventProcessorError where !(error.underlying is any MisconfigurationError) {
        return true
    }
}
