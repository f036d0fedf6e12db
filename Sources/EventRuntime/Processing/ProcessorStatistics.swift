import Metrics

/// What a processor has done since it started.
public struct ProcessorStatistics: Sendable, Hashable {
    /// Records whose handler finished.
    public var handled = 0
    /// Handler failures that were retried.
    public var retried = 0
    /// Records sent to a dead-letter topic.
    public var deadLettered = 0
    /// Redeliveries skipped by the inbox, the natural key or the state-machine guard.
    public var duplicatesSkipped = 0
    /// Records of event types no handler was registered for (other events on a shared topic).
    public var ignored = 0

    public init() {}
}

/// The same counts as swift-metrics counters, per group and event type.
struct ProcessorMetrics: Sendable {
    let factory: any MetricsFactory
    let group: String

    func count(_ name: String, eventType: String, by amount: Int = 1) {
        Counter(
            label: "eventcontracts_processor_\(name)_total", dimensions: [("group", group), ("event", eventType)],
            factory: factory
        ).increment(by: amount)
    }

    func handlerLatency(_ duration: Duration, eventType: String) {
        Timer(
            label: "eventcontracts_processor_handler_duration", dimensions: [("group", group), ("event", eventType)],
            factory: factory
        ).recordNanoseconds(duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000)
    }
}
