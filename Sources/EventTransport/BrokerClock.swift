import EventCore
import Foundation

/// Where the broker reads the time for record timestamps, retention and session timeouts.
/// Tests use EventTestKit's `ManualClock` to expire a session or a segment without waiting.
public protocol BrokerClock: Sendable {
    /// Milliseconds since 1970.
    func milliseconds() -> Int64
}

/// The wall clock: what a broker uses outside tests.
public struct SystemClock: BrokerClock {
    /// The wall clock.
    public init() {}

    /// Milliseconds since 1970, now.
    public func milliseconds() -> Int64 {
        WallClock.millisecondsSince1970()
    }
}
