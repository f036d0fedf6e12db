import EventCore
import Foundation
import Synchronization

/// Where the broker reads the time for record timestamps, retention and session timeouts.
/// Tests use `ManualClock` to expire a session or a segment without waiting.
public protocol BrokerClock: Sendable {
    /// Milliseconds since 1970.
    func milliseconds() -> Int64
}

public struct SystemClock: BrokerClock {
    public init() {}

    public func milliseconds() -> Int64 {
        WallClock.millisecondsSince1970()
    }
}

/// A clock that moves only when told to.
public final class ManualClock: BrokerClock {
    private let now: Mutex<Int64>

    public init(milliseconds: Int64 = 1_700_000_000_000) {
        now = Mutex(milliseconds)
    }

    public func milliseconds() -> Int64 { now.withLock { $0 } }

    public func advance(by duration: Duration) {
        now.withLock { $0 += duration.milliseconds }
    }
}
