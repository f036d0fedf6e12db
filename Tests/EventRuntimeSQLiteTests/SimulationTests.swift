import EventTestKit
import EventTestSupport
import Testing

@Suite("Reliability simulation")
struct SimulationTests {
    @Test("random faults lose nothing acknowledged, duplicate no effect, keep per-key order, and dead-letter exactly the poison and exhausted records")
    func simulationHoldsItsInvariants() async throws {
        let violations = try await StoreConformance.run { try await SQLiteConformanceStores() }
        #expect(violations.isEmpty, "\(violations)")
    }
}
