import EventTransport
import Foundation

/// The on-disk frame shared by segment files and journals: `[length u32][crc32c u32][payload]`,
/// little-endian. The CRC covers the payload, so a torn or corrupted tail is detected and cut on
/// recovery instead of being read as data.
enum RecordFraming {
    static let headerSize = 8
    /// Larger lengths are corruption, not records (the broker refuses records above its limit).
    static let maximumPayload = 64 << 20

    /// The intact frames at the start of `bytes`, and where the intact part ends: the first frame
    /// whose length runs past the end or whose CRC does not match ends the scan.
    static func scan(_ bytes: UnsafeRawBufferPointer) -> (payloads: [Range<Int>], validLength: Int) {
        var payloads: [Range<Int>] = []
        var position = 0
        while let payload = intactFrame(in: bytes, at: position) {
            payloads.append(payload)
            position = payload.upperBound
        }
        return (payloads, position)
    }

    /// The payload of the frame at `position`, if an intact one starts there. Nothing the broker
    /// writes is empty, and a run of zeros (what a power failure leaves in a file extended but
    /// never written) reads as empty frames with a matching CRC, so an empty frame is damage.
    static func intactFrame(in bytes: UnsafeRawBufferPointer, at position: Int) -> Range<Int>? {
        guard position >= 0, bytes.count - position >= headerSize else { return nil }
        let length = Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: position, as: UInt32.self)))
        let crc = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: position + 4, as: UInt32.self))
        let start = position + headerSize
        guard length > 0, length <= maximumPayload, length <= bytes.count - start else { return nil }
        guard CRC32C.checksum(UnsafeRawBufferPointer(rebasing: bytes[start..<(start + length)])) == crc else { return nil }
        return start..<(start + length)
    }

    /// Whether the bytes from `position` on are what a crash leaves when it interrupts appends:
    /// a frame cut short (its header, or its header and part of its payload), possibly followed
    /// by zeros where the file grew but the data never reached the disk. A frame that is all
    /// there with a wrong checksum, or a header no write produced, is damage instead.
    static func looksTorn(_ bytes: UnsafeRawBufferPointer, at position: Int, maximumPayload: Int) -> Bool {
        let remaining = bytes.count - position
        guard remaining >= headerSize else { return true }
        var nonZeroEnd = bytes.count
        while nonZeroEnd > position, bytes[nonZeroEnd - 1] == 0 { nonZeroEnd -= 1 }
        if nonZeroEnd == position { return true }
        let length = Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: position, as: UInt32.self)))
        guard length > 0, length <= maximumPayload else { return false }
        let frameEnd = position + headerSize + length
        return frameEnd > bytes.count || nonZeroEnd < frameEnd
    }

    /// Where the first intact frame after `position` starts, trying every byte: a write torn by a
    /// crash leaves nothing intact after it, so a frame found here means the bytes before it were
    /// damaged afterwards (a flipped bit, an overwrite), and cutting there would lose records.
    static func nextIntactFrame(in bytes: UnsafeRawBufferPointer, after position: Int) -> Int? {
        var candidate = position + 1
        while candidate <= bytes.count - headerSize {
            if intactFrame(in: bytes, at: candidate) != nil { return candidate }
            candidate += 1
        }
        return nil
    }
}

/// Little-endian encoding into a growable buffer.
struct ByteWriter {
    var buffer: [UInt8]

    init(buffer: [UInt8] = []) { self.buffer = buffer }

    mutating func write<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { buffer.append(contentsOf: $0) }
    }

    mutating func write(bytes: [UInt8]?) {
        guard let bytes else { return write(Int32(-1)) }
        write(Int32(bytes.count))
        buffer.append(contentsOf: bytes)
    }

    mutating func write(string: String) {
        write(bytes: Array(string.utf8))
    }

    /// Reserves a frame header; `endFrame` fills it in once the payload is written.
    mutating func beginFrame() -> Int {
        let start = buffer.count
        buffer.append(contentsOf: repeatElement(0, count: RecordFraming.headerSize))
        return start
    }

    mutating func endFrame(_ start: Int) {
        let payloadStart = start + RecordFraming.headerSize
        let length = buffer.count - payloadStart
        buffer.withUnsafeMutableBytes { raw in
            let crc = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: raw[payloadStart...]))
            raw.storeBytes(of: UInt32(length).littleEndian, toByteOffset: start, as: UInt32.self)
            raw.storeBytes(of: crc.littleEndian, toByteOffset: start + 4, as: UInt32.self)
        }
    }
}

/// Bounds-checked little-endian decoding: corrupt input yields nil, never a trap.
struct ByteReader {
    let bytes: UnsafeRawBufferPointer
    var position: Int

    init(_ bytes: UnsafeRawBufferPointer, range: Range<Int>? = nil) {
        if let range {
            self.bytes = UnsafeRawBufferPointer(rebasing: bytes[..<range.upperBound])
            position = range.lowerBound
        } else {
            self.bytes = bytes
            position = 0
        }
    }

    var isAtEnd: Bool { position == bytes.count }

    mutating func read<T: FixedWidthInteger>(_: T.Type = T.self) -> T? {
        guard bytes.count - position >= MemoryLayout<T>.size else { return nil }
        defer { position += MemoryLayout<T>.size }
        return T(littleEndian: bytes.loadUnaligned(fromByteOffset: position, as: T.self))
    }

    /// `.some(nil)` for a null field, nil for corruption.
    mutating func readBytes() -> [UInt8]?? {
        guard let length: Int32 = read() else { return nil }
        if length == -1 { return .some(nil) }
        guard length >= 0, bytes.count - position >= Int(length) else { return nil }
        defer { position += Int(length) }
        return .some(Array(UnsafeRawBufferPointer(rebasing: bytes[position..<(position + Int(length))])))
    }

    mutating func readString() -> String? {
        guard case .some(.some(let bytes)) = readBytes() else { return nil }
        return String(validating: bytes, as: UTF8.self)
    }
}
