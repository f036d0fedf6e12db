import ContractModel

/// A handler stub for `eventc scaffold handlers`: a type that conforms to the event's handler
/// protocol with a body to fill in, written once and then owned by the user.
public enum HandlerStub {
    /// The stub's file name: `Handle<Event>.swift`.
    public static func fileName(for contract: CheckedContract) -> String {
        "Handle\(contract.event).swift"
    }

    /// Nil when the event's name is not one the generator emits.
    public static func render(_ contract: CheckedContract, imports: [String]) -> String? {
        let event = contract.event
        guard SwiftNames.isAllowed(event) else { return nil }
        let delivery = contract.delivery
        let dlq = delivery.deadLetterTopic
        var w = SwiftWriter()
        for module in ["EventProcessing"] + imports.sorted() { w.line("import \(module)") }
        w.line()
        w.doc("Handles \(event): \(contract.summary ?? "no summary").")
        w.block("struct Handle\(event): \(event)Handler") { w in
            w.block("func handle(_ event: \(event), context: EventContext) async throws") { w in
                w.line("// Your code here. A thrown error is retried (\(delivery.retryAttempts) attempts, \(delivery.backoff.rawValue) backoff),")
                w.line("// then the record goes to \(dlq).")
                switch delivery.idempotency {
                case .inbox:
                    w.line("// Redeliveries are skipped through the inbox (context.eventId), in the transaction that runs this handler.")
                case .naturalKey:
                    w.line("// Redeliveries are skipped by key, event type and version (natural-key idempotency).")
                case .stateMachine:
                    w.line("// transition(for:context:) below decides first whether the event fits the current state.")
                case .none:
                    w.line("// The contract asks for no deduplication: this may run more than once per event, so keep it idempotent.")
                }
            }
            if delivery.idempotency == .stateMachine {
                w.line()
                w.block("func transition(for event: \(event), context: EventContext) async throws -> StateTransition") { w in
                    w.line("// Compare the event with the entity's current state: .alreadyApplied for a redelivery,")
                    w.line("// .park for an event that arrived before the state it needs.")
                    w.line("return .apply")
                }
            }
        }
        return w.text
    }
}
