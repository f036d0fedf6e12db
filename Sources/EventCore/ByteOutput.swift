/// A growable byte buffer for the runtime's writers (JSON, Avro): no reflection, no intermediate
/// tree, no Foundation.
///
/// A plain buffer rather than an `[UInt8]`: `Array.append(contentsOf:)` checks uniqueness and
/// capacity through a generic path on each of the ~20 appends an event takes, which was a third
/// of encode time. Noncopyable, so the buffer has one owner and is freed once.
public struct ByteOutput: ~Copyable, @unchecked Sendable {
    @usableFromInline var base: UnsafeMutablePointer<UInt8>
    @usableFromInline var count = 0
    @usableFromInline var capacity: Int
    /// False while the buffer is storage lent by its creator (`init(scratch:)`).
    @usableFromInline var ownsBase = true

    /// The bytes written so far, copied into an array of their size.
    public var bytes: [UInt8] { Array(UnsafeBufferPointer(start: base, count: count)) }

    /// An empty buffer with room for `capacity` bytes.
    @inlinable
    public init(capacity: Int = 256) {
        self.capacity = Swift.max(16, capacity)
        base = .allocate(capacity: self.capacity)
    }

    /// A buffer that starts in `scratch` (a stack buffer, say), which must outlive it, and moves
    /// to memory of its own only if the output outgrows it.
    @inlinable
    init(scratch: UnsafeMutableBufferPointer<UInt8>) {
        if let start = scratch.baseAddress, scratch.count >= 16 {
            base = start
            capacity = scratch.count
            ownsBase = false
        } else {
            capacity = 256
            base = .allocate(capacity: capacity)
        }
    }

    deinit { if ownsBase { base.deallocate() } }

    /// Lends the bytes written so far to `body`; they must not be used after it returns.
    @inlinable
    public func withUnsafeBytes<Result, Failure: Error>(
        _ body: (UnsafeRawBufferPointer) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        try body(UnsafeRawBufferPointer(start: base, count: count))
    }

    @usableFromInline
    mutating func grow(toFit extra: Int) {
        let newCapacity = Swift.max(capacity * 2, count + extra)
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.update(from: base, count: count)
        if ownsBase { base.deallocate() }
        base = newBase
        capacity = newCapacity
        ownsBase = true
    }

    /// Room for `extra` more bytes past the end.
    @inlinable @inline(__always)
    mutating func reserve(_ extra: Int) {
        if capacity &- count < extra { grow(toFit: extra) }
    }

    @inlinable @inline(__always)
    mutating func append(_ byte: UInt8) {
        if count == capacity { grow(toFit: 1) }
        base[count] = byte
        count &+= 1
    }

    /// Always inlined: most calls pass a key token whose length is known where it is called, and
    /// the branches below then fold to two word copies (out of line, this was 18% of encoding).
    @inlinable @inline(__always)
    mutating func append(_ buffer: UnsafeBufferPointer<UInt8>) {
        guard let source = buffer.baseAddress else { return }
        let length = buffer.count
        if capacity - count < length { grow(toFit: length) }
        let target = UnsafeMutableRawPointer(base + count)
        /// `length` bytes (between one and two words) as two overlapping word copies.
        @inline(__always) func copyOverlapping<Word: FixedWidthInteger>(_: Word.Type) {
            let tail = length - MemoryLayout<Word>.size
            let head = UnsafeRawPointer(source).loadUnaligned(as: Word.self)
            let last = UnsafeRawPointer(source + tail).loadUnaligned(as: Word.self)
            target.storeBytes(of: head, as: Word.self)
            target.storeBytes(of: last, toByteOffset: tail, as: Word.self)
        }
        // Keys, numbers and most values are under 17 bytes: two overlapping word copies instead of
        // a call to memmove (a third of what writing a key cost).
        if length >= 8, length <= 16 {
            copyOverlapping(UInt64.self)
        } else if length >= 4, length < 8 {
            copyOverlapping(UInt32.self)
        } else if length < 4 {
            for index in 0..<length { target.storeBytes(of: source[index], toByteOffset: index, as: UInt8.self) }
        } else {
            target.copyMemory(from: source, byteCount: length)
        }
        count &+= length
    }

    @inlinable
    mutating func append(contentsOf bytes: some Collection<UInt8>) {
        if capacity - count < bytes.count { grow(toFit: bytes.count) }
        for byte in bytes {
            base[count] = byte
            count &+= 1
        }
    }

    /// Lets `body` write up to `maximum` bytes in place; it returns how many it wrote.
    @inlinable
    mutating func write(upTo maximum: Int, _ body: (UnsafeMutableBufferPointer<UInt8>) -> Int) {
        if capacity - count < maximum { grow(toFit: maximum) }
        count &+= body(UnsafeMutableBufferPointer(start: base + count, count: maximum))
    }
}
