/// A record's headers as one blob, as the outboxes store them: count, then (name length, name,
/// value length, value), little-endian 32-bit lengths. One format for every store, so a row means
/// the same wherever it was written.
package enum RecordHeaderCoding {
    package static func encode(_ headers: [RecordHeader]) -> [UInt8] {
        var bytes: [UInt8] = []
        func append(_ value: UInt32) { withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) } }
        append(UInt32(headers.count))
        for header in headers {
            let name = Array(header.name.utf8)
            append(UInt32(name.count))
            bytes += name
            append(UInt32(header.value.count))
            bytes += header.value
        }
        return bytes
    }

    package static func decode(_ bytes: [UInt8]) -> [RecordHeader]? {
        var position = 0
        func read() -> UInt32? {
            guard bytes.count - position >= 4 else { return nil }
            defer { position += 4 }
            return UInt32(bytes[position]) | UInt32(bytes[position + 1]) << 8 | UInt32(bytes[position + 2]) << 16
                | UInt32(bytes[position + 3]) << 24
        }
        func take(_ count: UInt32) -> [UInt8]? {
            guard bytes.count - position >= Int(count) else { return nil }
            defer { position += Int(count) }
            return Array(bytes[position..<(position + Int(count))])
        }
        guard let count = read() else { return nil }
        var headers: [RecordHeader] = []
        for _ in 0..<count {
            guard let nameLength = read(), let name = take(nameLength), let valueLength = read(), let value = take(valueLength),
                let text = String(validating: name, as: UTF8.self)
            else { return nil }
            headers.append(RecordHeader(text, bytes: value))
        }
        return position == bytes.count ? headers : nil
    }
}
