/// A handler the processor can dispatch to: which event it takes, the contract's delivery policy,
/// and how to decode the record and run the handler, with the event type erased so one processor
/// serves many events (several may share a topic).
public struct EventHandlerRegistration: Sendable {
    public let eventType: String
    public let topic: String
    public let delivery: DeliveryPolicy
    /// Decodes a record value written by `version`; the result runs the handler. Decoding is a
    /// separate step so its errors (never retried) are told apart from the handler's.
    let decode: @Sendable (_ value: [UInt8], _ version: Int) throws(EventDecodingError) -> DecodedEvent

    /// A decoded event, ready to be handled.
    struct DecodedEvent: Sendable {
        /// For `idempotency: state-machine`: whether the event fits the entity's current state.
        let transition: (@Sendable (EventContext) async throws -> StateTransition)?
        let handle: @Sendable (EventContext) async throws -> Void
    }

    /// Registers `handle` for `Event`.
    public init<Event: EventContract>(
        _ type: Event.Type, handle: @escaping @Sendable (Event, EventContext) async throws -> Void
    ) {
        self.init(type, transition: nil, handle: handle)
    }

    /// Registers a state-machine handler: `transition` is asked first; `.alreadyApplied` skips the
    /// event (a duplicate), `.park` retries it later, `.apply` handles it.
    public init<Event: EventContract>(
        _ type: Event.Type, transition: (@Sendable (Event, EventContext) async throws -> StateTransition)?,
        handle: @escaping @Sendable (Event, EventContext) async throws -> Void
    ) {
        eventType = Event.eventType
        topic = Event.topic
        delivery = Event.delivery
        decode = Self.decoder(Event.self, transition: transition, handle: handle)
    }

    private static func decoder<Event: EventContract>(
        _ type: Event.Type, transition: (@Sendable (Event, EventContext) async throws -> StateTransition)?,
        handle: @escaping @Sendable (Event, EventContext) async throws -> Void
    ) -> @Sendable ([UInt8], Int) throws(EventDecodingError) -> DecodedEvent {
        { (value: [UInt8], version: Int) throws(EventDecodingError) -> DecodedEvent in
            let event = try Event.decode(json: value, version: version)
            var transitionThunk: (@Sendable (EventContext) async throws -> StateTransition)?
            if let transition { transitionThunk = { context in try await transition(event, context) } }
            return DecodedEvent(transition: transitionThunk, handle: { context in try await handle(event, context) })
        }
    }
}
