import EventTransport
import Logging

extension EventProcessor {
    /// What a failed attempt leads to, for one record or a batch alike. A final error, or the
    /// last attempt, ends in the dead-letter topic (or a skip, when the contract does not
    /// dead-letter that reason); with retry topics, the records move to the next one, due after
    /// the backoff, and the partition goes on; otherwise the backoff is waited here and the
    /// answer is true: the caller tries again, in place, so the partition's order holds.
    func retryAfterFailure(
        _ error: any Error, attempt: Int, of records: [ConsumerRecord], _ route: Route, _ deadLetters: any TransportProducer,
        _ recorder: inout OutcomeRecorder
    ) async throws -> Bool {
        let handler = route.handler
        if error is any MisconfigurationError {
            configuration.logger.critical("processor stopping: \(error)", metadata: [
                "group": "\(configuration.groupId)", "event": "\(handler.eventType)", "offsets": "\(Self.describe(records))",
            ])
            throw EventProcessorError(message: "\(Self.describe(records)): the setup is wrong; stopping without committing it", underlying: error)
        }
        if Task.isCancelled, Self.isRetryable(error) {
            // Trying again could succeed (the failure may even be the cancelled work itself): the
            // records are neither dead-lettered nor committed, and the partition's next owner
            // delivers them again. An inbox failure during cancellation ends the same way.
            throw Self.cancelled(before: records, underlying: error)
        }
        if let reason = Self.deadLetterReason(of: error, attempt: attempt, attempts: max(1, handler.delivery.retryAttempts)) {
            try await deadLetter(records, route, reason, error, attempts: attempt, deadLetters, &recorder)
            return false
        }
        recorder.retried(route)
        let delay = retryDelay(handler.delivery, retry: attempt)
        if handler.retry == .topics {
            try await moveToRetryTopic(records, handler, next: attempt + 1, due: SystemClock().milliseconds() + delay.milliseconds, deadLetters)
            return false
        }
        configuration.logger.debug("handler failed; retrying", metadata: [
            "event": "\(handler.eventType)", "offsets": "\(Self.describe(records))", "attempt": "\(attempt)", "error": "\(error)",
        ])
        do {
            try await configuration.sleep(delay)
        } catch {
            throw Self.cancelled(before: records, underlying: error)
        }
        return true
    }

    /// The error `run()` ends with when it is cancelled while `records` wait to be handled again.
    private static func cancelled(before records: [ConsumerRecord], underlying: any Error) -> EventProcessorError {
        EventProcessorError(
            message: "\(describe(records)): the processor was cancelled before the handler succeeded; stopping without committing them",
            underlying: underlying)
    }

    /// Why a failed attempt ends, or nil when it is retried: contract violations and
    /// non-retryable errors at once, anything else once the attempts run out.
    static func deadLetterReason(of error: any Error, attempt: Int, attempts: Int) -> DeliveryPolicy.DeadLetterReason? {
        switch error {
        case is ContractViolation: .contractViolation
        case is any NonRetryableError: .exhausted
        default: attempt < attempts ? nil : .exhausted
        }
    }

    /// Why a record that never reached its handler is dead-lettered: it decoded but breaks a
    /// data rule of its contract, or it cannot be read as the contract (bytes that do not decode,
    /// no version header saying which version wrote them).
    static func decodingFailureReason(_ error: any Error) -> DeliveryPolicy.DeadLetterReason {
        (error as? ContractViolation)?.violation != nil ? .contractViolation : .deserialization
    }

    /// Whether trying again could succeed: anything but a `NonRetryableError` (a `ContractViolation` is one).
    static func isRetryable(_ error: any Error) -> Bool {
        !(error is any NonRetryableError)
    }

    /// Moves `records` to the retry topic for their attempt number `next` (`<topic>.retry-N`),
    /// where they run when `due`; a failure to do so stops the processor without committing them.
    private func moveToRetryTopic(
        _ records: [ConsumerRecord], _ handler: EventHandlerRegistration, next: Int, due: Int64, _ producer: any TransportProducer
    ) async throws {
        let moved = records.map { RetryHeader.retryRecord($0, baseTopic: handler.topic, next: next, due: due) }
        do {
            _ = try await producer.send(moved)
        } catch {
            throw EventProcessorError(
                message: "cannot move \(Self.describe(records)) to \(moved.first?.topic ?? ""); stopping without committing them",
                underlying: error)
        }
    }

    /// Sends each record to the contract's dead-letter topic with the facts of its failure, once
    /// per event. When the contract does not dead-letter `reason`, the configuration's
    /// `notDeadLettered` decides: skip it (logged as an error and counted) or stop.
    func deadLetter(
        _ records: [ConsumerRecord], _ route: Route, _ reason: DeliveryPolicy.DeadLetterReason, _ error: any Error, attempts: Int,
        _ producer: any TransportProducer, _ recorder: inout OutcomeRecorder
    ) async throws {
        let handler = route.handler
        guard handler.delivery.deadLetterOn.contains(reason) else {
            return try notDeadLettered(records, route, reason, error, &recorder)
        }
        for record in records {
            let letter = DeadLetterHeader.record(
                for: record, topic: handler.delivery.deadLetterTopic, group: configuration.groupId, cause: reason, error: error,
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
            // Recorded per event (per source record when it has no id), so neither a redelivery
            // after a crash nor a second copy of the event is dead-lettered twice; a replayed copy
            // carries its replay's mark and, failing again, is dead-lettered again.
            var inboxWait = InboxWait()
            var recorded: Bool?
            while recorded == nil {
                do {
                    recorded = try await InboxFailure.separating {
                        try await inbox.processOnce(id: Self.deadLetterId(record), group: configuration.groupId) {
                            try await HandlerFailure.marking(send)
                        }
                    }
                } catch let failure as InboxFailure {
                    try await waitOut(failure, of: [record], route, &inboxWait, &recorder)
                }
            }
            guard recorded == true else {
                recorder.duplicates(route)
                continue
            }
            recorder.deadLettered(route)
            configuration.logger.warning("record dead-lettered", metadata: [
                "offset": "\(record.topicPartition)@\(record.offset)", "cause": "\(reason.rawValue)", "attempts": "\(attempts)",
                "error": "\(error)",
            ])
        }
    }

    /// The inbox entry that marks a record as dead-lettered.
    private static func deadLetterId(_ record: ConsumerRecord) -> String {
        let origin = RetryHeader.origin(of: record)
        let replay = record.headers.value(of: DeadLetterHeader.replayOf).map { $0 + "/" } ?? ""
        return "dead-letter:" + replay
            + (record.headers.value(of: CloudEventHeader.id) ?? "\(origin.topic)-\(origin.partition)@\(origin.offset)")
    }

    /// A failure the contract does not dead-letter: never committed silently.
    private func notDeadLettered(
        _ records: [ConsumerRecord], _ route: Route, _ reason: DeliveryPolicy.DeadLetterReason, _ error: any Error,
        _ recorder: inout OutcomeRecorder
    ) throws {
        let metadata: Logger.Metadata = [
            "group": "\(configuration.groupId)", "event": "\(route.handler.eventType)", "offsets": "\(Self.describe(records))",
            "cause": "\(reason.rawValue)", "error": "\(error)",
        ]
        switch configuration.notDeadLettered {
        case .skip:
            configuration.logger.error(
                "record skipped: the contract does not send \(reason.rawValue) failures to its dead-letter topic (dlq.on)",
                metadata: metadata)
            for _ in records { recorder.skipped(route) }
        case .stop:
            configuration.logger.error(
                "processor stopping: the contract does not send \(reason.rawValue) failures to its dead-letter topic (dlq.on)",
                metadata: metadata)
            throw EventProcessorError(
                message: "\(Self.describe(records)) failed (\(reason.rawValue)) and its contract does not dead-letter that; "
                    + "stopping without committing it (add '\(reason.rawValue)' to dlq.on, or fix the cause and restart)",
                underlying: error)
        }
    }

    /// `topic-partition@offset` of each record, for messages.
    static func describe(_ records: [ConsumerRecord]) -> String {
        records.map { "\($0.topicPartition)@\($0.offset)" }.joined(separator: ", ")
    }
}
