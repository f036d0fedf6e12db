import Foundation

/// An instant with nanosecond precision, written as RFC 3339 in UTC (`2024-05-01T12:30:00.123Z`).
/// Reading accepts any offset (`+09:00`) and normalises to UTC.
public struct Timestamp: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var secondsSince1970: Int64
    /// 0 ..< 1_000_000_000
    public var nanoseconds: Int32

    public init(secondsSince1970: Int64, nanoseconds: Int32 = 0) {
        let carry = Int64(nanoseconds) / 1_000_000_000 - (nanoseconds < 0 ? 1 : 0)
        self.secondsSince1970 = secondsSince1970 + carry
        self.nanoseconds = Int32(Int64(nanoseconds) - carry * 1_000_000_000)
    }

    public init(millisecondsSince1970 millis: Int64) {
        self.init(secondsSince1970: millis / 1000 - (millis % 1000 < 0 ? 1 : 0),
                  nanoseconds: Int32(((millis % 1000) + 1000) % 1000) * 1_000_000)
    }

    public init(_ date: Date) {
        let interval = date.timeIntervalSince1970
        let seconds = interval.rounded(.down)
        self.init(secondsSince1970: Int64(seconds), nanoseconds: Int32(((interval - seconds) * 1e9).rounded()))
    }

    public static var now: Timestamp { Timestamp(Date()) }

    public var date: Date { Date(timeIntervalSince1970: Double(secondsSince1970) + Double(nanoseconds) / 1e9) }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        (lhs.secondsSince1970, lhs.nanoseconds) < (rhs.secondsSince1970, rhs.nanoseconds)
    }

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
            var divisor = 1
            for _ in 1..<digits { divisor *= 10 }
            while divisor > 0 {
                out.append(UInt8(fraction / divisor % 10) + 0x30)
                divisor /= 10
            }
        }
        out.append(UInt8(ascii: "Z"))
    }

    static func append2(_ value: Int, to out: inout FixedText) {
        out.append(UInt8(value / 10) + 0x30)
        out.append(UInt8(value % 10) + 0x30)
    }

    /// Reads RFC 3339 `date-time`; nil for anything else (including a missing offset).
    public init?(rfc3339 text: [UInt8]) {
        guard let value = text.withUnsafeBufferPointer({ Timestamp(rfc3339Buffer: $0) }) else { return nil }
        self = value
    }

    init?(rfc3339Buffer bytes: UnsafeBufferPointer<UInt8>) {
        guard bytes.count >= 20, let date = LocalDate(isoBuffer: UnsafeBufferPointer(rebasing: bytes[0..<10])),
            bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: "t"),
            let hour = Self.number(bytes, 11, 2), bytes[13] == UInt8(ascii: ":"), let minute = Self.number(bytes, 14, 2),
            bytes[16] == UInt8(ascii: ":"), let second = Self.number(bytes, 17, 2),
            hour <= 23, minute <= 59, second <= 60
        else { return nil }
        var index = 19
        var nanos: Int64 = 0
        if bytes[index] == UInt8(ascii: ".") {
            index += 1
            var scale: Int64 = 100_000_000
            let start = index
            while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 {
                nanos += Int64(bytes[index] - 0x30) * scale
                scale /= 10
                index += 1
            }
            guard index > start else { return nil }
        }
        guard index < bytes.count else { return nil }
        var offset: Int64 = 0
        switch bytes[index] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            guard index + 1 == bytes.count else { return nil }
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard bytes.count == index + 6, let offsetHour = Self.number(bytes, index + 1, 2),
                bytes[index + 3] == UInt8(ascii: ":"), let offsetMinute = Self.number(bytes, index + 4, 2),
                offsetHour <= 23, offsetMinute <= 59
            else { return nil }
            offset = Int64(offsetHour * 3600 + offsetMinute * 60) * (bytes[index] == UInt8(ascii: "+") ? 1 : -1)
        default:
            return nil
        }
        let seconds = date.daysSince1970 * 86_400 + Int64(hour * 3600 + minute * 60 + second) - offset
        self.init(secondsSince1970: seconds, nanoseconds: Int32(nanos))
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
    public var year: Int
    public var month: Int
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

    func writeISO(into out: inout FixedText) {
        Timestamp.append2(year / 100, to: &out)
        Timestamp.append2(year % 100, to: &out)
        out.append(UInt8(ascii: "-"))
        Timestamp.append2(month, to: &out)
        out.append(UInt8(ascii: "-"))
        Timestamp.append2(day, to: &out)
    }

    public var description: String { String(decoding: isoBytes, as: UTF8.self) }

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

    mutating func append(_ byte: UInt8) {
        buffer[count] = byte
        count += 1
    }
}
