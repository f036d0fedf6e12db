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
    public enum CommitMode: String, Sendable, Hashable {
        /// Commit after every record.
        case record
        /// Commit after every polled batch (the default).
        case batch
        /// Commit only when the application calls `commitProcessed()` (and before a partition is revoked).
        case manual
    }

    public struct Configuration: Sendable {
        public var groupId: String
        public var commitMode: CommitMode
        public var maxPollRecords: Int
        public var pollTimeout: Duration
        /// `read_committed`, earliest, cooperative-sticky by default: a new group starts at the
        /// beginning, never reads aborted records, and a rebalance moves only what it must.
        public var consumer: ConsumerConfig
        /// How to wait between retries (tests pass one that records instead of sleeping).
        public var sleep: @Sendable (Duration) async throws -> Void
        /// Seeds retry jitter, for reproducible runs.
        public var jitterSeed: UInt64
        public var logger: Logger
        public var metrics: any MetricsFactory
        /// How often the consumer's lag is published (the `eventcontracts_broker_consumer_lag` gauge).
        public var lagInterval: Duration = .seconds(1)
        /// How long the inbox remembers a processed id (nil: for ever). A redelivery comes after a
        /// crash or a rebalance, within a commit interval; the default covers a group whose committed
        /// offsets expired (Kafka keeps them 7 days) and that reads the topic again from `earliest`.
        /// The processor prunes every `retention / 2`, at most an hour apart.
        public var inboxRetention: Duration? = .seconds(7 * 24 * 3600)

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

    public let configuration: Configuration
    private let transport: any Transport
    /// Each event type's handler and metrics, in one object so a record's dispatch is one lookup
    /// and one retain, not a copy of the registration (closures, policy strings) per record.
    private let routes: Routes
    private let topics: [String]
    /// `NoDeduplication` when the processor was given no inbox. Not an Optional: binding an
    /// optional existential copied it (a retain of the inbox, which every core shares) per event.
    private let inbox: any InboxStore
    private let state: Mutex<State>

    private struct State {
        var statistics = ProcessorStatistics()
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

    /// - Parameter inbox: where `idempotency: inbox` and `natural-key` contracts record what was
    ///   processed; without one, those contracts are handled at least once, without deduplication.
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
        state = Mutex(State())
    }

    public var statistics: ProcessorStatistics { state.withLock { $0.statistics } }

    /// Asks `run()` to finish the batch in hand, commit it, leave the group and return.
    public func stop() {
        state.withLock { $0.stopping = true }
    }

    /// Joins the group and processes until `stop()`, a graceful shutdown or cancellation. Throws
    /// `EventProcessorError` when a record can be neither handled nor dead-lettered; nothing
    /// unhandled is committed.
    public func run() async throws {
        try await withGracefulShutdownHandler {
            try await process()
        } onGracefulShutdown: {
            self.stop()
        }
    }

    private func process() async throws {
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
        try await consumer.subscribe(topics, listener: RebalanceListener(revoked: { [weak self] partitions in
            // Hand over only what was handled: let the batch in flight finish (the next poll runs
            // beside it), then commit before the partitions go.
            await self?.batchFinished()
            try? await self?.commitPending(partitions)
        }))
        configuration.logger.info("processor started", metadata: ["group": "\(configuration.groupId)", "topics": "\(topics)"])
        // Beside the processing, until `process` returns (then it is cancelled).
        async let _: Void = pruneInbox()
        defer { configuration.logger.info("processor stopped", metadata: ["group": "\(configuration.groupId)"]) }
        do {
            var lagReported = ContinuousClock.now
            var records: [ConsumerRecord] = []
            while !state.withLock({ $0.stopping }), !Task.isCancelled {
                if ContinuousClock.now - lagReported >= configuration.lagInterval {
                    // The transport publishes lag per partition as a gauge when asked.
                    lagReported = .now
                    _ = try? await consumer.lag()
                }
                guard !records.isEmpty else {
                    records = try await consumer.poll(max: configuration.maxPollRecords, timeout: configuration.pollTimeout)
                    continue
                }
                // The next poll runs while this batch is handled, as Kafka's consumer fetches ahead:
                // the fetch no longer leaves the other cores idle. Safe because a partition is revoked
                // only inside a poll, and the revocation waits for this batch (see `batchFinished`);
                // on a stop or an error the fetched-ahead records are dropped uncommitted.
                async let next = consumer.poll(max: configuration.maxPollRecords, timeout: configuration.pollTimeout)
                try await handleInFlight(records, deadLetters: deadLetters)
                records = try await next
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

    private func commitPending(_ partitions: [TopicPartition]?) async throws {
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

    /// Handles a polled batch and, in `.batch` mode, commits it, marked in flight meanwhile.
    private func handleInFlight(_ records: [ConsumerRecord], deadLetters: any TransportProducer) async throws {
        state.withLock { $0.batchInFlight = true }
        defer {
            let waiters = state.withLock { state in
                state.batchInFlight = false
                defer { state.batchWaiters = [] }
                return state.batchWaiters
            }
            for waiter in waiters { waiter.resume() }
        }
        try await handle(records, deadLetters: deadLetters)
        if configuration.commitMode == .batch { try await commitPending(nil) }
    }

    /// Returns once no polled batch is being handled: a revoked partition's records of the batch
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

    /// Handles a poll's records: partitions in parallel, each in order.
    private func handle(_ records: [ConsumerRecord], deadLetters: any TransportProducer) async throws {
        // Grouped by partition as positions in the poll, not copies: a record copy retains its
        // topic, key, value and headers, and copying every record showed in profiles. A poll holds
        // each partition's records in a run or two, so the search starts from the last group.
        var byPartition: [(partition: TopicPartition, positions: [Int])] = []
        for (position, record) in records.enumerated() {
            if let index = byPartition.lastIndex(where: { $0.partition.partition == record.partition && $0.partition.topic == record.topic }) {
                byPartition[index].positions.append(position)
            } else {
                byPartition.append((record.topicPartition, [position]))
            }
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (partition, positions) in byPartition {
                group.addTask { try await self.handle(partition, positions, of: records, deadLetters: deadLetters) }
            }
            try await group.waitForAll()
        }
    }

    /// Handles one partition's records of a poll (`positions` in `records`), in order.
    private func handle(
        _ partition: TopicPartition, _ positions: [Int], of records: [ConsumerRecord], deadLetters: any TransportProducer
    ) async throws {
        // Counted locally and published once per batch: a lock per record showed in profiles.
        var statistics = ProcessorStatistics()
        defer { state.withLock { $0.statistics.add(statistics) } }
        // Each record's headers are read once, here.
        let envelopes = Self.envelopes(of: records, at: positions, routes: routes)
        var start = 0
        while start < positions.count {
            // A run of consecutive records of one event type (mostly the whole partition) has its
            // route looked up, and retained, once: every partition shares a route, and a retain per
            // record was a cache line the cores took turns to write.
            var end = start + 1
            while end < positions.count, envelopes[end].route == envelopes[start].route { end += 1 }
            let route = envelopes[start].route.map { routes.all[$0] }
            if let route, !route.handler.isBatch {
                try await handleEach(
                    start..<end, of: records, at: positions, envelopes, route, route.handler.typed, partition, deadLetters: deadLetters,
                    statistics: &statistics)
            } else {
                if let route {
                    try await handleBatch(
                        positions[start..<end].map { records[$0] }, Array(envelopes[start..<end]), route, deadLetters: deadLetters,
                        statistics: &statistics)
                } else {
                    statistics.ignored += end - start
                }
                if configuration.commitMode == .record {
                    try await markHandled(partition, through: records[positions[end - 1]].offset)
                }
            }
            start = end
        }
        if configuration.commitMode != .record, let last = positions.last {
            try await markHandled(partition, through: records[last].offset)
        }
    }

    /// The envelopes of `records` at `positions`, prefetching in two steps: sixteen records
    /// ahead the array of headers (four lines hold seven headers), eight ahead (that array in by
    /// then) the header values and the record's key and value, which the per-event step reads.
    static func envelopes(of records: [ConsumerRecord], at positions: [Int], routes: Routes) -> [Envelope] {
        records.withUnsafeBufferPointer { records in
            guard let first = records.baseAddress else { return [] }
            var envelopes: [Envelope] = []
            envelopes.reserveCapacity(positions.count)
            for index in positions.indices {
                if index + 16 < positions.count { Prefetch.headers(of: first + positions[index + 16], lines: 4) }
                if index + 8 < positions.count { Prefetch.contents(of: first + positions[index + 8]) }
                envelopes.append(Envelope(records[positions[index]].headers, routes: routes))
            }
            return envelopes
        }
    }

    /// Records that `partition` is handled through `offset`: `.record` commits it at once, the
    /// other modes with the poll or when the application asks.
    private func markHandled(_ partition: TopicPartition, through offset: Int64) async throws {
        state.withLock { $0.pending[partition] = offset + 1 }
        if configuration.commitMode == .record { try await commitPending([partition]) }
    }

    private func context(for record: ConsumerRecord, _ envelope: Envelope, eventType: String, version: Int, attempt: Int) -> EventContext {
        EventContext(
            eventIdHeader: envelope.idHeader, fallbackId: "\(record.topic)-\(record.partition)-\(record.offset)",
            eventType: eventType, version: version, occurredAtHeader: envelope.timeHeader, keyBytes: record.key, topic: record.topic,
            partition: record.partition, offset: record.offset, attempt: attempt, headers: record.headers)
    }

    // MARK: A batch

    private func handleBatch(
        _ records: [ConsumerRecord], _ envelopes: [Envelope], _ route: Route, deadLetters: any TransportProducer,
        statistics: inout ProcessorStatistics
    ) async throws {
        let (handler, metrics) = (route.handler, route.metrics)
        guard let decodeBatch = handler.decodeBatch else { return }
        var items: [EventHandlerRegistration.BatchItem] = []
        var itemRecords: [ConsumerRecord] = []
        for (record, envelope) in zip(records, envelopes) {
            guard let version = envelope.version, version >= 1 else {
                let error = ContractViolation("the record has no valid \(CloudEventHeader.contractVersion) header")
                try await deadLetter(record, route, .deserialization, error, attempts: 0, deadLetters, &statistics)
                continue
            }
            items.append(.init(
                value: record.value, version: version,
                context: context(for: record, envelope, eventType: handler.eventType, version: version, attempt: 1)))
            itemRecords.append(record)
        }
        let decoded = decodeBatch(items)
        for (index, error) in decoded.failures.sorted(by: { $0.key < $1.key }) {
            try await deadLetter(itemRecords[index], route, .deserialization, error, attempts: 0, deadLetters, &statistics)
        }
        // In-batch deduplication: the first of each id stays.
        var seen = Set<String>()
        var unique: [Int] = []
        var ids: [String] = []
        for index in items.indices where decoded.failures[index] == nil {
            let id = Self.deduplicationId(handler.delivery.idempotency, itemRecords[index], items[index].context) ?? items[index].context.eventId
            if seen.insert(id).inserted {
                unique.append(index)
                ids.append(id)
            } else {
                statistics.duplicatesSkipped += 1
                metrics.duplicatesSkipped.increment()
            }
        }
        guard !unique.isEmpty else { return }
        let attempts = max(1, handler.delivery.retryAttempts)
        var attempt = 1
        while true {
            do {
                let started = metrics.handlerStarts()
                var handled = unique.count
                if handler.delivery.idempotency == .inbox || handler.delivery.idempotency == .naturalKey {
                    let (chosen, thisAttempt) = (unique, attempt)
                    let fresh = try await inbox.processBatchOnce(ids: ids, group: configuration.groupId) { positions in
                        try await decoded.handle(positions.map { chosen[$0] }, thisAttempt)
                    }
                    handled = fresh.count
                    statistics.duplicatesSkipped += unique.count - fresh.count
                    metrics.duplicatesSkipped.increment(by: unique.count - fresh.count)
                } else {
                    try await decoded.handle(unique, attempt)
                }
                metrics.recordHandlerDuration(since: started)
                statistics.handled += handled
                metrics.handled.increment(by: handled)
                return
            } catch {
                if let cause = Self.deadLetterCause(of: error, attempt: attempt, attempts: attempts) {
                    for index in unique {
                        try await deadLetter(itemRecords[index], route, cause, error, attempts: attempt, deadLetters, &statistics)
                    }
                    return
                }
                statistics.retried += 1
                metrics.retried.increment()
                let delay = retryDelay(handler.delivery, retry: attempt)
                try await configuration.sleep(delay)
                attempt += 1
            }
        }
    }

    // MARK: One record

    /// Handles a partition's run of `Handler.Event` records one by one (`run` indexes `positions`
    /// and `envelopes`). Generic over the handler, opened once per run, so each event is decoded
    /// into and handled from this step's frame.
    private func handleEach<Handler: TypedEventHandler>(
        _ run: Range<Int>, of records: [ConsumerRecord], at positions: [Int], _ envelopes: [Envelope], _ route: Route,
        _ typed: Handler, _ partition: TopicPartition, deadLetters: any TransportProducer, statistics: inout ProcessorStatistics
    ) async throws {
        for index in run {
            try await handle(records[positions[index]], envelopes[index], route, typed, deadLetters: deadLetters, statistics: &statistics)
            if configuration.commitMode == .record {
                try await markHandled(partition, through: records[positions[index]].offset)
            }
        }
    }

    /// One record: decode, then handle with retries. Inlined into `handleEach`, and `apply` into
    /// it: an unspecialized generic async call per event cost a frame and copies of its arguments
    /// (about 5% of the processor's CPU).
    @inline(__always)
    private func handle<Handler: TypedEventHandler>(
        _ record: ConsumerRecord, _ envelope: Envelope, _ route: Route, _ typed: Handler, deadLetters: any TransportProducer,
        statistics: inout ProcessorStatistics
    ) async throws {
        // The registration is read through `route`, field by field: copying it into a local per
        // event retained every string and closure it holds.
        guard let version = envelope.version, version >= 1 else {
            let error = ContractViolation("the record has no valid \(CloudEventHeader.contractVersion) header")
            return try await deadLetter(record, route, .deserialization, error, attempts: 0, deadLetters, &statistics)
        }
        let event: Handler.Event
        do {
            event = try Handler.Event.decode(json: record.value, version: version)
        } catch {
            return try await deadLetter(record, route, .deserialization, error, attempts: 0, deadLetters, &statistics)
        }
        let attempts = max(1, route.handler.delivery.retryAttempts)
        var attempt = 1
        if route.handler.retry == .topics, let retryAttempt = envelope.retryAttempt {
            // From a retry topic: wait until it is due (this retry topic's partition waits, the original does not).
            attempt = max(1, retryAttempt)
            if let due = envelope.retryDue {
                let now = SystemClock().milliseconds()
                if due > now { try await configuration.sleep(.milliseconds(due - now)) }
            }
        }
        while true {
            let context = context(for: record, envelope, eventType: route.handler.eventType, version: version, attempt: attempt)
            do {
                let started = route.metrics.handlerStarts()
                let outcome = try await apply(event, typed, route, record, idHeader: envelope.idHeader, context)
                route.metrics.recordHandlerDuration(since: started)
                switch outcome {
                case .handled:
                    statistics.handled += 1
                    route.metrics.handled.increment()
                case .duplicate:
                    statistics.duplicatesSkipped += 1
                    route.metrics.duplicatesSkipped.increment()
                }
                return
            } catch {
                let handler = route.handler
                if let cause = Self.deadLetterCause(of: error, attempt: attempt, attempts: attempts) {
                    return try await deadLetter(record, route, cause, error, attempts: attempt, deadLetters, &statistics)
                }
                statistics.retried += 1
                let delay = retryDelay(handler.delivery, retry: attempt)
                route.metrics.retried.increment()
                if handler.retry == .topics {
                    let due = SystemClock().milliseconds() + delay.milliseconds
                    let moved = RetryHeader.retryRecord(record, baseTopic: handler.topic, next: attempt + 1, due: due)
                    do {
                        _ = try await deadLetters.send([moved])
                    } catch let failure {
                        throw EventProcessorError(
                            message: "cannot move \(record.topicPartition)@\(record.offset) to \(moved.topic); stopping without committing it",
                            underlying: failure)
                    }
                    return
                }
                configuration.logger.debug("handler failed; retrying", metadata: [
                    "event": "\(handler.eventType)", "offset": "\(record.topicPartition)@\(record.offset)", "attempt": "\(attempt)",
                    "error": "\(error)",
                ])
                try await configuration.sleep(delay)
                attempt += 1
            }
        }
    }

    /// Why a failed attempt ends in the DLQ, or nil when it is retried: contract violations and
    /// non-retryable errors at once, anything else once the attempts run out.
    static func deadLetterCause(of error: any Error, attempt: Int, attempts: Int) -> DeadLetterCause? {
        switch error {
        case is ContractViolation: .contractViolation
        case is any NonRetryableError: .exhausted
        default: attempt < attempts && !Task.isCancelled ? nil : .exhausted
        }
    }

    /// One jitter generator for the processor (seeded by the configuration), the policy per contract.
    private func retryDelay(_ policy: DeliveryPolicy, retry: Int) -> Duration {
        state.withLock { state in
            if state.backoff == nil { state.backoff = RetryBackoff(policy: policy, seed: configuration.jitterSeed) }
            state.backoff?.policy = policy
            return state.backoff?.delay(forRetry: retry) ?? .zero
        }
    }

    private enum Outcome { case handled, duplicate }

    /// Runs the handler under the contract's idempotency. `idHeader`: where the record's `ce_id` is,
    /// which the inbox reads as bytes.
    @inline(__always)
    private func apply<Handler: TypedEventHandler>(
        _ event: Handler.Event, _ typed: Handler, _ route: Route, _ record: ConsumerRecord, idHeader: Int?, _ context: EventContext
    ) async throws -> Outcome {
        if let transition = typed.transition {
            switch try await transition(event, context) {
            case .apply: break
            case .alreadyApplied: return .duplicate
            case .park: throw ParkedEvent()
            }
        }
        let idempotency = route.handler.delivery.idempotency
        let ran: Bool
        if idempotency == .inbox, let idHeader {
            ran = try await inbox.processOnce(utf8Id: record.headers[idHeader].value, group: configuration.groupId) {
                try await typed.handle(event, context)
            }
        } else if let id = Self.deduplicationId(idempotency, record, context) {
            ran = try await inbox.processOnce(id: id, group: configuration.groupId) { try await typed.handle(event, context) }
        } else {
            try await typed.handle(event, context)
            return .handled
        }
        return ran ? .handled : .duplicate
    }

    /// The inbox entry: the CloudEvents id for `inbox`; for `natural-key`, the fact itself —
    /// key, event type, contract version and value — so the same fact published twice (with two
    /// ids) is applied once.
    static func deduplicationId(_ idempotency: DeliveryPolicy.Idempotency, _ record: ConsumerRecord, _ context: EventContext) -> String? {
        switch idempotency {
        case .none, .stateMachine:
            return nil
        case .inbox:
            return context.eventId
        case .naturalKey:
            let value = String(decoding: record.value, as: UTF8.self)
            return "\(context.key ?? "")\u{0}\(context.eventType)\u{0}\(context.version)\u{0}\(value)"
        }
    }

    private func deadLetter(
        _ record: ConsumerRecord, _ route: Route, _ cause: DeadLetterCause, _ error: any Error, attempts: Int,
        _ producer: any TransportProducer, _ statistics: inout ProcessorStatistics
    ) async throws {
        let handler = route.handler
        let reason: DeliveryPolicy.DeadLetterReason = switch cause {
        case .deserialization: .deserialization
        case .contractViolation: .contractViolation
        case .exhausted: .exhausted
        }
        guard handler.delivery.deadLetterOn.contains(reason) else {
            configuration.logger.error("record skipped: the contract sends no \(cause.rawValue) failures to its DLQ", metadata: [
                "offset": "\(record.topicPartition)@\(record.offset)", "error": "\(error)",
            ])
            return
        }
        let letter = DeadLetterHeader.record(
            for: record, topic: handler.delivery.deadLetterTopic, group: configuration.groupId, cause: cause, error: error,
            attempts: attempts)
        let send: @Sendable () async throws -> Void = {
            do {
                _ = try await producer.send([letter])
            } catch let failure {
                throw EventProcessorError(
                    message: "cannot dead-letter \(record.topicPartition)@\(record.offset) to \(handler.delivery.deadLetterTopic); stopping without committing it",
                    underlying: failure)
            }
        }
        // Recorded per event (per source record when it has no id), so neither a redelivery after
        // a crash nor a second copy of the event is dead-lettered twice; a replayed copy carries
        // its replay's mark and, failing again, is dead-lettered again.
        let origin = RetryHeader.origin(of: record)
        let replay = record.headers.value(of: DeadLetterHeader.replayOf).map { $0 + "/" } ?? ""
        let id = "dead-letter:" + replay
            + (record.headers.value(of: CloudEventHeader.id) ?? "\(origin.topic)-\(origin.partition)@\(origin.offset)")
        guard try await inbox.processOnce(id: id, group: configuration.groupId, send) else {
            statistics.duplicatesSkipped += 1
            return
        }
        statistics.deadLettered += 1
        route.metrics.deadLettered.increment()
        configuration.logger.warning("record dead-lettered", metadata: [
            "offset": "\(record.topicPartition)@\(record.offset)", "cause": "\(cause.rawValue)", "attempts": "\(attempts)",
            "error": "\(error)",
        ])
    }
}

/// A state-machine guard said `.park`: the event came before the state it needs. Retried with
/// backoff like a handler failure; dead-lettered when the attempts run out.
public struct ParkedEvent: Error, CustomStringConvertible {
    public var description: String { "the event does not fit the entity's current state yet (parked)" }
}
