import EventProcessing
import Testing

@Suite("InboxTransaction: the handler's transaction")
struct InboxTransactionTests {
    let slot = InboxTransaction<String>(inbox: "TestInbox", construction: "TestInbox(pool:)")

    @Test("the transaction is the current one inside run, and none outside it")
    func currentInsideRunOnly() async throws {
        #expect(slot.current == nil)
        let seen = try await slot.run(in: "tx-1") { try slot.required() }
        #expect(seen == "tx-1")
        #expect(slot.current == nil, "not left behind")
    }

    @Test("outside a transaction, required() fails saying which inbox to give the processor")
    func requiredOutsideFails() {
        let error = #expect(throws: NotInInboxTransaction.self) { try slot.required() }
        #expect(error.map { "\($0)" }?.contains("give the processor the TestInbox (EventProcessor(…, inbox: TestInbox(pool:)))") == true)
    }
}
