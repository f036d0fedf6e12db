/// A duration written in a contract: `100ms`, `30s`, `5m`, `12h`, `7d`.
public struct TimeSpan: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The duration in milliseconds.
    public var milliseconds: Int64

    /// A duration of `milliseconds`.
    public init(milliseconds: Int64) { self.milliseconds = milliseconds }

    /// Orders as the reports do.
    public static func < (lhs: TimeSpan, rhs: TimeSpan) -> Bool { lhs.milliseconds < rhs.milliseconds }

    private static let units: [(suffix: String, milliseconds: Int64)] = [
        ("ms", 1), ("s", 1_000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000),
    ]

    /// Reads `<digits><unit>`; nil for anything else, including values that overflow 64 bits.
    public static func parse(_ text: String) -> TimeSpan? {
        // "ms" must be tried before "m" and "s".
        for unit in units.sorted(by: { $0.suffix.count > $1.suffix.count }) where text.hasSuffix(unit.suffix) {
            let digits = text.dropLast(unit.suffix.count)
            guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
                let count = Int64(digits)
            else { return nil }
            let (product, overflow) = count.multipliedReportingOverflow(by: unit.milliseconds)
            return overflow ? nil : TimeSpan(milliseconds: product)
        }
        return nil
    }

    /// The shortest exact spelling: 7d, 90s, 100ms.
    public var description: String {
        for unit in Self.units.reversed() where milliseconds % unit.milliseconds == 0 && milliseconds != 0 {
            return "\(milliseconds / unit.milliseconds)\(unit.suffix)"
        }
        return "\(milliseconds)ms"
    }
}
