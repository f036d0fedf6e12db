import EventTransport

/// A handler the processor can dispatch to: which event it takes, the contract's delivery policy,
/// and how to decode the record and run the handler, with the event type erased so one processor
/// serves many events (several may share a topic).
public struct EventHandlerRegistration: Sendable {
    /// The event name the handler takes.
    public let eventType: String
    /// The topic its records come from.
    public let topic: String
    /// The topic's partition count.
    public let partitions: Int
    /// The contract's delivery policy: retries, backoff, what is dead-lettered.
    public let delivery: DeliveryPolicy
    /// How failed records wait for their next attempt.
    public var retry: RetryMode = .blocking

    /// How a failed record waits for its next attempt.
    public enum RetryMode: Sendable, Hashable {
        /// In place, with backoff: the partition waits, so per-key order holds (the default).
        case blocking
        /// Through retry topics `<topic>.retry-1`, `-2`, …: the record is moved aside with the time
        /// of its next attempt and the partition goes on. For contracts that prefer throughput to
        /// order; a key's later events may take effect before an earlier one that is retrying.
        case topics
    }

    /// The same handler with another retry mode.
    public func retrying(_ mode: RetryMode) -> EventHandlerRegistration {
        var copy = self
        copy.retry = mode
        return copy
    }

    /// The retry topics for this handler's records (none when retries are blocking).
    public var retryTopics: [String] {
        guard retry == .topics else { return [] }
        return (1..<max(1, delivery.retryAttempts)).map { "\(topic).retry-\($0)" }
    }
    /// Decodes and handles one event at a time; the processor opens it into its generic per-event
    /// step. A batch registration's is its batch handler given one event.
    let typed: any TypedEventHandler
    /// For batch handlers: decodes a run of records at once (Avro ids resolved with the
    /// processor's `schemaIds`); nil for per-event handlers.
    let decodeBatch: (@Sendable (_ items: [BatchItem], _ schemaIds: any SchemaIdResolver) -> DecodedBatch)?

    /// One record of a batch, with its envelope and its context.
    struct BatchItem: Sendable {
        let record: ConsumerRecord
        let envelope: EventProcessor.Envelope
        let context: EventContext
    }

    /// A decoded batch: which items decoded, why the others did not, and how to handle a subset.
    struct DecodedBatch: Sendable {
        let failures: [Int: any Error]
        /// Runs the batch handler on the decoded items at these indices, in order; their contexts
        /// carry `attempt`.
        let handle: @Sendable (_ indices: [Int], _ attempt: Int) async throws -> Void
    }

    /// Registers `handle` for `Event`.
    ///
    /// The handler and the thunks around it are `nonisolated(nonsending)`: they run on the
    /// processor's task where they are called, instead of each hopping to the global executor
    /// first (a hop per event was ~3% of the processor's CPU). A handler isolated to an actor
    /// still runs on it, and any `@Sendable` async function converts to this type.
    public init<Event: EventContract>(
        _ type: Event.Type, handle: nonisolated(nonsending) @escaping @Sendable (Event, EventContext) async throws -> Void
    ) {
        self.init(type, transition: nil, handle: handle)
    }

    /// Registers a state-machine handler: `transition` is asked first; `.alreadyApplied` skips the
    /// event (a duplicate), `.park` retries it later, `.apply` handles it.
    public init<Event: EventContract>(
        _ type: Event.Type, transition: (nonisolated(nonsending) @Sendable (Event, EventContext) async throws -> StateTransition)?,
        handle: nonisolated(nonsending) @escaping @Sendable (Event, EventContext) async throws -> Void
    ) {
        eventType = Event.eventType
        topic = Event.topic
        partitions = Event.partitions
        delivery = Event.delivery
        typed = EventHandlerFunctions(transition: transition, handle: handle)
        decodeBatch = nil
    }

    /// Registers a batch handler: each poll's consecutive records of `Event` in a partition arrive
    /// together (after in-batch and inbox deduplication), for aggregation — count a batch of likes,
    /// then write once. A failure retries the whole batch; after the last attempt, every record of
    /// it is dead-lettered.
    public init<Event: EventContract>(
        _ type: Event.Type, batch: @escaping @Sendable (_ events: [(event: Event, context: EventContext)]) async throws -> Void
    ) {
        eventType = Event.eventType
        topic = Event.topic
        partitions = Event.partitions
        delivery = Event.delivery
        typed = EventHandlerFunctions<Event>(transition: nil) { event, context in try await batch([(event, context)]) }
        decodeBatch = { items, schemaIds in
            var events: [Int: Event] = [:]
            var failures: [Int: any Error] = [:]
            for (index, item) in items.enumerated() {
                do {
                    events[index] = try item.envelope.decode(Event.self, item.record.value, schemaIds: schemaIds)
                } catch {
                    failures[index] = error
                }
            }
            let decoded = events
            return DecodedBatch(failures: failures) { indices, attempt in
                try await batch(indices.compactMap { index in
                    decoded[index].map { event in
                        var context = items[index].context
                        context.attempt = attempt
                        return (event, context)
                    }
                })
            }
        }
    }

    var isBatch: Bool { decodeBatch != nil }
}
