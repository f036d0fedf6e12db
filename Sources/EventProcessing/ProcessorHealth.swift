import EventTransport
import Metrics

/// What a readiness or liveness probe asks of a processor: whether it runs and has joined its
/// group, what it holds, how far behind it is, when it last polled, and why it stopped if it failed.
public struct ProcessorHealth: Sendable, Hashable {
    /// Where a processor is in its life.
    public enum State: String, Sendable, Hashable {
        /// `run()` has not subscribed yet.
        case starting
        /// `run()` subscribed and is polling.
        case running
        /// `run()` returned: stopped, shut down gracefully or cancelled.
        case stopped
        /// `run()` threw: see `failure`.
        case failed
    }

    /// Where the processor is in its life.
    public var state: State = .starting
    /// The group gave this member an assignment (it may be empty: more members than partitions).
    public var joined = false
    /// The partitions this member holds, sorted.
    public var partitions: [TopicPartition] = []
    /// Records left to read on the held partitions, as last measured (every `lagInterval`).
    public var lag: Int64?
    /// When the last poll returned, in milliseconds since 1970.
    public var lastPollMilliseconds: Int64?
    /// Why `run()` threw, when `state` is `.failed`.
    public var failure: String?

    /// A processor that has not started.
    public init() {}

    /// Ready for traffic: running and in its group. (A readiness probe.)
    public var isReady: Bool { state == .running && joined }

    /// Alive: not failed, and, once running, polling at least every `maxPollInterval` (Kafka's
    /// `max.poll.interval.ms`, 5 minutes by default: a member that does not poll that often is
    /// put out of its group). A liveness probe restarts the service when this is false.
    public func isLive(now: Int64, maxPollInterval: Duration = .seconds(300)) -> Bool {
        switch state {
        case .failed: false
        case .starting, .stopped: true
        case .running: lastPollMilliseconds.map { now - $0 <= maxPollInterval.milliseconds } ?? true
        }
    }
}

/// The health as gauges per group: `eventcontracts_processor_ready` (1 or 0),
/// `eventcontracts_processor_up` (1 unless failed), `eventcontracts_processor_partitions_held`,
/// `eventcontracts_processor_lag` and `eventcontracts_processor_last_poll_seconds` (since 1970).
struct ProcessorHealthGauges: Sendable {
    let ready: Gauge
    let up: Gauge
    let partitions: Gauge
    let lag: Gauge
    let lastPoll: Gauge

    init(factory: any MetricsFactory, group: String) {
        let dimensions = [("group", group)]
        ready = Gauge(label: "eventcontracts_processor_ready", dimensions: dimensions, factory: factory)
        up = Gauge(label: "eventcontracts_processor_up", dimensions: dimensions, factory: factory)
        partitions = Gauge(label: "eventcontracts_processor_partitions_held", dimensions: dimensions, factory: factory)
        lag = Gauge(label: "eventcontracts_processor_lag", dimensions: dimensions, factory: factory)
        lastPoll = Gauge(label: "eventcontracts_processor_last_poll_seconds", dimensions: dimensions, factory: factory)
    }

    func record(_ health: ProcessorHealth) {
        ready.record(health.isReady ? 1 : 0)
        up.record(health.state == .failed ? 0 : 1)
        partitions.record(health.partitions.count)
        if let lag = health.lag { self.lag.record(lag) }
        if let last = health.lastPollMilliseconds { lastPoll.record(Double(last) / 1000) }
    }
}
