import EventCore
import Foundation
import Testing

/// The `types` mode's output, in a target that depends on EventCore alone: it builds, and the
/// types it holds encode and decode (both encodings) with no processor linked.
@Suite("Generated types without handlers")
struct TypesOnlyTests {
    @Test("an Avro and a JSON event round-trip, and the catalog lists every contract")
    func roundTrips() throws {
        let shipment = Shipment(shipmentId: "s-1", weightGrams: 1200, carrier: .courier, destination: .init(city: "Lyon"))
        #expect(try Shipment.decode(avro: try shipment.avroBytes(), version: Shipment.currentVersion) == shipment)
        let reading = Reading(sensorId: "t-1", celsius: 21.5)
        #expect(try Reading.decode(json: try reading.jsonBytes(), version: Reading.currentVersion) == reading)
        #expect(EventCatalog.contracts.map(\.eventType).sorted() == ["Checkout", "Everything", "Reading", "ReadingLegacy", "Shipment"].sorted())
    }
}
