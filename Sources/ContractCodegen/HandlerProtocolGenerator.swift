
/// The handler protocol (`PaymentCompletedHandler`) and the registration that plugs a conforming
/// type into an `EventProcessor`; state-machine contracts add the guard.
struct HandlerProtocolGenerator {
    let context: GenerationContext

    func render(_ w: inout SwiftWriter) {
        let (event, access, delivery) = (context.event, context.access, context.contract.delivery)
        let isStateMachine = delivery.idempotency == .stateMachine
        w.doc("Handles \(event) events. Delivery is at least once, so `handle` must be idempotent; the processor "
            + "applies the contract's policy (\(delivery.idempotency.rawValue) idempotency, "
            + "\(delivery.retryAttempts) attempts, then the DLQ).")
        w.block("\(access) protocol \(event)Handler: Sendable") { w in
            w.line("func handle(_ event: \(event), context: EventContext) async throws")
            if isStateMachine {
                w.line()
                w.doc("The state-machine guard the contract asks for: whether `event` fits the entity's current state. "
                    + "Called before `handle`; `.alreadyApplied` skips the event, `.park` sets it aside.")
                w.line("func transition(for event: \(event), context: EventContext) async throws -> StateTransition")
            }
        }
        w.line()
        w.block("extension \(event)Handler") { w in
            w.doc("This handler, ready for an `EventProcessor`.")
            w.block("\(access) var registration: EventHandlerRegistration") { w in
                if isStateMachine {
                    w.line("EventHandlerRegistration(")
                    w.indented { w in
                        w.line("\(event).self,")
                        w.line("transition: { event, context in try await self.transition(for: event, context: context) },")
                        w.line("handle: { event, context in try await self.handle(event, context: context) })")
                    }
                } else {
                    w.line("EventHandlerRegistration(\(event).self) { event, context in try await self.handle(event, context: context) }")
                }
            }
        }
    }
}
