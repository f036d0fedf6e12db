import CPrefetch
import EventCore

/// Prefetching for loops over records a poll has not touched yet.
///
/// A record's key, value, headers and each header value are separate heap objects, written long
/// before they are read (the broker keeps them until retention). Reading one, or retaining it,
/// misses the cache, and a loop over records waited on up to ten misses per record, one at a time.
/// Started a few records ahead, the loads overlap with the work in hand.
///
/// Fields are read as raw words, not as arrays: a copy of an array (or of the record) would
/// retain it, which is the very miss to avoid.
package enum Prefetch {
    /// Starts loading the first `lines` cache lines of the storage object of the array stored at
    /// `base + offset`: its header (count, reference count) and first elements.
    @inlinable @inline(__always)
    package static func storage(at base: UnsafeRawPointer, offset: Int?, lines: Int = 1) {
        guard let object = storageObject(at: base, offset: offset) else { return }
        for line in 0..<lines { eventcontracts_prefetch_for_write(object + 64 * line) }
    }

    /// The storage object of the array (or optional array) stored at `base + offset`: an array is
    /// one reference to it (without Objective-C bridging), and nil is zero. A hint only: if the
    /// layout were not the one assumed, nothing would break (a prefetch never faults), the
    /// prefetch would be wasted; a test pins the assumption.
    @inlinable @inline(__always)
    package static func storageObject(at base: UnsafeRawPointer, offset: Int?) -> UnsafeRawPointer? {
        guard let offset else { return nil }
        return base.load(fromByteOffset: offset, as: UnsafeRawPointer?.self)
    }
}
