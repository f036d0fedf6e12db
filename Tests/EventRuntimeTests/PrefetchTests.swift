@testable import EventRuntime
import Testing

@Suite("Prefetch")
struct PrefetchTests {
    /// Where the elements of the array stored at `field` begin, relative to the address Prefetch reads there.
    private func elementsOffset(_ array: [UInt8], in base: UnsafeRawPointer, at offset: Int?) throws -> Int {
        let object = try #require(Prefetch.storageObject(at: base, offset: offset))
        let elements = try #require(array.withUnsafeBufferPointer { $0.baseAddress })
        return UnsafeRawPointer(elements) - object
    }

    @Test("the word read from a record's key, value or header value field (consumed or stored) is that array's storage, whose elements start in its first cache line")
    func fieldsHoldStorageObjects() throws {
        // Copies of an array share its storage, so the record's fields point where these do.
        let key = Array("order-1".utf8)
        let value = Array(#"{"a":1}"#.utf8)
        let header = RecordHeader("ce_id", "an-id-long-enough-to-need-storage")
        let record = ConsumerRecord(topic: "orders", partition: 0, offset: 7, timestamp: 1, key: key, value: value, headers: [header])
        try withUnsafePointer(to: record) { pointer in
            let base = UnsafeRawPointer(pointer)
            for (array, offset) in [(key, MemoryLayout<ConsumerRecord>.offset(of: \.key)), (value, MemoryLayout<ConsumerRecord>.offset(of: \.value))] {
                let distance = try elementsOffset(array, in: base, at: offset)
                #expect(distance > 0 && distance < 64, "elements \(distance) bytes after the object")
            }
        }
        let stored = StoredRecord(
            timestamp: 1, key: key, value: value, headers: [header], producerId: -1, producerEpoch: 0, flags: [])
        try withUnsafePointer(to: stored) { pointer in
            let distance = try elementsOffset(value, in: UnsafeRawPointer(pointer), at: MemoryLayout<StoredRecord>.offset(of: \.value))
            #expect(distance > 0 && distance < 64)
        }
        try withUnsafePointer(to: header) { pointer in
            let distance = try elementsOffset(header.value, in: UnsafeRawPointer(pointer), at: MemoryLayout<RecordHeader>.offset(of: \.value))
            #expect(distance > 0 && distance < 64)
        }
    }

    @Test("a nil key reads as no storage, and records without key, value or headers prefetch without harm")
    func emptyFieldsAreSkipped() {
        let record = ConsumerRecord(topic: "orders", partition: 0, offset: 0, timestamp: 0, key: nil, value: [], headers: [])
        withUnsafePointer(to: record) { pointer in
            #expect(Prefetch.storageObject(at: UnsafeRawPointer(pointer), offset: MemoryLayout<ConsumerRecord>.offset(of: \.key)) == nil)
            Prefetch.headers(of: pointer, lines: 4)
            Prefetch.contents(of: pointer)
        }
        withUnsafePointer(to: StoredRecord.marker(producerId: 1, epoch: 0, commit: true, timestamp: 0)) { Prefetch.fields(of: $0) }
    }
}
