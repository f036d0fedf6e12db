import EventCore
import EventProcessing
import Foundation
import Testing

/// The generated `validate()` of `Checkout` (every data rule the language has), and the
/// publisher's refusal of an event that breaks one.
@Suite("Generated validators")
struct ValidationTests {
    static let valid = Checkout(
        id: "c-1", email: "jane@example.com", lines: [.init(sku: "SKU-1", quantity: 2)], extras: ["gift": .init(sku: "WRAP", quantity: 1)],
        total: .init(amount: "12.50"), discount: .init(amount: "1", currency: "EUR"),
        placedAt: Timestamp(secondsSince1970: 1_700_000_000, nanoseconds: 0), tags: ["a", "b"], nested: [[.init(sku: "N1", quantity: 1)]])

    @Test("a value within every rule passes")
    func validPasses() throws {
        try Self.valid.validate()
    }

    /// A change to the valid value, and the field path and rule the violation must name.
    static let broken: [(String, @Sendable (inout Checkout) -> Void, String, DataRule)] = [
        ("format", { $0.email = "jane.example.com" }, "email", .format),
        ("minItems", { $0.lines = [] }, "lines", .minItems),
        ("a record in an array", { $0.lines.append(.init(sku: "bad sku", quantity: 1)) }, "lines[1].sku", .pattern),
        ("a record's own min", { $0.lines[0].quantity = 0 }, "lines[0].quantity", .min),
        ("maxLength in a record", { $0.lines[0].sku = "ABCDEFGHIJKLM" }, "lines[0].sku", .maxLength),
        ("a record in a map", { $0.extras?["gift"]?.quantity = -1 }, "extras[\"gift\"].quantity", .min),
        ("maxProperties", { $0.extras = ["a": .init(sku: "A", quantity: 1), "b": .init(sku: "B", quantity: 1), "c": .init(sku: "C", quantity: 1), "d": .init(sku: "D", quantity: 1)] }, "extras", .maxProperties),
        ("a decimal bound", { $0.total.amount = "-0.01" }, "total.amount", .min),
        ("an optional record", { $0.discount?.currency = "eur" }, "discount.currency", .pattern),
        ("a timestamp bound", { $0.placedAt = Timestamp(secondsSince1970: 0, nanoseconds: 0) }, "placedAt", .min),
        ("uniqueItems", { $0.tags = ["a", "a"] }, "tags", .uniqueItems),
        ("an array in an array", { $0.nested = [[], [.init(sku: "OK", quantity: 1), .init(sku: "OK", quantity: 0)]] }, "nested[1][1].quantity", .min),
    ]

    @Test("each broken rule is named with its field's path", arguments: broken.indices)
    func brokenRule(_ index: Int) {
        let (what, change, path, rule) = Self.broken[index]
        var event = Self.valid
        change(&event)
        do {
            try event.validate()
            Issue.record("\(what): accepted")
        } catch {
            #expect(error.field == path, "\(what): \(error)")
            #expect(error.rule == rule, "\(what): \(error)")
        }
    }

    @Test("absent optional values are not checked")
    func absentOptionals() throws {
        var event = Self.valid
        event.extras = nil
        event.discount = nil
        try event.validate()
    }

    final class RecordingSink: EventSink, @unchecked Sendable {
        private let lock = NSLock()
        private var stored: [OutgoingRecord] = []
        var records: [OutgoingRecord] { lock.withLock { stored } }
        func send(_ record: OutgoingRecord) async throws { lock.withLock { stored.append(record) } }
    }

    @Test("the publisher refuses an event that breaks a rule before any byte is written, naming the field and rule")
    func publisherRefuses() async throws {
        let sink = RecordingSink()
        let publisher = EventPublisher(sink: sink, source: "/tests")
        var event = Self.valid
        event.lines[0].quantity = 0
        do {
            try await publisher.publish(event)
            Issue.record("published an event that breaks its contract")
        } catch let error as EventEncodingError {
            #expect(error.violation == EventRuleViolation(field: "lines[0].quantity", rule: .min, "less than 1"))
            #expect(error.path == "lines[0].quantity")
        }
        #expect(sink.records.isEmpty)
        #expect(throws: EventEncodingError.self) { try event.recordValue() }
        try await publisher.publish(Self.valid)
        #expect(sink.records.count == 1)
    }
}
