/// The contract's `decimal` on Avro's wire: the `decimal` logical type on bytes, precision 38 and
/// scale 18 (what `eventc export avro` declares, and what BigDecimal and Python's Decimal read):
/// the unscaled value as big-endian two's complement.
///
/// Avro carries the number, not its text: `19.90` is written as 19.9 × 10¹⁸ and reads back as
/// `19.9` (trailing fraction zeros and exponents are not kept). A value with more than 18
/// fraction digits or 20 integer digits is refused, never rounded.
public enum AvroDecimal {
    /// The precision `eventc export avro` declares.
    public static let precision = 38
    /// The scale `eventc export avro` declares.
    public static let scale = 18

    /// `decimal × 10^scale` as an integer, nil when that is no integer or has more than
    /// `precision` digits.
    public static func unscaled(_ decimal: ExactDecimal, scale: Int, precision: Int) -> Int128? {
        var text = decimal.text
        return text.withUTF8 { unscaled(utf8: $0, scale: scale, precision: precision) }
    }

    static func unscaled(utf8 bytes: UnsafeBufferPointer<UInt8>, scale: Int, precision: Int) -> Int128? {
        var index = 0
        let negative = index < bytes.count && bytes[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        // The significant digits (leading zeros dropped) and the power of ten they are scaled by.
        var digits: [UInt8] = []
        var fractionDigits = 0
        var inFraction = false
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: ".") {
                inFraction = true
            } else if byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                if !(digits.isEmpty && byte == UInt8(ascii: "0")) { digits.append(byte - UInt8(ascii: "0")) }
                if inFraction { fractionDigits += 1 }
            } else {
                break
            }
            index += 1
        }
        var exponent = 0
        if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            let negativeExponent = index < bytes.count && bytes[index] == UInt8(ascii: "-")
            if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") { index += 1 }
            while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
                exponent = exponent * 10 + Int(bytes[index] - UInt8(ascii: "0"))
                if exponent > 10_000 { return digits.isEmpty ? 0 : nil }
                index += 1
            }
            if negativeExponent { exponent = -exponent }
        }
        if digits.isEmpty { return 0 }
        // unscaled = digits × 10^shift
        let shift = exponent - fractionDigits + scale
        if shift < 0 {
            let dropped = digits.suffix(Swift.min(-shift, digits.count))
            guard dropped.count == -shift, dropped.allSatisfy({ $0 == 0 }) else { return nil }
            digits.removeLast(-shift)
        } else {
            guard digits.count + shift <= precision else { return nil }
            digits += repeatElement(0, count: shift)
        }
        guard digits.count <= precision else { return nil }
        var value: Int128 = 0
        for digit in digits { value = value * 10 + Int128(digit) }
        return negative ? -value : value
    }

    /// The bytes Avro carries `decimal` as (`decimal(38, 18)`), nil when it cannot carry it.
    public static func bytes(of decimal: ExactDecimal) -> [UInt8]? {
        guard let unscaled = unscaled(decimal, scale: scale, precision: precision) else { return nil }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 16) { buffer in
            let count = twosComplement(unscaled, into: buffer)
            return Array(buffer[(16 - count)...])
        }
    }

    /// Writes `value` as big-endian two's complement at the end of `buffer` (16 bytes), in as
    /// few bytes as keep its sign; returns how many.
    static func twosComplement(_ value: Int128, into buffer: UnsafeMutableBufferPointer<UInt8>) -> Int {
        var rest = value
        for index in stride(from: 15, through: 0, by: -1) {
            buffer[index] = UInt8(truncatingIfNeeded: rest)
            rest >>= 8
        }
        var start = 0
        // Drop leading bytes that only repeat the sign of the byte after them.
        while start < 15,
            (buffer[start] == 0 && buffer[start + 1] & 0x80 == 0) || (buffer[start] == 0xFF && buffer[start + 1] & 0x80 != 0)
        {
            start += 1
        }
        return 16 - start
    }

    /// The decimal text of big-endian two's complement `bytes` at `scale`: the shortest exact form
    /// (`19.9`, `-0.05`, `100`); nil when `bytes` is empty or longer than 64 bytes.
    static func text(twosComplement bytes: UnsafeBufferPointer<UInt8>, scale: Int) -> String? {
        guard let first = bytes.first, bytes.count <= 64 else { return nil }
        let negative = first & 0x80 != 0
        var digits: [UInt8]
        if bytes.count <= 16 {
            var value: Int128 = negative ? -1 : 0
            for byte in bytes { value = value << 8 | Int128(byte) }
            digits = decimalDigits(value.magnitude)
        } else {
            digits = decimalDigits(magnitudeOf: bytes, negative: negative)
        }
        return format(digits: digits, negative: negative, scale: scale)
    }

    /// The digits of `magnitude`, most significant first (at least one).
    static func decimalDigits(_ magnitude: UInt128) -> [UInt8] {
        var rest = magnitude
        var digits: [UInt8] = []
        digits.reserveCapacity(40)
        // Nineteen digits per 64-bit division where the value allows it.
        while rest > UInt128(UInt64.max) {
            let (quotient, remainder) = rest.quotientAndRemainder(dividingBy: 10_000_000_000_000_000_000)
            var chunk = UInt64(remainder)
            for _ in 0..<19 {
                digits.append(UInt8(chunk % 10))
                chunk /= 10
            }
            rest = quotient
        }
        var small = UInt64(rest)
        repeat {
            digits.append(UInt8(small % 10))
            small /= 10
        } while small > 0
        while digits.count > 1, digits.last == 0 { digits.removeLast() }
        return digits.reversed()
    }

    /// The digits of a long two's complement magnitude: repeated division of 32-bit limbs.
    static func decimalDigits(magnitudeOf bytes: UnsafeBufferPointer<UInt8>, negative: Bool) -> [UInt8] {
        var magnitude = bytes.map { negative ? ~$0 : $0 }
        if negative {  // two's complement: invert and add one
            for index in magnitude.indices.reversed() {
                magnitude[index] &+= 1
                if magnitude[index] != 0 { break }
            }
        }
        var limbs: [UInt32] = stride(from: magnitude.count, to: 0, by: -4).map { end in
            magnitude[Swift.max(0, end - 4)..<end].reduce(0) { $0 << 8 | UInt32($1) }
        }.reversed()
        var digits: [UInt8] = []
        while limbs.contains(where: { $0 != 0 }) {
            var remainder: UInt64 = 0
            for index in limbs.indices {
                let current = remainder << 32 | UInt64(limbs[index])
                limbs[index] = UInt32(current / 10)
                remainder = current % 10
            }
            digits.append(UInt8(remainder))
        }
        return digits.isEmpty ? [0] : digits.reversed()
    }

    /// `digits × 10^-scale` as text, trailing fraction zeros dropped.
    static func format(digits: [UInt8], negative: Bool, scale: Int) -> String {
        var integer = digits.count > scale ? Array(digits[..<(digits.count - scale)]) : [0]
        var fraction = digits.count > scale ? Array(digits[(digits.count - scale)...]) : Array(repeating: 0, count: scale - digits.count) + digits
        while fraction.last == 0 { fraction.removeLast() }
        while integer.count > 1, integer.first == 0 { integer.removeFirst() }
        let isZero = integer == [0] && fraction.isEmpty
        var text: [UInt8] = negative && !isZero ? [UInt8(ascii: "-")] : []
        text += integer.map { $0 + UInt8(ascii: "0") }
        if !fraction.isEmpty { text += [UInt8(ascii: ".")] + fraction.map { $0 + UInt8(ascii: "0") } }
        return text.withUnsafeBufferPointer { UTF8Check.asciiString($0) }
    }
}
