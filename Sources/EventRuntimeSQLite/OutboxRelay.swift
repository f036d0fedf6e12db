import EventProcessing
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Publishes the outbox's rows in order, marks them sent, and keeps trying while the broker is
/// down (backing off, up to `maximumBackoff`).
///
/// Delivery is at least once. A send the broker stored but did not acknowledge is resent by the
/// same idempotent producer and stored once; a relay that crashes after sending and before
/// marking resends those rows after its restart, with their original `ce_id`, so the consumers'
/// inbox skips them.
///
/// A swift-service-lifecycle `Service`: a graceful shutdown lets it finish the batch in hand.
public final class OutboxRelay: Service, Sendable {
    public struct Configuration: Sendable {
        public var batchSize: Int
        /// How long to wait when nothing is pending.
        public var idleInterval: Duration
        /// Sent rows are deleted once this old (milliseconds).
        public var retentionMilliseconds: Int64
        public var initialBackoff: Duration
        public var maximumBackoff: Duration
        public var sleep: @Sendable (Duration) async throws -> Void
        public var logger: Logger

        public init(
            batchSize: Int = 500, idleInterval: Duration = .milliseconds(20), retentionMilliseconds: Int64 = 3_600_000,
            initialBackoff: Duration = .milliseconds(50), maximumBackoff: Duration = .seconds(5),
            sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
            logger: Logger = Logger(label: "eventcontracts.outbox-relay")
        ) {
            self.batchSize = batchSize
            self.idleInterval = idleInterval
            self.retentionMilliseconds = retentionMilliseconds
            self.initialBackoff = initialBackoff
            self.maximumBackoff = maximumBackoff
            self.sleep = sleep
            self.logger = logger
        }
    }

    public struct Statistics: Sendable, Hashable {
        public var published = 0
        public var failedSends = 0
    }

    public let outbox: SQLiteOutbox
    public let configuration: Configuration
    private let transport: any Transport
    private let state = Mutex<(statistics: Statistics, stopping: Bool)>((Statistics(), false))

    public init(outbox: SQLiteOutbox, transport: any Transport, configuration: Configuration = Configuration()) {
        self.outbox = outbox
        self.transport = transport
        self.configuration = configuration
    }

    public var statistics: Statistics { state.withLock { $0.statistics } }

    /// Asks `run()` to finish the batch in hand and return.
    public func stop() { state.withLock { $0.stopping = true } }

    public func run() async throws {
        try await withGracefulShutdownHandler {
            try await relay()
        } onGracefulShutdown: {
            self.stop()
        }
    }

    private func relay() async throws {
        var producer: (any TransportProducer)?
        var backoff = configuration.initialBackoff
        var lastCleanup = ContinuousClock.now
        while !state.withLock({ $0.stopping }), !Task.isCancelled {
            let rows = try await outbox.pending(limit: configuration.batchSize)
            if rows.isEmpty {
                if ContinuousClock.now - lastCleanup > .seconds(60) {
                    lastCleanup = .now
                    let cutoff = SystemClock().milliseconds() - configuration.retentionMilliseconds
                    try await outbox.removeSent(before: cutoff)
                }
                try await configuration.sleep(configuration.idleInterval)
                continue
            }
            do {
                if producer == nil { producer = try await transport.makeProducer(ProducerConfig(acks: .all)) }
                let batch = rows.map(\.record)
                // A producer span per row, under the trace its business transaction stored.
                try await outbox.tracing.send(batch) { traced in _ = try await producer?.send(traced) }
            } catch {
                // Broker down or refusing: keep the rows, wait, try again. A new producer next time,
                // in case this one is fenced or failed for good.
                producer = nil
                state.withLock { $0.statistics.failedSends += 1 }
                configuration.logger.warning("outbox relay cannot publish; retrying", metadata: [
                    "rows": "\(rows.count)", "retryIn": "\(backoff)", "error": "\(error)",
                ])
                try await configuration.sleep(backoff)
                backoff = min(backoff * 2, configuration.maximumBackoff)
                continue
            }
            backoff = configuration.initialBackoff
            try await outbox.markSent(rows.map(\.id), at: SystemClock().milliseconds())
            state.withLock { $0.statistics.published += rows.count }
        }
        await producer?.close()
    }
}
