import EventTransport

extension Prefetch {
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
}
