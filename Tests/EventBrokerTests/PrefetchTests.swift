@testable import EventBroker
import Testing

@Suite("Prefetch of stored records")
struct StoredRecordPrefetchTests {
    @Test("the word read from a stored record's value field is that array's storage, whose elements start in its first cache line")
    func storedFieldsHoldStorageObjects() throws {
        let value = Array(#"{"a":1}"#.utf8)
        let stored = StoredRecord(
            timestamp: 1, key: Array("k".utf8), value: value, headers: [RecordHeader("h", "v")], producerId: -1, producerEpoch: 0, flags: [])
        try withUnsafePointer(to: stored) { pointer in
            let object = try #require(Prefetch.storageObject(at: UnsafeRawPointer(pointer), offset: MemoryLayout<StoredRecord>.offset(of: \.value)))
            let elements = try #require(value.withUnsafeBufferPointer { $0.baseAddress })
            let distance = UnsafeRawPointer(elements) - object
            #expect(distance > 0 && distance < 64)
        }
    }

    @Test("a transaction marker has no key: its key field reads as no address")
    func markerHasNoKey() {
        withUnsafePointer(to: StoredRecord.marker(producerId: 1, epoch: 0, commit: true, timestamp: 0)) { pointer in
            #expect(Prefetch.storageObject(at: UnsafeRawPointer(pointer), offset: MemoryLayout<StoredRecord>.offset(of: \.key)) == nil)
            Prefetch.fields(of: pointer)
        }
    }
}
