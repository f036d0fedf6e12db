import EventTransport
import Foundation

/// Group commit: senders with `acks: all` wait here until an fsync covers their write. One thread
/// fsyncs every file written since its last pass, then releases every sender those writes
/// belonged to, so a thousand concurrent sends cost a few fsyncs, not a thousand.
///
/// It runs on its own thread because fsync blocks, and a blocked call must not hold a thread of
/// Swift's cooperative pool.
final class DurabilityFlusher: @unchecked Sendable {
    private let condition = NSCondition()
    // Guarded by `condition`.
    private var dirty: [ObjectIdentifier: DirtyFile] = [:]
    private var written: UInt64 = 0
    private var durable: UInt64 = 0
    private var waiters: [(ticket: UInt64, continuation: CheckedContinuation<Void, any Error>)] = []
    private var failure: TransportError?
    private var stopped = false
    private let interval: Duration?
    private let checkpointer: RecoveryCheckpointer?
    private var thread: Thread?

    /// A file written since the last pass, and for a segment, the log end its writes reach.
    private struct DirtyFile {
        var file: any StorageFile
        var logEnd: (partition: TopicPartition, offset: Int64)?
    }

    /// - Parameters:
    ///   - interval: also fsync dirty files this often when nobody waits (nil: only for waiters).
    ///   - checkpointer: told how far each partition is on disk after every pass.
    init(interval: Duration?, checkpointer: RecoveryCheckpointer?) {
        self.interval = interval
        self.checkpointer = checkpointer
        let thread = Thread { self.run() }
        thread.name = "eventcontracts.broker.fsync"
        self.thread = thread
        thread.start()
    }

    /// Called right after a write (under the broker's lock, so tickets follow write order); the
    /// ticket names that write. `logEnd` is the partition's log end after a segment write.
    func markWritten(_ file: any StorageFile, logEnd: (partition: TopicPartition, offset: Int64)? = nil) -> UInt64 {
        condition.lock()
        defer { condition.unlock() }
        dirty[ObjectIdentifier(file)] = DirtyFile(file: file, logEnd: logEnd)
        written += 1
        return written
    }

    /// Returns once an fsync that started after the write named by `ticket` has finished.
    func waitDurable(_ ticket: UInt64) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            condition.lock()
            if let failure {
                condition.unlock()
                continuation.resume(throwing: failure)
            } else if durable >= ticket {
                condition.unlock()
                continuation.resume()
            } else {
                waiters.append((ticket, continuation))
                condition.signal()
                condition.unlock()
            }
        }
    }

    /// Fsyncs whatever is dirty now, synchronously (for close and for rolling a segment).
    func flushNow() throws(TransportError) {
        condition.lock()
        let files = Array(dirty.values)
        let ticket = written
        dirty.removeAll()
        condition.unlock()
        let error = sync(files)
        release(upTo: ticket, error: error)
        if let error { throw error }
    }

    /// Flushes, ends the thread, and writes the recovery checkpoint a last time.
    func stop() {
        condition.lock()
        stopped = true
        condition.signal()
        condition.unlock()
        try? flushNow()
        try? checkpointer?.writeIfChanged()
    }

    /// Fsyncs the files, then advances the recovery points of the segments among them (only
    /// what was written before the pass began, so a point never passes unsynced records).
    private func sync(_ files: [DirtyFile]) -> TransportError? {
        var logEnds: [TopicPartition: Int64] = [:]
        for dirty in files {
            do throws(TransportError) { try dirty.file.sync() } catch { return error }
            if let logEnd = dirty.logEnd { logEnds[logEnd.partition] = max(logEnds[logEnd.partition] ?? 0, logEnd.offset) }
        }
        // The records are durable whether or not the checkpoint is written; a failed write is
        // retried on the next pass (the checkpoint only makes recovery stricter, never looser).
        if !logEnds.isEmpty { try? checkpointer?.advance(logEnds) }
        return nil
    }

    private func run() {
        var nextPeriodicPass = Date()
        condition.lock()
        while true {
            if stopped { break }
            if dirty.isEmpty || (waiters.isEmpty && interval == nil) {
                condition.wait()
                continue
            }
            if waiters.isEmpty, Date() < nextPeriodicPass {
                _ = condition.wait(until: nextPeriodicPass)
                continue
            }
            let files = Array(dirty.values)
            let ticket = written
            dirty.removeAll()
            condition.unlock()

            release(upTo: ticket, error: sync(files))
            if let interval { nextPeriodicPass = Date().addingTimeInterval(interval.seconds) }
            condition.lock()
        }
        condition.unlock()
    }

    private func release(upTo ticket: UInt64, error: TransportError?) {
        condition.lock()
        if let error { failure = error }
        durable = max(durable, ticket)
        var ready: [CheckedContinuation<Void, any Error>] = []
        let failed = failure != nil
        waiters.removeAll { waiter in
            guard waiter.ticket <= durable || failed else { return false }
            ready.append(waiter.continuation)
            return true
        }
        let failure = self.failure
        condition.unlock()
        for continuation in ready {
            if let failure { continuation.resume(throwing: failure) } else { continuation.resume() }
        }
    }
}

extension Duration {
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
