import EventTransport

/// A record's bytes inside its frame in a segment file:
/// offset i64 · timestamp i64 · producer id i64 · epoch i16 · sequence i32 · index in batch i32 ·
/// batch size i32 · flags u8 · key · value · header count i32 · (name, value)…
/// Each record carries its batch position, so recovery can drop a batch that was cut halfway.
enum RecordCodec {
    struct Decoded {
        var offset: Int64
        var record: StoredRecord
        var sequence: Int32
        var batchIndex: Int32
        var batchCount: Int32
    }

    static func encode(
        _ record: StoredRecord, offset: Int64, sequence: Int32, batchIndex: Int32, batchCount: Int32,
        into writer: inout ByteWriter
    ) {
        let frame = writer.beginFrame()
        writer.write(offset)
        writer.write(record.timestamp)
        writer.write(record.producerId)
        writer.write(record.producerEpoch)
        writer.write(sequence)
        writer.write(batchIndex)
        writer.write(batchCount)
        writer.write(record.flags.subtracting(.aborted).rawValue)
        writer.write(bytes: record.key)
        writer.write(bytes: record.value)
        writer.write(Int32(record.headers.count))
        for header in record.headers {
            writer.write(string: header.name)
            writer.write(bytes: header.value)
        }
        writer.endFrame(frame)
    }

    /// nil when the payload does not parse (a frame with a good CRC but bad content: corruption).
    static func decode(_ bytes: UnsafeRawBufferPointer, payload: Range<Int>) -> Decoded? {
        var reader = ByteReader(bytes, range: payload)
        guard let offset: Int64 = reader.read(), let timestamp: Int64 = reader.read(),
            let producerId: Int64 = reader.read(), let epoch: Int16 = reader.read(),
            let sequence: Int32 = reader.read(), let batchIndex: Int32 = reader.read(),
            let batchCount: Int32 = reader.read(), let flags: UInt8 = reader.read(),
            let key = reader.readBytes(), case .some(.some(let value)) = reader.readBytes(),
            let headerCount: Int32 = reader.read(), headerCount >= 0
        else { return nil }
        var headers: [RecordHeader] = []
        for _ in 0..<headerCount {
            guard let name = reader.readString(), case .some(.some(let headerValue)) = reader.readBytes() else {
                return nil
            }
            headers.append(RecordHeader(name, bytes: headerValue))
        }
        guard reader.isAtEnd, batchCount > 0, batchIndex >= 0, batchIndex < batchCount else { return nil }
        let record = StoredRecord(
            timestamp: timestamp, key: key, value: value, headers: headers, producerId: producerId,
            producerEpoch: epoch, flags: StoredRecord.Flags(rawValue: flags).subtracting(.aborted))
        return Decoded(offset: offset, record: record, sequence: sequence, batchIndex: batchIndex, batchCount: batchCount)
    }
}
