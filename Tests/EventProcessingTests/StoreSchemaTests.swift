import EventProcessing
import Testing

@Suite("StoreSchema: which migration steps run")
struct StoreSchemaTests {
    let schema = StoreSchema(name: "s", steps: ["one", "two", "three"])

    @Test("the steps after those applied run, in order; none when up to date")
    func pendingSteps() throws {
        #expect(Array(try schema.pendingSteps(applied: 0)) == ["one", "two", "three"])
        #expect(Array(try schema.pendingSteps(applied: 2)) == ["three"])
        #expect(try schema.pendingSteps(applied: 2).startIndex == 2, "the slice keeps the steps' numbering")
        #expect(try schema.pendingSteps(applied: 3).isEmpty)
    }

    @Test("a database that ran more steps than the code knows is refused, saying what to do")
    func newerDatabaseRefused() {
        let error = #expect(throws: StoreSchema.WrittenByNewerCode.self) { try schema.pendingSteps(applied: 4) }
        #expect(error?.schema == "s" && error?.applied == 4 && error?.known == 3)
        #expect(error.map { "\($0)" }?.contains("run that version") == true)
    }
}
