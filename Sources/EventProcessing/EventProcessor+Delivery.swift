import EventTransport
import Tracing

extension EventProcessor {
    // MARK: One event at a time

    /// Delivers a partition's run of `Handler.Event` records one by one (`run` indexes
    /// `positions` and `envelopes`). Generic over the handler, opened once per run, so each event
    /// is decoded into and handled from this step's frame.
    func deliverEach<Handler: TypedEventHandler>(
        _ run: Range<Int>, of records: [ConsumerRecord], at positions: [Int], _ envelopes: [Envelope], _ route: Route,
        _ typed: Handler, _ partition: TopicPartition, deadLetters: any TransportProducer, recorder: inout OutcomeRecorder
    ) async throws {
        for index in run {
            if isTraced {
                try await deliverTraced(records[positions[index]], envelopes[index], route, typed, deadLetters: deadLetters, recorder: &recorder)
            } else {
                try await deliver(records[positions[index]], envelopes[index], route, typed, deadLetters: deadLetters, recorder: &recorder)
            }
            if configuration.commitMode == .record {
                try await markProcessed(partition, through: records[positions[index]].offset)
            }
        }
    }

    /// One record: decode, then run the handler until it succeeds or the failure path ends it.
    /// Inlined into `deliverEach`, and `runHandler` into it: an unspecialized generic async call
    /// per event cost a frame and copies of its arguments (about 5% of the processor's CPU).
    @inline(__always)
    private func deliver<Handler: TypedEventHandler>(
        _ record: ConsumerRecord, _ envelope: Envelope, _ route: Route, _ typed: Handler, deadLetters: any TransportProducer,
        recorder: inout OutcomeRecorder
    ) async throws {
        // The registration is read through `route`, field by field: copying it into a local per
        // event retained every string and closure it holds.
        let event: Handler.Event
        do {
            event = try envelope.decode(Handler.Event.self, record.value, schemaIds: configuration.schemaIds)
        } catch {
            return try await deadLetter([record], route, Self.decodingFailureReason(error), error, attempts: 0, deadLetters, &recorder)
        }
        let version = envelope.version ?? Handler.Event.currentVersion
        var attempt = 1
        if envelope.retryAttempt != nil {
            attempt = try await attemptOnArrival(route, attempt: envelope.retryAttempt, due: envelope.retryDue)
        }
        var inboxWait = InboxWait()
        while true {
            let context = context(for: record, envelope, eventType: route.handler.eventType, version: version, attempt: attempt)
            do {
                let started = route.metrics.handlerStarts()
                let ran = try await runHandler(event, typed, route, record, idHeader: envelope.idHeader, context)
                route.metrics.recordHandlerDuration(since: started)
                if ran { recorder.handled(route) } else { recorder.duplicates(route) }
                return
            } catch let failure as InboxFailure {
                try await waitOut(failure, of: [record], route, &inboxWait, &recorder)
            } catch {
                guard try await retryAfterFailure(error, attempt: attempt, of: [record], route, deadLetters, &recorder) else { return }
                attempt += 1
            }
        }
    }

    /// `deliver` inside a consumer span: the handler runs with the span as its current context (so
    /// what it publishes continues the trace); retries, dead-lettering and skips are span events.
    private func deliverTraced<Handler: TypedEventHandler>(
        _ record: ConsumerRecord, _ envelope: Envelope, _ route: Route, _ typed: Handler, deadLetters: any TransportProducer,
        recorder: inout OutcomeRecorder
    ) async throws {
        guard let tracer = configuration.tracing.tracer else {
            return try await deliver(record, envelope, route, typed, deadLetters: deadLetters, recorder: &recorder)
        }
        try await inConsumerSpan(for: [record], route, tracer, recorder: &recorder) { recorder in
            try await deliver(record, envelope, route, typed, deadLetters: deadLetters, recorder: &recorder)
        }
    }

    /// Runs the handler under the contract's idempotency; false when it was a duplicate and did
    /// not run. `idHeader`: where the record's `ce_id` is, which the inbox reads as bytes.
    @inline(__always)
    private func runHandler<Handler: TypedEventHandler>(
        _ event: Handler.Event, _ typed: Handler, _ route: Route, _ record: ConsumerRecord, idHeader: Int?, _ context: EventContext
    ) async throws -> Bool {
        if let transition = typed.transition {
            switch try await transition(event, context) {
            case .apply: break
            case .alreadyApplied: return false
            case .park: throw ParkedEvent()
            }
        }
        let idempotency = route.handler.delivery.idempotency
        if idempotency == .inbox, let idHeader {
            return try await InboxFailure.separating {
                try await inbox.processOnce(utf8Id: record.headers[idHeader].value, group: configuration.groupId) {
                    try await HandlerFailure.marking { try await typed.handle(event, context) }
                }
            }
        }
        guard let id = Self.deduplicationId(idempotency, record, context) else {
            try await typed.handle(event, context)
            return true
        }
        return try await InboxFailure.separating {
            try await inbox.processOnce(id: id, group: configuration.groupId) {
                try await HandlerFailure.marking { try await typed.handle(event, context) }
            }
        }
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

    /// The attempt a delivery is: 1, or for a record from a retry topic the attempt it was moved
    /// there for, once it is due (the retry topic's partition waits; the original does not).
    func attemptOnArrival(_ route: Route, attempt: Int?, due: Int64?) async throws -> Int {
        guard route.handler.retry == .topics, let attempt else { return 1 }
        if let due {
            let now = SystemClock().milliseconds()
            if due > now { try await configuration.sleep(.milliseconds(due - now)) }
        }
        return max(1, attempt)
    }

    // MARK: A batch

    /// A batch handler's run of records: decoded together, deduplicated within the batch and
    /// through the inbox in one transaction, handled together; a failure retries, moves or
    /// dead-letters the whole batch through the same path as a single record's.
    func deliverBatch(
        _ records: [ConsumerRecord], _ envelopes: [Envelope], _ route: Route, deadLetters: any TransportProducer,
        recorder: inout OutcomeRecorder
    ) async throws {
        let handler = route.handler
        guard let decodeBatch = handler.decodeBatch else { return }
        var items: [EventHandlerRegistration.BatchItem] = []
        var itemRecords: [ConsumerRecord] = []
        var attempt = try await attemptOnArrival(
            route, attempt: envelopes.lazy.compactMap(\.retryAttempt).min(), due: envelopes.lazy.compactMap(\.retryDue).max())
        for (record, envelope) in zip(records, envelopes) {
            let version = envelope.version ?? 0
            items.append(.init(
                record: record, envelope: envelope,
                context: context(for: record, envelope, eventType: handler.eventType, version: version, attempt: attempt)))
            itemRecords.append(record)
        }
        let decoded = decodeBatch(items, configuration.schemaIds)
        for (index, error) in decoded.failures.sorted(by: { $0.key < $1.key }) {
            try await deadLetter([itemRecords[index]], route, Self.decodingFailureReason(error), error, attempts: 0, deadLetters, &recorder)
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
                recorder.duplicates(route)
            }
        }
        guard !unique.isEmpty else { return }
        let deduplicates = handler.delivery.idempotency == .inbox || handler.delivery.idempotency == .naturalKey
        var inboxWait = InboxWait()
        while true {
            do {
                let started = route.metrics.handlerStarts()
                var handled = unique.count
                if deduplicates {
                    let (chosen, thisAttempt) = (unique, attempt)
                    let fresh = try await InboxFailure.separating {
                        try await inbox.processBatchOnce(ids: ids, group: configuration.groupId) { positions in
                            try await HandlerFailure.marking { try await decoded.handle(positions.map { chosen[$0] }, thisAttempt) }
                        }
                    }
                    handled = fresh.count
                    recorder.duplicates(route, count: unique.count - fresh.count)
                } else {
                    try await decoded.handle(unique, attempt)
                }
                route.metrics.recordHandlerDuration(since: started)
                recorder.handled(route, count: handled)
                return
            } catch let failure as InboxFailure {
                try await waitOut(failure, of: unique.map { itemRecords[$0] }, route, &inboxWait, &recorder)
            } catch {
                let batch = unique.map { itemRecords[$0] }
                guard try await retryAfterFailure(error, attempt: attempt, of: batch, route, deadLetters, &recorder) else { return }
                attempt += 1
            }
        }
    }
}
