import EventRuntime
import Synchronization

/// A toy database: one transaction at a time, each working on a copy of the state that replaces
/// it when the transaction commits, so a transaction that throws leaves nothing behind.
public final class MemoryDatabase: Sendable {
    /// Everything the database holds.
    public struct State: Sendable {
        /// Outbox rows, oldest first.
        var outbox: [(id: Int64, record: OutgoingRecord, sentAt: Int64?)] = []
        var nextRowId: Int64 = 1
        /// Event ids each group processed.
        var processed: Set<String> = []
        /// The application's rows: here, the effects the handlers wrote.
        public var effects: [(key: String, event: Int)] = []
    }

    let committed = Mutex(State())
    private let lock = TransactionLock()

    /// An empty database.
    public init() {}

    /// The transaction the inbox runs the current handler in: handlers write through it.
    public static let handlerTransaction = InboxTransaction<MemoryTransaction>(inbox: "MemoryInbox", construction: "MemoryInbox(database:)")

    /// Runs `body` in a transaction: its writes are kept when it returns, dropped when it throws.
    public func transaction<Result: Sendable>(_ body: (MemoryTransaction) async throws -> Result) async throws -> Result {
        await lock.lock()
        let transaction = MemoryTransaction(committed.withLock { $0 })
        do {
            let result = try await body(transaction)
            committed.withLock { $0 = transaction.state.withLock { $0 } }
            lock.unlock()
            return result
        } catch {
            lock.unlock()
            throw error
        }
    }

    /// The committed state, read outside any transaction.
    public func read<Value>(_ body: (State) -> Value) -> Value { committed.withLock { body($0) } }
}

/// One transaction's copy of the state.
public final class MemoryTransaction: Sendable {
    let state: Mutex<MemoryDatabase.State>

    init(_ state: MemoryDatabase.State) { self.state = Mutex(state) }

    /// Changes the transaction's copy.
    public func write<Value>(_ body: (inout MemoryDatabase.State) -> Value) -> Value { state.withLock { body(&$0) } }
}

/// Serialises transactions without blocking a thread: waiters are resumed one at a time.
final class TransactionLock: Sendable {
    private let state = Mutex<(locked: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    func lock() async {
        await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
            let acquired = state.withLock { state -> Bool in
                if !state.locked {
                    state.locked = true
                    return true
                }
                state.waiters.append(waiter)
                return false
            }
            if acquired { waiter.resume() }
        }
    }

    func unlock() {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if state.waiters.isEmpty {
                state.locked = false
                return nil
            }
            return state.waiters.removeFirst()
        }
        next?.resume()
    }
}
