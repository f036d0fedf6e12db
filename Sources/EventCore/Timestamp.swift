import Foundation

/// An instant with nanosecond precision, written as RFC 3339 in UTC (`2024-05-01T12:30:00.123Z`).
/// Reading accepts any offset (`+09:00`) and normalises to UTC.
public struct Timestamp: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// Whole seconds since 1970-01-01T00:00:00Z (negative before it).
    public var secondsSince1970: Int64
    /// 0 ..< 1_000_000_000
    public var nanoseconds: Int32

    /// An instant; nanoseconds outside 0 ..< 1_000_000_000 carry into the seconds.
    public init(secondsSince1970: Int64, nanoseconds: Int32 = 0) {
        let carry = Int64(nanoseconds) / 1_000_000_000 - (nanoseconds < 0 ? 1 : 0)
        self.secondsSince1970 = secondsSince1970 + carry
        self.nanoseconds = Int32(Int64(nanoseconds) - carry * 1_000_000_000)
    }

    /// An instant from milliseconds since 1970 (a Kafka record's timestamp).
    public init(millisecondsSince1970 millis: Int64) {
        self.init(secondsSince1970: millis / 1000 - (millis % 1000 < 0 ? 1 : 0),
                  nanoseconds: Int32(((millis % 1000) + 1000) % 1000) * 1_000_000)
    }

    /// The instant of `date`, to the nearest nanosecond a `Double` holds.
    public init(_ date: Date) {
        let interval = date.timeIntervalSince1970
        let seconds = interval.rounded(.down)
        self.init(secondsSince1970: Int64(seconds), nanoseconds: Int32(((interval - seconds) * 1e9).rounded()))
    }

    /// The current instant.
    public static var now: Timestamp { Timestamp(Date()) }

    /// The seconds of the instants RFC 3339 can write: the years 0000 to 9999.
    public static let rfc3339Range: ClosedRange<Int64> = -62_167_219_200...253_402_300_799

    /// The instant as a `Date` (to a `Double`'s precision, about a microsecond today).
    public var date: Date { Date(timeIntervalSince1970: Double(secondsSince1970) + Double(nanoseconds) / 1e9) }

    /// Earlier instants first.
    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        (lhs.secondsSince1970, lhs.nanoseconds) < (rhs.secondsSince1970, rhs.nanoseconds)
    }

    /// The RFC 3339 text, in UTC.
    public var description: String { String(decoding: rfc3339Bytes, as: UTF8.self) }

    /// `YYYY-MM-DDTHH:MM:SS[.fraction]Z`, the fraction as short as exactness allows (3, 6 or 9 digits).
    public var rfc3339Bytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(30)
        appendRFC3339(to: &out)
        return out
    }

    /// Formats into a stack buffer and appends once (see `UUIDText.append`).
    func appendRFC3339(to out: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32) { buffer in
            var text = FixedText(buffer: buffer)
            writeRFC3339(into: &text)
            out.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[..<text.count]))
        }
    }

    func writeRFC3339(into out: inout FixedText) {
        let days = secondsSince1970 >= 0 ? secondsSince1970 / 86_400 : (secondsSince1970 - 86_399) / 86_400
        let secondOfDay = secondsSince1970 - days * 86_400
        LocalDate(daysSince1970: days).writeISO(into: &out)
        out.append(UInt8(ascii: "T"))
        Self.append2(Int(secondOfDay / 3600), to: &out)
        out.append(UInt8(ascii: ":"))
        Self.append2(Int(secondOfDay / 60 % 60), to: &out)
        out.append(UInt8(ascii: ":"))
        Self.append2(Int(secondOfDay % 60), to: &out)
        if nanoseconds != 0 {
            var digits = 9
            var fraction = Int(nanoseconds)
            while digits > 3, fraction % 1000 == 0 {
                fraction /= 1000
                digits -= 3
            }
            out.append(UInt8(ascii: "."))
            // Digits from the last, in place: one division by a constant each.
            let first = out.count
            for _ in 0..<digits { out.append(0) }
            for place in stride(from: first + digits - 1, through: first, by: -1) {
                out.buffer[place] = UInt8(truncatingIfNeeded: fraction % 10) &+ 0x30
                fraction /= 10
            }
        }
        out.append(UInt8(ascii: "Z"))
    }

    /// Two digits of `value` (0…99). Inlined, as `FixedText.append`: a call per pair was a fifth
    /// of encoding a PaymentCompleted (callgrind).
    @inline(__always)
    static func append2(_ value: Int, to out: inout FixedText) {
        let tens = (value &* 205) &>> 11  // value / 10 for 0…1028, without a division
        out.append(UInt8(truncatingIfNeeded: tens) &+ 0x30)
        out.append(UInt8(truncatingIfNeeded: value &- tens &* 10) &+ 0x30)
    }

    /// Reads RFC 3339 `date-time`; nil for anything else (including a missing offset).
    public init?(rfc3339 text: [UInt8]) {
        guard let value = text.withUnsafeBufferPointer({ Timestamp(rfc3339Buffer: $0) }) else { return nil }
        self = value
    }

    init?(rfc3339Buffer bytes: UnsafeBufferPointer<UInt8>) {
        guard let (value, length) = Self.parseRFC3339(prefixOf: bytes), length == bytes.count else { return nil }
        self = value
    }

    /// The RFC 3339 `date-time` at the start of `bytes` and how many bytes it takes; nil when they
    /// do not start with one. Decoders call it on the bytes after a string's opening quote and
    /// need no scan for the closing one: no byte of a timestamp needs escaping.
    ///
    /// The fixed part (`YYYY-MM-DDTHH:MM:SS`) is checked without a branch per byte: a third of
    /// decoding PaymentCompleted was this parse with a checked call per two digits (callgrind).
    static func parseRFC3339(prefixOf bytes: UnsafeBufferPointer<UInt8>) -> (Timestamp, Int)? {
        guard bytes.count >= 20, let base = bytes.baseAddress else { return nil }
        var notDigits: UInt32 = 0
        /// The digit at `offset`; a byte that is no digit sets bit 7 or 8 of `notDigits`.
        @inline(__always) func digit(_ offset: Int) -> Int {
            let value = UInt32(base[offset] &- 0x30)
            notDigits |= (value &+ 0x76) & 0x180
            return Int(value)
        }
        @inline(__always) func two(_ offset: Int) -> Int { digit(offset) &* 10 &+ digit(offset &+ 1) }
        let year = two(0) &* 100 &+ two(2)
        let (month, day, hour, minute, second) = (two(5), two(8), two(11), two(14), two(17))
        let separators = (base[4] ^ 0x2D) | (base[7] ^ 0x2D) | ((base[10] | 0x20) ^ 0x74) | (base[13] ^ 0x3A) | (base[16] ^ 0x3A)
        guard notDigits == 0, separators == 0, month >= 1, month <= 12, day >= 1, day <= LocalDate.days(inMonth: month, year: year),
            hour <= 23, minute <= 59, second <= 60
        else { return nil }
        var index = 19
        var nanos: Int64 = 0
        if base[index] == UInt8(ascii: ".") {
            index += 1
            var scale: Int64 = 100_000_000
            let start = index
            while index < bytes.count, base[index] >= 0x30, base[index] <= 0x39 {
                nanos += Int64(base[index] - 0x30) * scale
                scale /= 10
                index += 1
            }
            guard index > start else { return nil }
        }
        guard index < bytes.count else { return nil }
        var offset: Int64 = 0
        switch base[index] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            index += 1
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard bytes.count >= index + 6, let offsetHour = Self.number(bytes, index + 1, 2),
                base[index + 3] == UInt8(ascii: ":"), let offsetMinute = Self.number(bytes, index + 4, 2),
                offsetHour <= 23, offsetMinute <= 59
            else { return nil }
            offset = Int64(offsetHour * 3600 + offsetMinute * 60) * (base[index] == UInt8(ascii: "+") ? 1 : -1)
            index += 6
        default:
            return nil
        }
        let days = LocalDate(uncheckedYear: year, month: month, day: day).daysSince1970
        let seconds = days * 86_400 + Int64(hour * 3600 + minute * 60 + second) - offset
        return (Timestamp(secondsSince1970: seconds, nanoseconds: Int32(nanos)), index)
    }

    static func number(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ count: Int) -> Int? {
        guard start + count <= bytes.count else { return nil }
        var value = 0
        for byte in bytes[start..<start + count] {
            guard byte >= 0x30, byte <= 0x39 else { return nil }
            value = value * 10 + Int(byte - 0x30)
        }
        return value
    }
}

/// A calendar date without a time zone (`2024-05-01`).
public struct LocalDate: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The year, 0000 to 9999 when read from text.
    public var year: Int
    /// 1 to 12.
    public var month: Int
    /// 1 to 31, as the month has.
    public var day: Int

    /// nil unless it is a real calendar day.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), day >= 1, day <= Self.days(inMonth: month, year: year), (0...9999).contains(year) else {
            return nil
        }
        self.year = year
        self.month = month
        self.day = day
    }

    /// For literals in generated code, which the generator has already checked are real days.
    public init(uncheckedYear year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    init?(isoBuffer bytes: UnsafeBufferPointer<UInt8>) {
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
            let year = Timestamp.number(bytes, 0, 4), let month = Timestamp.number(bytes, 5, 2),
            let day = Timestamp.number(bytes, 8, 2)
        else { return nil }
        self.init(year: year, month: month, day: day)
    }

    /// A `YYYY-MM-DD` date; nil for anything else, or a day the calendar lacks.
    public init?(iso text: String) {
        var text = text
        guard let value = text.withUTF8({ LocalDate(isoBuffer: $0) }) else { return nil }
        self = value
    }

    /// Howard Hinnant's civil_from_days.
    public init(daysSince1970 days: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        year = Int(yoe + era * 400 + (m <= 2 ? 1 : 0))
        month = Int(m)
        day = Int(d)
    }

    /// Howard Hinnant's days_from_civil.
    public var daysSince1970: Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * Int64(month + (month > 2 ? -3 : 9)) + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The `YYYY-MM-DD` text's bytes.
    public var isoBytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(10)
        appendISO(to: &out)
        return out
    }

    func appendISO(to out: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 10) { buffer in
            var text = FixedText(buffer: buffer)
            writeISO(into: &text)
            out.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[..<text.count]))
        }
    }

    @inline(__always)
    func writeISO(into out: inout FixedText) {
        Timestamp.append2(year / 100, to: &out)
        Timestamp.append2(year % 100, to: &out)
        out.append(UInt8(ascii: "-"))
        Timestamp.append2(month, to: &out)
        out.append(UInt8(ascii: "-"))
        Timestamp.append2(day, to: &out)
    }

    /// The `YYYY-MM-DD` text.
    public var description: String { String(decoding: isoBytes, as: UTF8.self) }

    /// Earlier dates first.
    public static func < (lhs: LocalDate, rhs: LocalDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    static func days(inMonth month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}

/// A cursor over a stack buffer big enough for what is written (callers size it).
struct FixedText {
    let buffer: UnsafeMutableBufferPointer<UInt8>
    var count = 0

    init(buffer: UnsafeMutableBufferPointer<UInt8>) { self.buffer = buffer }

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        buffer[count] = byte
        count &+= 1
    }
}
