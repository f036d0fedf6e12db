import EventTransport
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Publishes an outbox's rows (each key's in order), marks them sent, and keeps trying while the
/// broker or the store is down (backing off, up to `maximumBackoff`).
///
/// Delivery is at least once. A send the broker stored but did not acknowledge is resent by the
/// same idempotent producer and stored once; a relay that crashes after sending and before
/// marking resends those rows after its restart (or another relay does), with their original
/// `ce_id`, so the consumers' inbox skips them.
///
/// A swift-service-lifecycle `Service`: a graceful shutdown lets it finish the batch in hand.
public final class OutboxRelay: Service, Sendable {
    /// How a relay sends: batch size, polling, retention of sent rows and backoff.
    public struct Configuration: Sendable {
        /// The most rows one pass takes from the outbox and sends together.
        public var batchSize: Int
        /// How long to wait when nothing is pending. A store that can tell when rows are written
        /// (PostgreSQL's, through LISTEN/NOTIFY) wakes the relay sooner; then this is the fallback poll.
        public var idleInterval: Duration
        /// Sent rows are deleted once this old (milliseconds).
        public var retentionMilliseconds: Int64
        /// The first pause after the broker or the store failed; it doubles on each failure in a row.
        public var initialBackoff: Duration
        /// The longest pause between attempts while the broker or the store is down.
        public var maximumBackoff: Duration
        /// How the relay waits (`Task.sleep`; tests give a clock of their own).
        public var sleep: @Sendable (Duration) async throws -> Void
        /// Where the relay logs outages and recoveries.
        public var logger: Logger

        /// A configuration: 500 rows a pass, a 20 ms idle poll, sent rows kept an hour, backoff from
        /// 50 ms to 5 s.
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

    /// What a relay did since it was made.
    public struct Statistics: Sendable, Hashable {
        /// Rows sent and marked sent.
        public var published = 0
        /// Batches the broker did not take (each is retried).
        public var failedSends = 0
        /// Passes the store failed (connection lost, server restarting…; each is retried).
        public var storeFailures = 0
    }

    /// The outbox it sends from.
    public let outbox: any OutboxStore
    /// How it sends.
    public let configuration: Configuration
    private let transport: any Transport
    private let state = Mutex<(statistics: Statistics, stopping: Bool)>((Statistics(), false))

    /// A relay from `outbox` to `transport`; nothing is sent until ``run()``. Several relays may share
    /// an outbox whose store allows it (PostgreSQL's); each key's rows still leave in order.
    public init(outbox: any OutboxStore, transport: any Transport, configuration: Configuration = Configuration()) {
        self.outbox = outbox
        self.transport = transport
        self.configuration = configuration
    }

    /// What it did so far.
    public var statistics: Statistics { state.withLock { $0.statistics } }

    /// Asks `run()` to finish the batch in hand and return.
    public func stop() { state.withLock { $0.stopping = true } }

    /// Sends the outbox's rows until ``stop()``, a graceful shutdown or cancellation, backing off while
    /// the broker or the store is down.
    public func run() async throws {
        try await withGracefulShutdownHandler {
            let wake = WakeSignal()
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await self.outbox.watchForWrites { wake.signal() } }
                try await relay(wakingOn: wake)
                group.cancelAll()
            }
        } onGracefulShutdown: {
            self.stop()
        }
    }

    private func relay(wakingOn wake: WakeSignal) async throws {
        var producer: (any TransportProducer)?
        var backoff = configuration.initialBackoff
        var lastCleanup = ContinuousClock.now
        while !state.withLock({ $0.stopping }), !Task.isCancelled {
            var sendFailed = false
            let sent: Int
            do {
                sent = try await outbox.relayNextRows(limit: configuration.batchSize) { batch in
                    do {
                        if producer == nil { producer = try await transport.makeProducer(ProducerConfig(acks: .all)) }
                        // A producer span per row, under the trace its business transaction stored.
                        try await outbox.tracing.send(batch) { traced in _ = try await producer?.send(traced) }
                    } catch {
                        sendFailed = true
                        throw error
                    }
                }
            } catch {
                // Broker down or refusing, or the store unreachable: the rows stay, wait, try again.
                // A new producer after a failed send, in case this one is fenced or failed for good.
                if sendFailed { producer = nil }
                state.withLock { sendFailed ? ($0.statistics.failedSends += 1) : ($0.statistics.storeFailures += 1) }
                configuration.logger.warning(sendFailed ? "outbox relay cannot publish; retrying" : "outbox relay cannot read the outbox; retrying", metadata: [
                    "retryIn": "\(backoff)", "error": "\(error)",
                ])
                try await configuration.sleep(backoff)
                backoff = min(backoff * 2, configuration.maximumBackoff)
                continue
            }
            backoff = configuration.initialBackoff
            if sent > 0 {
                state.withLock { $0.statistics.published += sent }
                continue
            }
            if ContinuousClock.now - lastCleanup > .seconds(60) {
                lastCleanup = .now
                let cutoff = SystemClock().milliseconds() - configuration.retentionMilliseconds
                do {
                    try await outbox.removeSent(before: cutoff)
                } catch {
                    configuration.logger.warning("outbox relay cannot remove sent rows; trying again later", metadata: ["error": "\(error)"])
                }
            }
            await wake.wait(upTo: configuration.idleInterval, sleep: configuration.sleep)
        }
        await producer?.close()
    }
}

/// Wakes an idle relay when its store says rows were written, or when the idle interval ends.
/// A signal that comes while the relay is busy is kept for its next wait, so none is missed.
final class WakeSignal: Sendable {
    private struct State {
        var signalled = false
        var waiter: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())

    func signal() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard let waiter = state.waiter else {
                state.signalled = true
                return nil
            }
            state.waiter = nil
            return waiter
        }
        waiter?.resume()
    }

    /// Returns when signalled since the last wait, or once `timeout` has passed.
    func wait(upTo timeout: Duration, sleep: @escaping @Sendable (Duration) async throws -> Void) async {
        if state.withLock({ state in defer { state.signalled = false }; return state.signalled }) { return }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.waitForSignal() }
            group.addTask { try? await sleep(timeout) }
            await group.next()
            group.cancelAll()
        }
    }

    private func waitForSignal() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
                let now = state.withLock { state -> Bool in
                    if state.signalled || Task.isCancelled {
                        state.signalled = false
                        return true
                    }
                    state.waiter = waiter
                    return false
                }
                if now { waiter.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { state in
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume()
        }
    }
}
