@testable import EventProcessing
import EventTransport
import Testing

/// Where the elements of the array stored at `offset` begin, relative to the address `Prefetch` reads there.
func elementsOffset<Element>(_ array: [Element], in base: UnsafeRawPointer, at offset: Int?) throws -> Int {
    let object = try #require(Prefetch.storageObject(at: base, offset: offset))
    let elements = try #require(array.withUnsafeBufferPointer { $0.baseAddress })
    return UnsafeRawPointer(elements) - object
}

@Suite("Prefetch of consumed records")
struct PrefetchTests {
    @Test("the word read from a record's key, value or header value field is that array's storage, whose elements start in its first cache line")
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
            let headers = try elementsOffset(record.headers, in: base, at: MemoryLayout<ConsumerRecord>.offset(of: \.headers))
            #expect(headers > 0 && headers < 64)
        }
        try withUnsafePointer(to: header) { pointer in
            let distance = try elementsOffset(header.value, in: UnsafeRawPointer(pointer), at: MemoryLayout<RecordHeader>.offset(of: \.value))
            #expect(distance > 0 && distance < 64)
        }
    }

    @Test("a nil key is no address, and an empty value or header list is the one shared empty storage: nothing prefetched is ever invalid memory")
    func emptyFieldsAreSafe() throws {
        let empty = ConsumerRecord(topic: "orders", partition: 0, offset: 0, timestamp: 0, key: nil, value: [], headers: [])
        let full = ConsumerRecord(
            topic: "orders", partition: 0, offset: 1, timestamp: 0, key: [1], value: [2], headers: [RecordHeader("h", "v")])
        let layout = MemoryLayout<ConsumerRecord>.self
        try withUnsafePointer(to: empty) { emptyPointer in
            try withUnsafePointer(to: full) { fullPointer in
                let (emptyBase, fullBase) = (UnsafeRawPointer(emptyPointer), UnsafeRawPointer(fullPointer))
                #expect(Prefetch.storageObject(at: emptyBase, offset: layout.offset(of: \.key)) == nil)
                #expect(Prefetch.storageObject(at: fullBase, offset: layout.offset(of: \.key)) != nil)
                // No offset (a layout Swift could not tell) reads nothing.
                #expect(Prefetch.storageObject(at: fullBase, offset: nil) == nil)
                let emptyValue = try #require(Prefetch.storageObject(at: emptyBase, offset: layout.offset(of: \.value)))
                let emptyHeaders = try #require(Prefetch.storageObject(at: emptyBase, offset: layout.offset(of: \.headers)))
                #expect(emptyValue == emptyHeaders, "empty arrays of any type share one static storage object")
                #expect(emptyValue != Prefetch.storageObject(at: fullBase, offset: layout.offset(of: \.value)))
                Prefetch.headers(of: emptyPointer, lines: 4)
                Prefetch.contents(of: emptyPointer)
            }
        }
    }
}
