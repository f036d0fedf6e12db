import EventTransport

/// A segment file read frame by frame: the complete batches from its start whose offsets follow
/// on, and what stopped the reading. Recovery, `verify` and `repair` all read segments this way,
/// so they agree on what is intact and what is damaged.
struct SegmentScan {
    /// The records of the intact part, in offset order.
    var records: [RecordCodec.Decoded] = []
    /// The intact part's bytes: `0..<intactBytes` holds whole batches only.
    var intactBytes = 0
    /// Where reading stopped: the first frame that is torn, corrupt, out of order, or the start
    /// of a batch that never finished. Equal to the file size when the file is whole.
    var stoppedAt = 0
    /// A frame with a good checksum whose content is wrong (it does not parse, its offset does
    /// not follow, a batch restarts halfway): damage, never something a crash leaves.
    var corruptFrame = false
    /// Where intact frames resume after the damage, if they do.
    var resumesAt: Int?
    /// The bytes after the last complete batch look like appends a crash interrupted.
    var looksTorn = true
    let size: Int

    var isWhole: Bool { intactBytes == size }

    /// Reads `bytes` from `start`, expecting the offsets to begin at `firstOffset` (nil: whatever
    /// the first frame says).
    init(_ bytes: UnsafeRawBufferPointer, from start: Int = 0, firstOffset: Int64?) {
        size = bytes.count
        intactBytes = start
        var position = start
        var expected = firstOffset
        var batch: (index: Int32, count: Int32)?
        var pending: [RecordCodec.Decoded] = []
        while position < bytes.count {
            guard let payload = RecordFraming.intactFrame(in: bytes, at: position) else { break }
            guard let decoded = RecordCodec.decode(bytes, payload: payload),
                expected.map({ decoded.offset == $0 }) ?? (decoded.batchIndex == 0),
                batch.map({ decoded.batchIndex == $0.index + 1 && decoded.batchCount == $0.count }) ?? (decoded.batchIndex == 0)
            else {
                corruptFrame = true
                break
            }
            pending.append(decoded)
            expected = decoded.offset + 1
            position = payload.upperBound
            if decoded.batchIndex == decoded.batchCount - 1 {
                records += pending
                pending.removeAll(keepingCapacity: true)
                intactBytes = position
                batch = nil
            } else {
                batch = (decoded.batchIndex, decoded.batchCount)
            }
        }
        stoppedAt = position
        if corruptFrame {
            resumesAt = position
        } else if position < bytes.count {
            resumesAt = RecordFraming.nextIntactFrame(in: bytes, after: position)
            looksTorn = RecordFraming.looksTorn(bytes, at: position, maximumPayload: RecordFraming.maximumPayload)
        }
    }

    /// The offset after the intact part.
    func nextOffset(base: Int64) -> Int64 { records.last.map { $0.offset + 1 } ?? base }
}
