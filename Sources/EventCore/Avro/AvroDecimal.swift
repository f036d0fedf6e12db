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
        // A price's text is a small string: its bytes straight from the string's two words.
        if let (low, high, count) = SmallASCIIString.littleEndianWords(of: decimal.text) {
            var words = (low.littleEndian, high.littleEndian)
            return withUnsafeBytes(of: &words) { raw in
                unscaled(utf8: UnsafeBufferPointer(start: raw.baseAddress?.assumingMemoryBound(to: UInt8.self), count: count), scale: scale, precision: precision)
            }
        }
        var text = decimal.text
        return text.withUTF8 { unscaled(utf8: $0, scale: scale, precision: precision) }
    }

    static func unscaled(utf8 bytes: UnsafeBufferPointer<UInt8>, scale: Int, precision: Int) -> Int128? {
        if let fast = plainUnscaled(utf8: bytes, scale: scale, precision: precision) { return fast }
        return generalUnscaled(utf8: bytes, scale: scale, precision: precision)
    }

    /// `10^n` for n in 0...38.
    static let powersOfTen: [UInt128] = (0...38).map { (0..<$0).reduce(UInt128(1)) { result, _ in result * 10 } }

    /// `unscaled` for the common form, `-?digits(.digits)?` with at most `precision` significant
    /// digits, in one pass with no allocation; nil (never a wrong value) for any other form, which
    /// the general path reads. Through the general path a price cost ~1,100 instructions to
    /// encode (callgrind), this ~60.
    @inline(__always)
    static func plainUnscaled(utf8 bytes: UnsafeBufferPointer<UInt8>, scale: Int, precision: Int) -> Int128? {
        var index = 0
        let negative = bytes.first == UInt8(ascii: "-")
        if negative { index = 1 }
        // Digits gather in 64 bits (19 of them cannot overflow), then in 128 past that.
        var small: UInt64 = 0
        var value: UInt128 = 0
        var significant = 0
        var fraction = 0
        var inFraction = false
        var sawDigit = false
        while index < bytes.count {
            let byte = bytes[index]
            let digit = byte &- UInt8(ascii: "0")
            if digit <= 9 {
                sawDigit = true
                if significant > 0 || digit != 0 { significant &+= 1 }
                if significant <= 19 {
                    small = small &* 10 &+ UInt64(digit)
                } else {
                    guard significant <= precision else { return nil }
                    if significant == 20 { value = UInt128(small) }
                    value = value &* 10 &+ UInt128(digit)
                }
                if inFraction { fraction &+= 1 }
            } else if byte == UInt8(ascii: "."), !inFraction {
                inFraction = true
            } else {
                return nil  // an exponent, or no number: the general path
            }
            index &+= 1
        }
        if significant <= 19 { value = UInt128(small) }
        guard sawDigit, precision <= 38 else { return nil }
        if fraction > scale {
            let divisor = powersOfTen[fraction - scale]
            guard value % divisor == 0 else { return nil }
            value /= divisor
        } else if fraction < scale {
            let shift = scale - fraction
            guard significant + shift <= precision else { return nil }
            value *= powersOfTen[shift]
        }
        return negative ? -Int128(value) : Int128(value)
    }

    static func generalUnscaled(utf8 bytes: UnsafeBufferPointer<UInt8>, scale: Int, precision: Int) -> Int128? {
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
        guard let base = UnsafeMutableRawPointer(buffer.baseAddress), buffer.count >= 16 else { return 0 }
        base.storeBytes(of: value.bigEndian, as: Int128.self)
        return minimalByteCount(value)
    }

    /// How many bytes of two's complement keep `value`'s sign: one more than its significant bits
    /// need, in whole bytes.
    @inline(__always)
    static func minimalByteCount(_ value: Int128) -> Int {
        let significantBits = 128 - (value < 0 ? ~value : value).leadingZeroBitCount
        return significantBits / 8 + 1
    }

    /// Whether every value of `byteCount` bytes of two's complement has at most `precision`
    /// digits, so that its text need not be looked at: |value| ≤ 2^(8·byteCount − 1), and
    /// (8·byteCount − 1)·log10(2) < precision (0.30103 > log10(2): never a wrong yes). Any decimal
    /// of up to 15 bytes for `decimal(38, …)`. Why: `fits` walks the text's UTF-8, 124
    /// instructions a decimal, 12% of decoding PaymentCompleted from Avro (callgrind).
    @inline(__always)
    static func fitsAnyValue(byteCount: Int, precision: Int) -> Bool {
        (8 &* byteCount &- 1) &* 30_103 < precision &* 100_000
    }

    /// Whether `text` (as `text(twosComplement:scale:)` writes it: no exponent, no leading zeros)
    /// has at most `precision - scale` integer digits: its unscaled value then has at most
    /// `precision` digits, as `decimal(precision, scale)` requires.
    static func fits(_ text: String, precision: Int, scale: Int) -> Bool {
        var integerDigits = 0
        for byte in text.utf8 {
            if byte == UInt8(ascii: ".") { break }
            if byte != UInt8(ascii: "-") { integerDigits += 1 }
        }
        if text.utf8.first == UInt8(ascii: "0") || text.utf8.starts(with: "-0".utf8) { integerDigits = 0 }
        return integerDigits <= precision - scale
    }

    /// The decimal text of big-endian two's complement `bytes` at `scale`: the shortest exact form
    /// (`19.9`, `-0.05`, `100`); nil when `bytes` is empty or longer than 64 bytes.
    static func text(twosComplement bytes: UnsafeBufferPointer<UInt8>, scale: Int) -> String? {
        guard let first = bytes.first, bytes.count <= 64 else { return nil }
        let negative = first & 0x80 != 0
        guard bytes.count <= 16, scale <= 38 else {
            return format(digits: decimalDigits(magnitudeOf: bytes, negative: negative), negative: negative, scale: scale)
        }
        var value: Int128 = negative ? -1 : 0
        for byte in bytes { value = value << 8 | Int128(byte) }
        return text(magnitude: value.magnitude, negative: negative, scale: scale)
    }

    /// `magnitude × 10^-scale` as the shortest exact text (`19.9`, `-0.05`, `100`), formatted in
    /// a stack buffer: one division splits the integer and fraction parts, each then written as a
    /// 64-bit integer. With arrays of digits this was ~1,200 instructions a price to decode
    /// (callgrind), ~120 now. Values whose integer part passes 64 bits take `format(digits:)`.
    static func text(magnitude: UInt128, negative: Bool, scale: Int) -> String {
        guard scale <= 19 else { return format(digits: slowDigits(magnitude), negative: negative, scale: scale) }
        let divisor = UInt64(powersOfTen[scale])
        let (integer, fraction) = divide(magnitude, by: divisor)
        guard let integer else { return format(digits: slowDigits(magnitude), negative: negative, scale: scale) }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 48) { buffer in
            var count = 0
            if negative && (integer != 0 || fraction != 0) {
                buffer[0] = UInt8(ascii: "-")
                count = 1
            }
            count = write(integer, into: buffer, at: count, width: 0)
            if fraction != 0 {
                // The fraction's digits, trailing zeros dropped, leading ones kept.
                var digits = fraction
                var width = scale
                while digits % 10 == 0 {
                    digits /= 10
                    width &-= 1
                }
                buffer[count] = UInt8(ascii: ".")
                count = write(digits, into: buffer, at: count &+ 1, width: width)
            }
            return UTF8Check.asciiString(UnsafeBufferPointer(rebasing: buffer[..<count]))
        }
    }

    /// `value / divisor` and the remainder with two 64-bit divisions; nil for the quotient when it
    /// passes 64 bits.
    @inline(__always)
    static func divide(_ value: UInt128, by divisor: UInt64) -> (UInt64?, UInt64) {
        let high = UInt64(truncatingIfNeeded: value >> 64)
        let low = UInt64(truncatingIfNeeded: value)
        guard high < divisor else { return (nil, 0) }
        let (quotient, remainder) = divisor.dividingFullWidth((high, low))
        return (quotient, remainder)
    }

    /// Writes `value`'s decimal digits at `start`, left-padded with zeros to `width`; returns the end.
    @inline(__always)
    static func write(_ value: UInt64, into buffer: UnsafeMutableBufferPointer<UInt8>, at start: Int, width: Int) -> Int {
        var length = 1
        var scan = value
        while scan >= 10 {
            scan /= 10
            length &+= 1
        }
        length = Swift.max(length, width)
        var rest = value
        var index = start &+ length
        while index > start {
            index &-= 1
            buffer[index] = UInt8(truncatingIfNeeded: rest % 10) &+ UInt8(ascii: "0")
            rest /= 10
        }
        return start &+ length
    }

    /// The digits of `magnitude`, most significant first: the slow path of `text`.
    static func slowDigits(_ magnitude: UInt128) -> [UInt8] {
        var rest = magnitude
        var digits: [UInt8] = []
        repeat {
            digits.append(UInt8(rest % 10))
            rest /= 10
        } while rest > 0
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
