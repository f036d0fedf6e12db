import EventCore
import EventTransport
import Synchronization

/// A clock that moves only when told to: a broker given one expires sessions, transactions and
/// retention only when the test advances it.
public final class ManualClock: BrokerClock {
    private let now: Mutex<Int64>

    /// A clock at `milliseconds` since 1970 (by default a fixed moment of November 2023, so runs
    /// repeat).
    public init(milliseconds: Int64 = 1_700_000_000_000) {
        now = Mutex(milliseconds)
    }

    /// The time it was set to, in milliseconds since 1970.
    public func milliseconds() -> Int64 { now.withLock { $0 } }

    /// Moves the time forward by `duration`.
    public func advance(by duration: Duration) {
        now.withLock { $0 += duration.milliseconds }
    }
}
