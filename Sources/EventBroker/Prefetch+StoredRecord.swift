import EventTransport

extension Prefetch {
    private static let storedKeyOffset = MemoryLayout<StoredRecord>.offset(of: \.key)
    private static let storedValueOffset = MemoryLayout<StoredRecord>.offset(of: \.value)
    private static let storedHeadersOffset = MemoryLayout<StoredRecord>.offset(of: \.headers)

    /// The key, value and array of headers of a record in a partition log, which a fetch's copy
    /// of it into a `ConsumerRecord` retains.
    @inline(__always)
    static func fields(of record: UnsafePointer<StoredRecord>) {
        let raw = UnsafeRawPointer(record)
        storage(at: raw, offset: storedKeyOffset)
        storage(at: raw, offset: storedValueOffset)
        storage(at: raw, offset: storedHeadersOffset)
    }
}
