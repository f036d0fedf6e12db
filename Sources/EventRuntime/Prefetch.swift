import CPrefetch

/// Prefetching for loops over records a poll has not touched yet.
///
/// A record's key, value, headers and each header value are separate heap objects, written long
/// before they are read (the broker keeps them until retention). Reading one, or retaining it,
/// misses the cache, and a loop over records waited on up to ten misses per record, one at a time.
/// Started a few records ahead, the loads overlap with the work in hand.
///
/// Fields are read as raw words, not as arrays: a copy of an array (or of the record) would
/// retain it, which is the very miss to avoid.
enum Prefetch {
    private static let keyOffset = MemoryLayout<ConsumerRecord>.offset(of: \.key)
    private static let valueOffset = MemoryLayout<ConsumerRecord>.offset(of: \.value)
    private static let headersOffset = MemoryLayout<ConsumerRecord>.offset(of: \.headers)
    private static let headerValueOffset = MemoryLayout<RecordHeader>.offset(of: \.value)

    /// The array of headers of `record` (`lines` cache lines of it: seven headers take four).
    @inline(__always)
    static func headers(of record: UnsafePointer<ConsumerRecord>, lines: Int) {
        storage(at: UnsafeRawPointer(record), offset: headersOffset, lines: lines)
    }

    /// The key, value and header values of `record`: what the envelope pass reads and a copy of
    /// the record retains. Its array of headers should be in already (`headers(of:lines:)`).
    @inline(__always)
    static func contents(of record: UnsafePointer<ConsumerRecord>) {
        let raw = UnsafeRawPointer(record)
        storage(at: raw, offset: keyOffset)
        storage(at: raw, offset: valueOffset)
        record.pointee.headers.withUnsafeBufferPointer { headers in
            guard let first = headers.baseAddress else { return }
            for index in headers.indices { storage(at: UnsafeRawPointer(first + index), offset: headerValueOffset) }
        }
    }

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

    /// Starts loading the first `lines` cache lines of the storage object of the array stored at
    /// `base + offset`: its header (count, reference count) and first elements.
    @inline(__always)
    static func storage(at base: UnsafeRawPointer, offset: Int?, lines: Int = 1) {
        guard let object = storageObject(at: base, offset: offset) else { return }
        for line in 0..<lines { eventcontracts_prefetch_for_write(object + 64 * line) }
    }

    /// The storage object of the array (or optional array) stored at `base + offset`: an array is
    /// one reference to it (without Objective-C bridging), and nil is zero. A hint only: if the
    /// layout were not the one assumed, nothing would break (a prefetch never faults), the
    /// prefetch would be wasted; a test pins the assumption.
    @inline(__always)
    static func storageObject(at base: UnsafeRawPointer, offset: Int?) -> UnsafeRawPointer? {
        guard let offset else { return nil }
        return base.load(fromByteOffset: offset, as: UnsafeRawPointer?.self)
    }
}
