import EventTransport

/// CRC-32C (Castagnoli), the checksum Kafka puts on record batches, computed slice-by-8: eight
/// table lookups per 8 bytes, about 1 byte per cycle, enough that checksumming is not what limits
/// durable throughput (fsync is). A C shim for the SSE4.2 instruction would be faster, but would
/// be the only C in the runtime.
public enum CRC32C {
    /// The CRC-32C of `bytes`, continuing from `crc` (the checksum of the bytes before them) when given.
    public static func checksum(_ bytes: UnsafeRawBufferPointer, continuing crc: UInt32 = 0) -> UInt32 {
        var crc = ~crc
        var index = 0
        let count = bytes.count
        table.withUnsafeBufferPointer { t in
            while count - index >= 8 {
                let low = crc ^ bytes.loadUnaligned(fromByteOffset: index, as: UInt32.self).littleEndian
                let high = bytes.loadUnaligned(fromByteOffset: index + 4, as: UInt32.self).littleEndian
                crc = t[7 &* 256 &+ Int(low & 0xff)] ^ t[6 &* 256 &+ Int((low >> 8) & 0xff)]
                    ^ t[5 &* 256 &+ Int((low >> 16) & 0xff)] ^ t[4 &* 256 &+ Int(low >> 24)]
                    ^ t[3 &* 256 &+ Int(high & 0xff)] ^ t[2 &* 256 &+ Int((high >> 8) & 0xff)]
                    ^ t[1 &* 256 &+ Int((high >> 16) & 0xff)] ^ t[Int(high >> 24)]
                index &+= 8
            }
            while index < count {
                crc = t[Int((crc ^ UInt32(bytes[index])) & 0xff)] ^ (crc >> 8)
                index &+= 1
            }
        }
        return ~crc
    }

    /// The CRC-32C of `bytes`.
    public static func checksum(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBytes { checksum($0) }
    }

    /// Eight 256-entry tables: table k advances a byte through k further zero bytes.
    private static let table: [UInt32] = {
        var table = [UInt32](repeating: 0, count: 8 * 256)
        for byte in 0..<256 {
            var crc = UInt32(byte)
            for _ in 0..<8 { crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
            table[byte] = crc
        }
        for slice in 1..<8 {
            for byte in 0..<256 {
                let previous = table[(slice - 1) * 256 + byte]
                table[slice * 256 + byte] = (previous >> 8) ^ table[Int(previous & 0xff)]
            }
        }
        return table
    }()
}
