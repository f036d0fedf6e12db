import EventBroker
import EventProcessing
import EventTestSupport
import Foundation
import Synchronization
import Testing

@Suite("In-memory inbox")
struct InMemoryInboxTests {
    /// Runs `processOnce` and says whether the body ran.
    private func process(_ inbox: InMemoryInbox, _ id: String, group: String = "service") async throws -> (returned: Bool, ran: Bool) {
        let ran = Mutex(false)
        let returned = try await inbox.processOnce(id: id, group: group) { ran.withLock { $0 = true } }
        return (returned, ran.withLock { $0 })
    }

    @Test("a second delivery of an id is skipped without running the body; UUID and other ids alike")
    func duplicatesAreSkipped() async throws {
        let inbox = InMemoryInbox()
        let ids = [UUID().uuidString.lowercased(), "order-17", "not-a-uuid-but-thirty-six-characters", ""]
        for id in ids {
            #expect(try await process(inbox, id) == (true, true), "\(id)")
            #expect(try await process(inbox, id) == (false, false), "\(id)")
        }
        #expect(inbox.count(group: "service") == ids.count)
    }

    @Test("an id given as UTF-8 bytes and the same id as a String are one entry, UUID and other ids alike")
    func utf8AndStringIdsAgree() async throws {
        let inbox = InMemoryInbox()
        for id in [UUID().uuidString.lowercased(), "order-17"] {
            #expect(try await inbox.processOnce(utf8Id: Array(id.utf8), group: "service") {})
            #expect(try await process(inbox, id) == (false, false), "\(id)")
            #expect(try await inbox.processOnce(utf8Id: Array(id.utf8), group: "service") {} == false)
        }
        #expect(inbox.count(group: "service") == 2)
    }

    @Test("a store with only the String form (an actor, its methods isolated to it) gets the UTF-8 form's id as a String")
    func utf8FormDefaultsToTheStringForm() async throws {
        actor StringOnlyInbox: InboxStore {
            var ids: [String] = []
            func processOnce(id: String, group: String, _ body: @Sendable () async throws -> Void) async throws -> Bool {
                ids.append(id)
                try await body()
                return true
            }
            func processBatchOnce(ids: [String], group: String, _ body: @Sendable ([Int]) async throws -> Void) async throws -> [Int] {
                []
            }
            func removeEntries(group: String, processedBefore cutoff: Int64) async throws -> Int { 0 }
        }
        let inbox = StringOnlyInbox()
        let ran = Mutex(false)
        #expect(try await inbox.processOnce(utf8Id: Array("évènement-1".utf8), group: "service") { ran.withLock { $0 = true } })
        #expect(await inbox.ids == ["évènement-1"])
        #expect(ran.withLock { $0 })
    }

    @Test("groups remember separately: one group's entry does not skip another's")
    func groupsAreSeparate() async throws {
        let inbox = InMemoryInbox()
        let id = UUID().uuidString
        #expect(try await process(inbox, id, group: "billing") == (true, true))
        #expect(try await process(inbox, id, group: "shipping") == (true, true))
        #expect(try await process(inbox, id, group: "billing") == (false, false))
        #expect(inbox.count(group: "billing") == 1)
        #expect(inbox.count(group: "shipping") == 1)
        #expect(inbox.count(group: "nobody") == 0)
    }

    @Test("a body that throws records nothing, so the next delivery runs it again")
    func failureRecordsNothing() async throws {
        struct Boom: Error {}
        let inbox = InMemoryInbox()
        let id = UUID().uuidString
        await #expect(throws: Boom.self) { try await inbox.processOnce(id: id, group: "service") { throw Boom() } }
        #expect(inbox.count(group: "service") == 0)
        #expect(try await process(inbox, id) == (true, true))
    }

    @Test("while an id's body runs, another call for it is a duplicate; when that body throws, the id is free again")
    func runningIdIsClaimed() async throws {
        struct Boom: Error {}
        let inbox = InMemoryInbox()
        for (done, id) in [UUID().uuidString, "order-17"].enumerated() {
            await #expect(throws: Boom.self) {
                try await inbox.processOnce(id: id, group: "service") {
                    #expect(try await process(inbox, id) == (false, false), "\(id)")
                    throw Boom()
                }
            }
            #expect(inbox.count(group: "service") == done)
            #expect(try await process(inbox, id) == (true, true), "\(id)")
            #expect(try await process(inbox, id) == (false, false), "\(id)")
        }
        #expect(inbox.count(group: "service") == 2)
    }

    @Test("a UUID is one id in either case: its text is parsed, not compared")
    func uuidCaseDoesNotMatter() async throws {
        let inbox = InMemoryInbox()
        let uuid = UUID()
        #expect(try await process(inbox, uuid.uuidString.uppercased()) == (true, true))
        #expect(try await process(inbox, uuid.uuidString.lowercased()) == (false, false))
    }

    @Test("the batch form runs the body with the new ids' indices only, and records them")
    func batchSkipsKnownIds() async throws {
        let inbox = InMemoryInbox()
        let ids = (0..<200).map { $0 % 3 == 0 ? "text-\($0)" : UUID().uuidString }
        _ = try await process(inbox, ids[5])
        _ = try await process(inbox, ids[9])
        let seen = Mutex<[Int]>([])
        let fresh = try await inbox.processBatchOnce(ids: ids, group: "service") { indices in seen.withLock { $0 = indices } }
        let expected = ids.indices.filter { $0 != 5 && $0 != 9 }
        #expect(fresh == expected)
        #expect(seen.withLock { $0 } == expected)
        #expect(inbox.count(group: "service") == ids.count)
        #expect(try await inbox.processBatchOnce(ids: ids, group: "service") { _ in Issue.record("nothing is new") } == [])
    }

    @Test("many ids from parallel tasks: each is recorded once and every repeat is skipped")
    func parallelIdsAreAllKept() async throws {
        let inbox = InMemoryInbox()
        let ids = (0..<20_000).map { _ in UUID().uuidString }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for part in 0..<4 {
                group.addTask {
                    for id in ids[(part * 5_000)..<((part + 1) * 5_000)] { _ = try await inbox.processOnce(id: id, group: "service") {} }
                }
            }
            try await group.waitForAll()
        }
        #expect(inbox.count(group: "service") == ids.count)
        var ranAgain = 0
        for id in ids where try await process(inbox, id).ran { ranAgain += 1 }
        #expect(ranAgain == 0)
    }

    @Test("forgets in generations: never an id younger than the cutoff; an older one once its generation is closed and past it")
    func forgetsInGenerations() async throws {
        let inbox = InMemoryInbox()
        let (first, second, text) = (UUID().uuidString, UUID().uuidString, "order-17")
        #expect(try await process(inbox, first).ran)
        #expect(try await process(inbox, text).ran)
        #expect(try await process(inbox, first, group: "other").ran)
        // A cutoff in the past forgets nothing, however often it is asked (the first call closes
        // the generation that holds them).
        for _ in 0..<3 { #expect(inbox.removeEntries(group: "service", processedBefore: 0) == 0) }
        #expect(try await process(inbox, first) == (false, false))
        #expect(try await process(inbox, text) == (false, false))
        #expect(try await process(inbox, second).ran)
        // A cutoff after the close drops the closed generation and closes the one holding `second`.
        #expect(inbox.removeEntries(group: "service", processedBefore: SystemClock().milliseconds() + 60_000) == 2)
        #expect(inbox.count(group: "service") == 1)
        #expect(try await process(inbox, second) == (false, false))
        #expect(try await process(inbox, first).ran, "a forgotten id is processed again")
        #expect(try await process(inbox, text).ran)
        #expect(try await process(inbox, first, group: "other") == (false, false), "another group's ids stay")
    }
}
