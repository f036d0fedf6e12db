import Dispatch
import Metrics

/// What a processor has done since it started.
public struct ProcessorStatistics: Sendable, Hashable {
    /// Records whose handler finished.
    public var handled = 0
    /// Handler failures that were retried (a batch's failure counts once).
    public var retried = 0
    /// Records sent to a dead-letter topic.
    public var deadLettered = 0
    /// Redeliveries skipped by the inbox, the natural key or the state-machine guard.
    public var duplicatesSkipped = 0
    /// Records of event types no handler was registered for (other events on a shared topic).
    public var ignored = 0
    /// Records that failed for a reason their contract does not send to its DLQ (not in `dlq.on`)
    /// and were logged and committed without being handled (`NotDeadLetteredAction.skip`).
    public var skipped = 0
    /// Times the inbox itself failed (its database unreachable, say) and the record was tried
    /// again after a pause, with no attempt spent: the event was not at fault.
    public var inboxFailures = 0

    /// Every count at zero.
    public init() {}

    mutating func add(_ other: ProcessorStatistics) {
        handled += other.handled
        retried += other.retried
        deadLettered += other.deadLettered
        duplicatesSkipped += other.duplicatesSkipped
        ignored += other.ignored
        skipped += other.skipped
        inboxFailures += other.inboxFailures
    }
}

/// The counts as swift-metrics counters and a handler-latency timer, per group and event type,
/// made once per event type (a metric object per record would cost a factory lookup each).
struct ProcessorMetrics: Sendable {
    let handled: Counter
    let retried: Counter
    let deadLettered: Counter
    let duplicatesSkipped: Counter
    let skipped: Counter
    let inboxFailures: Counter
    let handlerDuration: Timer
    /// False when metrics go nowhere (swift-metrics' `NOOPMetricsHandler`, the factory until the
    /// application bootstraps a backend): handlers are then not timed, which saves two clock
    /// reads per event (~3% of the processor's CPU on this VM).
    let timesHandlers: Bool

    init(factory: any MetricsFactory, group: String, eventType: String) {
        let dimensions = [("group", group), ("event", eventType)]
        func counter(_ name: String) -> Counter {
            Counter(label: "eventcontracts_processor_\(name)_total", dimensions: dimensions, factory: factory)
        }
        handled = counter("handled")
        retried = counter("retried")
        deadLettered = counter("dead_lettered")
        duplicatesSkipped = counter("duplicates_skipped")
        skipped = counter("skipped")
        inboxFailures = counter("inbox_failures")
        handlerDuration = Timer(label: "eventcontracts_processor_handler_duration", dimensions: dimensions, factory: factory)
        timesHandlers = !(factory is NOOPMetricsHandler)
    }

    /// Records of no registered type have no event dimension: one counter per group.
    static func ignored(factory: any MetricsFactory, group: String) -> Counter {
        Counter(label: "eventcontracts_processor_ignored_total", dimensions: [("group", group)], factory: factory)
    }

    /// When a handler starts, for `recordHandlerDuration(since:)`: a monotonic instant in
    /// nanoseconds (`ContinuousClock`'s 128-bit attosecond arithmetic showed in the processor's
    /// profile), or 0 when handlers are not timed.
    func handlerStarts() -> UInt64 {
        timesHandlers ? DispatchTime.now().uptimeNanoseconds : 0
    }

    func recordHandlerDuration(since started: UInt64) {
        guard timesHandlers else { return }
        handlerDuration.recordNanoseconds(Int64(truncatingIfNeeded: DispatchTime.now().uptimeNanoseconds &- started))
    }
}

/// Counts what processing did in the statistics and the metrics at once, so the two cannot
/// drift. One per partition batch: its statistics are merged under the processor's lock once per
/// batch (a lock per record showed in profiles); the metrics counters are updated as it goes.
struct OutcomeRecorder {
    private(set) var statistics = ProcessorStatistics()
    let ignoredCounter: Counter

    mutating func handled(_ route: EventProcessor.Route, count: Int = 1) {
        statistics.handled += count
        route.metrics.handled.increment(by: count)
    }

    mutating func duplicates(_ route: EventProcessor.Route, count: Int = 1) {
        guard count > 0 else { return }
        statistics.duplicatesSkipped += count
        route.metrics.duplicatesSkipped.increment(by: count)
    }

    mutating func retried(_ route: EventProcessor.Route) {
        statistics.retried += 1
        route.metrics.retried.increment()
    }

    mutating func deadLettered(_ route: EventProcessor.Route) {
        statistics.deadLettered += 1
        route.metrics.deadLettered.increment()
    }

    mutating func skipped(_ route: EventProcessor.Route) {
        statistics.skipped += 1
        route.metrics.skipped.increment()
    }

    mutating func inboxFailed(_ route: EventProcessor.Route) {
        statistics.inboxFailures += 1
        route.metrics.inboxFailures.increment()
    }

    mutating func ignored(count: Int) {
        statistics.ignored += count
        ignoredCounter.increment(by: count)
    }
}
