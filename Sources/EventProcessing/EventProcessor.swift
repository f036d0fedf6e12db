import EventTransport
import Foundation
import Logging
import Metrics
import ServiceLifecycle
import Synchronization

/// Runs generated handlers on a consumer group: reads their topics, decodes each record with its
/// contract's codec (any published version), dispatches by event type, and applies the contract's
/// delivery policy — retries with backoff, the dead-letter topic, deduplication — committing only
/// what has been handled.
///
/// A partition's records are handled in order, one at a time (blocking retries keep that order);
/// partitions are handled in parallel, while the next batch is polled.
///
/// It is a swift-service-lifecycle `Service`: in a `ServiceGroup`, a graceful shutdown (SIGTERM)
/// finishes the batch in hand, commits it and leaves the group.
public final class EventProcessor: Service, Sendable {
    /// When consumed offsets are committed.
    public enum CommitMode: String, Sendable, Hashable {
        /// Commit after every record.
        case record
        /// Commit after every polled batch (the default).
        case batch
        /// Commit only when the application calls `commitProcessed()` (and before a partition is revoked).
        case manual
    }

    /// The processor's settings.
    public struct Configuration: Sendable {
        /// The consumer group.
        public var groupId: String
        /// When offsets are committed (default: after each batch).
        public var commitMode: CommitMode
        /// The most records a poll returns (default 500).
        public var maxPollRecords: Int
        /// How long a poll waits for records (default 100 ms).
        public var pollTimeout: Duration
        /// `read_committed`, earliest, cooperative-sticky by default: a new group starts at the
        /// beginning, never reads aborted records, and a rebalance moves only what it must.
        public var consumer: ConsumerConfig
        /// How to wait between retries (tests pass one that records instead of sleeping).
        public var sleep: @Sendable (Duration) async throws -> Void
        /// Seeds retry jitter, for reproducible runs.
        public var jitterSeed: UInt64
        /// Where the processor logs.
        public var logger: Logger
        /// Where its counters, timers and gauges go (default: the bootstrapped backend).
        public var metrics: any MetricsFactory
        /// How often the consumer's lag is published (the `eventcontracts_processor_lag` gauge).
        public var lagInterval: Duration = .seconds(1)
        /// What happens to a record whose failure its contract does not dead-letter (a reason not
        /// in `dlq.on`): logged as an error, counted and committed (`.skip`, the default), or the
        /// processor stops without committing it (`.stop`).
        public var notDeadLettered: NotDeadLetteredAction = .skip
        /// How long the inbox remembers a processed id (nil: for ever). A redelivery comes after a
        /// crash or a rebalance, within a commit interval; the default covers a group whose committed
        /// offsets expired (Kafka keeps them 7 days) and that reads the topic again from `earliest`.
        /// The processor prunes every `retention / 2`, at most an hour apart.
        public var inboxRetention: Duration? = .seconds(7 * 24 * 3600)
        /// Runs each handler inside a consumer span whose parent is the producer's span (read from
        /// the record's headers); by default the bootstrapped tracer, disabled when none is.
        public var tracing: EventTracing = .system
        /// Resolves the schema id in an Avro record's frame to the schema it was written with:
        /// by default the ids derived from the handlers' own contract versions (as publishers
        /// derive them); a `SchemaTable` adds schemas the code does not know (a newer version).
        public var schemaIds: any SchemaIdResolver = .derived

        /// Settings for group `groupId`; the rest have the defaults above.
        public init(
            groupId: String, commitMode: CommitMode = .batch, maxPollRecords: Int = 500,
            pollTimeout: Duration = .milliseconds(100), consumer: ConsumerConfig? = nil,
            sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
            jitterSeed: UInt64 = UInt64.random(in: 0...UInt64.max),
            logger: Logger = Logger(label: "eventcontracts.processor"), metrics: any MetricsFactory = MetricsSystem.factory
        ) {
            self.groupId = groupId
            self.commitMode = commitMode
            self.maxPollRecords = maxPollRecords
            self.pollTimeout = pollTimeout
            var consumer = consumer
                ?? ConsumerConfig(groupId: groupId, offsetReset: .earliest, isolation: .readCommitted, assignment: .cooperativeSticky)
            consumer.groupId = groupId
            self.consumer = consumer
            self.sleep = sleep
            self.jitterSeed = jitterSeed
            self.logger = logger
            self.metrics = metrics
        }
    }

    /// The settings it runs with.
    public let configuration: Configuration
    private let transport: any Transport
    /// Each event type's handler and metrics, in one object so a record's dispatch is one lookup
    /// and one retain, not a copy of the registration (closures, policy strings) per record.
    let routes: Routes
    private let topics: [String]
    /// `NoDeduplication` when the processor was given no inbox. Not an Optional: binding an
    /// optional existential copied it (a retain of the inbox, which every core shares) per event.
    let inbox: any InboxStore
    /// Counts records of types no handler takes (per group: they have no event type of ours).
    let ignoredCounter: Counter
    /// Whether a tracer is configured, read per event as a plain Bool: reading the configuration's
    /// optional existential there copied and released it each time.
    let isTraced: Bool
    private let healthGauges: ProcessorHealthGauges
    private let state: Mutex<State>

    private struct State {
        var statistics = ProcessorStatistics()
        var health = ProcessorHealth()
        var stopping = false
        var consumer: (any TransportConsumer)?
        /// Handled but not yet committed: partition → the next offset to read.
        var pending: [TopicPartition: Int64] = [:]
        var backoff: RetryBackoff?
        /// A polled batch is being handled (and, in `.batch` mode, committed).
        var batchInFlight = false
        /// Revocations waiting for the batch in flight to finish.
        var batchWaiters: [CheckedContinuation<Void, Never>] = []
    }

    /// A processor that runs `handlers` on a consumer group of `transport`; nothing is read until
    /// ``run()``.
    ///
    /// - Parameters:
    ///   - transport: the log to read and to dead-letter into: the in-process broker, Kafka, or a
    ///     transport of your own.
    ///   - configuration: the group, polling, commit mode and what to do with failures the
    ///     contract does not dead-letter.
    ///   - handlers: one registration per event type; their topics are what the group subscribes to.
    ///   - inbox: where `idempotency: inbox` and `natural-key` contracts record what was
    ///     processed; without one, those contracts are handled at least once, without deduplication.
    public init(
        transport: any Transport, configuration: Configuration, handlers: [EventHandlerRegistration],
        inbox: (any InboxStore)? = nil
    ) {
        self.transport = transport
        self.configuration = configuration
        routes = Routes(handlers.map { handler in
            Route(
                handler: handler,
                metrics: ProcessorMetrics(factory: configuration.metrics, group: configuration.groupId, eventType: handler.eventType))
        })
        topics = Set(handlers.flatMap { [$0.topic] + $0.retryTopics }).sorted()
        self.inbox = inbox ?? NoDeduplication()
        ignoredCounter = ProcessorMetrics.ignored(factory: configuration.metrics, group: configuration.groupId)
        isTraced = configuration.tracing.tracer != nil
        healthGauges = ProcessorHealthGauges(factory: configuration.metrics, group: configuration.groupId)
        state = Mutex(State())
    }

    /// Counts of what it has done so far.
    public var statistics: ProcessorStatistics { state.withLock { $0.statistics } }

    /// For readiness and liveness probes; also published as gauges (`ProcessorHealthGauges`).
    public var health: ProcessorHealth { state.withLock { $0.health } }

    /// Changes the health and publishes the gauges.
    private func updateHealth(_ change: (inout ProcessorHealth) -> Void) {
        let health = state.withLock { state in
            change(&state.health)
            return state.health
        }
        healthGauges.record(health)
    }

    /// Asks `run()` to finish the batch in hand, commit it, leave the group and return.
    /// Whether `stop()` was called.
    var isStopping: Bool { state.withLock { $0.stopping } }

    /// Stops the processor: it finishes the record in hand, commits, and leaves the group.
    public func stop() {
        state.withLock { $0.stopping = true }
    }

    /// Joins the group and processes until `stop()`, a graceful shutdown or cancellation. Throws
    /// `EventProcessorError` when a record can be neither handled nor dead-lettered; nothing
    /// unhandled is committed.
    ///
    /// `stop()` and a graceful shutdown let the records in hand finish, retries included.
    /// Cancellation does not wait for them: a record whose handler or inbox fails while the task
    /// is cancelled, and could still succeed, is neither dead-lettered nor committed (`run()`
    /// throws `EventProcessorError` naming it) and its partition's next owner delivers it again;
    /// a contract violation or a `NonRetryableError` is dead-lettered as always.
    public func run() async throws {
        do {
            try await withGracefulShutdownHandler {
                try await consumeUntilStopped()
            } onGracefulShutdown: {
                self.stop()
            }
        } catch {
            updateHealth { $0.state = .failed; $0.failure = "\(error)"; $0.joined = false; $0.partitions = [] }
            throw error
        }
        updateHealth { $0.state = .stopped; $0.joined = false; $0.partitions = [] }
    }

    /// The processor's life: retry topics, the consumer and the dead-letter producer, then polls
    /// until stopped, each poll's records processed while the next is fetched.
    private func consumeUntilStopped() async throws {
        for handler in routes.all.map(\.handler) {
            for topic in handler.retryTopics {
                do {
                    try await transport.createTopic(topic, config: TopicConfig(partitions: handler.partitions))
                } catch let error as TransportError where error.code == .topicAlreadyExists {}
            }
        }
        let consumer = try await transport.makeConsumer(configuration.consumer)
        let deadLetters = try await transport.makeProducer(ProducerConfig(acks: .all))
        state.withLock { $0.consumer = consumer }
        try await consumer.subscribe(topics, listener: RebalanceListener(assigned: { [weak self] partitions in
            self?.updateHealth { health in
                health.joined = true
                health.partitions = Set(health.partitions).union(partitions).sorted()
            }
        }, revoked: { [weak self] partitions in
            // Hand over only what was handled: let the batch in flight finish (the next poll runs
            // beside it), then commit before the partitions go.
            await self?.batchFinished()
            try? await self?.commitPending(partitions)
            self?.updateHealth { $0.partitions.removeAll { partitions.contains($0) } }
        }, lost: { [weak self] partitions in
            self?.updateHealth { $0.partitions.removeAll { partitions.contains($0) } }
        }))
        updateHealth { $0.state = .running }
        configuration.logger.info("processor started", metadata: ["group": "\(configuration.groupId)", "topics": "\(topics)"])
        // Beside the processing, until this function returns (then it is cancelled).
        async let _: Void = pruneInbox()
        defer { configuration.logger.info("processor stopped", metadata: ["group": "\(configuration.groupId)"]) }
        do {
            var lagReported = ContinuousClock.now - configuration.lagInterval  // measured at once, then every interval
            var records: [ConsumerRecord] = []
            while !state.withLock({ $0.stopping }), !Task.isCancelled {
                if ContinuousClock.now - lagReported >= configuration.lagInterval {
                    // The transport publishes lag per partition as a gauge when asked.
                    lagReported = .now
                    let lag = try? await consumer.lag()
                    updateHealth { $0.lag = lag.map { $0.values.reduce(0, +) } ?? $0.lag }
                }
                guard !records.isEmpty else {
                    records = try await consumer.poll(max: configuration.maxPollRecords, timeout: configuration.pollTimeout)
                    polled()
                    continue
                }
                // The next poll runs while this batch is handled, as Kafka's consumer fetches ahead:
                // the fetch no longer leaves the other cores idle. Safe because a partition is revoked
                // only inside a poll, and the revocation waits for this batch (see `batchFinished`);
                // on a stop or an error the fetched-ahead records are dropped uncommitted.
                async let next = consumer.poll(max: configuration.maxPollRecords, timeout: configuration.pollTimeout)
                try await processPoll(records, deadLetters: deadLetters)
                records = try await next
                polled()
            }
            if configuration.commitMode != .manual { try await commitPending(nil) }
            try await consumer.close()
        } catch {
            try? await consumer.close()
            await deadLetters.close()
            throw error
        }
        await deadLetters.close()
    }

    /// Notes when the last poll returned, for liveness (a lock per poll, not per record; the gauge
    /// is published with the lag, every `lagInterval`).
    private func polled() {
        let now = SystemClock().milliseconds()
        state.withLock { $0.health.lastPollMilliseconds = now }
    }

    /// Forgets the inbox's ids older than `inboxRetention`, every half retention (at most an hour
    /// apart), until cancelled.
    private func pruneInbox() async {
        guard !(inbox is NoDeduplication), let retention = configuration.inboxRetention, retention > .zero else { return }
        let interval = min(retention / 2, .seconds(3600))
        while (try? await Task.sleep(for: interval)) != nil {
            let cutoff = SystemClock().milliseconds() - retention.milliseconds
            do {
                let removed = try await inbox.removeEntries(group: configuration.groupId, processedBefore: cutoff)
                configuration.logger.debug("inbox pruned", metadata: ["group": "\(configuration.groupId)", "removed": "\(removed)"])
            } catch {
                configuration.logger.warning(
                    "cannot prune the inbox; trying again later", metadata: ["group": "\(configuration.groupId)", "error": "\(error)"])
            }
        }
    }

    /// Commits what has been handled (for `.manual`; the other modes commit by themselves).
    public func commitProcessed() async throws {
        try await commitPending(nil)
    }

    func commitPending(_ partitions: [TopicPartition]?) async throws {
        let (consumer, offsets) = state.withLock { state -> ((any TransportConsumer)?, [TopicPartition: Int64]) in
            var offsets = state.pending
            if let partitions { offsets = offsets.filter { partitions.contains($0.key) } }
            for partition in offsets.keys { state.pending[partition] = nil }
            return (state.consumer, offsets)
        }
        guard let consumer, !offsets.isEmpty else { return }
        do {
            try await consumer.commit(offsets)
        } catch let error as TransportError where error.isCommitRefusedByRebalance {
            // Kafka's CommitFailedException: the group moved on. Whoever owns these partitions now
            // reads them again from the last commit (the inbox absorbs the redelivery); a partition
            // still ours is committed with the next batch.
            configuration.logger.warning(
                "commit refused by a rebalance; the records will be delivered again",
                metadata: ["group": "\(configuration.groupId)", "error": "\(error)"])
        }
    }

    /// Processes a poll's records and, in `.batch` mode, commits them, marked in flight meanwhile.
    private func processPoll(_ records: [ConsumerRecord], deadLetters: any TransportProducer) async throws {
        state.withLock { $0.batchInFlight = true }
        defer {
            let waiters = state.withLock { state in
                state.batchInFlight = false
                defer { state.batchWaiters = [] }
                return state.batchWaiters
            }
            for waiter in waiters { waiter.resume() }
        }
        try await processPartitions(records, deadLetters: deadLetters)
        if configuration.commitMode == .batch { try await commitPending(nil) }
    }

    /// Returns once no polled batch is being processed: a revoked partition's records of the batch
    /// in flight are handled, and marked, before it is committed and handed over. (The revocation
    /// comes from the poll that runs beside the batch; waiting here cannot deadlock, as handling
    /// never waits for a poll.)
    private func batchFinished() async {
        await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
            let ready = state.withLock { state in
                if state.batchInFlight { state.batchWaiters.append(waiter) }
                return !state.batchInFlight
            }
            if ready { waiter.resume() }
        }
    }

    /// Adds a partition batch's counts to the processor's statistics.
    func publish(_ recorder: OutcomeRecorder) {
        state.withLock { $0.statistics.add(recorder.statistics) }
    }

    /// Records that `partition` is processed through `offset`: `.record` commits it at once, the
    /// other modes with the poll or when the application asks.
    func markProcessed(_ partition: TopicPartition, through offset: Int64) async throws {
        state.withLock { $0.pending[partition] = offset + 1 }
        if configuration.commitMode == .record { try await commitPending([partition]) }
    }

    /// One jitter generator for the processor (seeded by the configuration), the policy per contract.
    func retryDelay(_ policy: DeliveryPolicy, retry: Int) -> Duration {
        state.withLock { state in
            if state.backoff == nil { state.backoff = RetryBackoff(policy: policy, seed: configuration.jitterSeed) }
            state.backoff?.policy = policy
            return state.backoff?.delay(forRetry: retry) ?? .zero
        }
    }
}

/// What a processor does with a record whose failure its contract does not send to the
/// dead-letter topic (its reason is not in `dlq.on`). Never silent: either way the record is
/// logged as an error; the reference is Spring Kafka's `DefaultErrorHandler`, whose default
/// recoverer logs and moves on, and its `CommonContainerStoppingErrorHandler`.
public enum NotDeadLetteredAction: Sendable, Hashable {
    /// Count it (`statistics.skipped`, `eventcontracts_processor_skipped_total`) and commit past it.
    case skip
    /// Stop the processor with an `EventProcessorError`, committing nothing from that record on:
    /// it is read again after a restart, once whatever failed is fixed.
    case stop
}

/// A state-machine guard said `.park`: the event came before the state it needs. Retried with
/// backoff like a handler failure; dead-lettered when the attempts run out.
public struct ParkedEvent: Error, CustomStringConvertible {
    /// Why the record was parked.
    public var description: String { "the event does not fit the entity's current state yet (parked)" }
}
