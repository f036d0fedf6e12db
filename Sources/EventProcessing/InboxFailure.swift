import EventTransport

/// The inbox itself failed (its database unreachable, a connection lost mid-transaction), as
/// opposed to the handler it runs: not the event's fault, so the processor spends no attempt on
/// it and dead-letters nothing, but waits and delivers the same record again (`waitOut`). The
/// inbox's transaction did not commit, or committed and the redelivery finds the id: either way
/// the effect happens once.
struct InboxFailure: Error {
    var underlying: any Error

    /// Runs `operation` (an inbox call whose body is wrapped in `HandlerFailure.marking`) and
    /// tells the two apart: the handler's error comes out as it was thrown, any other as an
    /// `InboxFailure`. Costs nothing when nothing throws (errors are return values in Swift).
    @inline(__always)
    static func separating<Result>(_ operation: () async throws -> Result) async throws -> Result {
        do {
            return try await operation()
        } catch let failure as HandlerFailure {
            throw failure.underlying
        } catch {
            throw InboxFailure(underlying: error)
        }
    }
}

/// What a handler (or a dead-letter send) threw, carried through the inbox unchanged so
/// `InboxFailure.separating` can tell it from the inbox's own errors.
struct HandlerFailure: Error {
    var underlying: any Error

    @inline(__always)
    static func marking(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch {
            throw HandlerFailure(underlying: error)
        }
    }
}

/// The pauses between tries while the inbox is failing: 50 ms doubling to 5 s, per record.
struct InboxWait {
    var next: Duration = .milliseconds(50)
    static let longest: Duration = .seconds(5)

    mutating func advance() -> Duration {
        defer { next = min(next * 2, Self.longest) }
        return next
    }
}

extension EventProcessor {
    /// Logs the inbox's failure, counts it (`statistics.inboxFailures`,
    /// `eventcontracts_processor_inbox_failures_total`) and pauses before the same records are
    /// delivered again. A processor asked to stop stops instead, committing nothing of them.
    func waitOut(
        _ failure: InboxFailure, of records: [ConsumerRecord], _ route: Route, _ wait: inout InboxWait, _ recorder: inout OutcomeRecorder
    ) async throws {
        if isStopping || Task.isCancelled {
            throw EventProcessorError(
                message: "\(Self.describe(records)): the inbox failed while the processor was stopping; stopping without committing them",
                underlying: failure.underlying)
        }
        if failure.underlying is any MisconfigurationError { throw failure.underlying }
        recorder.inboxFailed(route)
        let pause = wait.advance()
        configuration.logger.warning("the inbox failed; delivering the records again after a pause (no attempt spent)", metadata: [
            "group": "\(configuration.groupId)", "event": "\(route.handler.eventType)", "offsets": "\(Self.describe(records))",
            "retryIn": "\(pause)", "error": "\(String(reflecting: failure.underlying))",
        ])
        try await configuration.sleep(pause)
    }
}
