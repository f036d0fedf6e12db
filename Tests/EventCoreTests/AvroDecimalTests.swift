@testable import EventCore
import Testing

@Suite("Avro decimals")
struct AvroDecimalTests {
    @Test("decimal(38, 18): exact values in, the shortest exact text out", arguments: [
        ("0", "0"), ("-0", "0"), ("19.90", "19.9"), ("-0.05", "-0.05"), ("1e3", "1000"), ("1.5E-2", "0.015"), ("100", "100"),
        ("99999999999999999999.999999999999999999", "99999999999999999999.999999999999999999"),
        ("-99999999999999999999.999999999999999999", "-99999999999999999999.999999999999999999"),
        ("0.000000000000000001", "0.000000000000000001"), ("12.000000000000000000000", "12"), ("0e99999", "0"),
    ])
    func roundTrip(_ text: String, _ expected: String) throws {
        let bytes = try #require(AvroDecimal.bytes(of: ExactDecimal(text)!))
        let back = bytes.withUnsafeBufferPointer { AvroDecimal.text(twosComplement: $0, scale: AvroDecimal.scale) }
        #expect(back == expected)
    }

    @Test("values beyond decimal(38, 18) are refused, not rounded", arguments: [
        "0.0000000000000000001", "100000000000000000000", "1e21", "-1.0000000000000000001", "1e-19", "1e99999",
    ])
    func refused(_ text: String) {
        #expect(AvroDecimal.bytes(of: ExactDecimal(text)!) == nil)
    }

    @Test("two's complement of every width reads back; beyond 16 bytes through long division")
    func widths() throws {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        print("AvroDecimalTests.widths seed: \(state)")
        for _ in 0..<2000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let value = Int128(Int64(bitPattern: state)) * Int128(Int64(bitPattern: state >> 7 | 1)) >> Int((state >> 58))
            let bytes = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 16) { buffer in
                let count = AvroDecimal.twosComplement(value, into: buffer)
                return Array(buffer[(16 - count)...])
            }
            let text = bytes.withUnsafeBufferPointer { AvroDecimal.text(twosComplement: $0, scale: 0) }
            #expect(text == "\(value)")
            // The same value sign-extended to 24 bytes takes the long path.
            let wide = Array(repeating: value < 0 ? 0xFF : 0, count: 24 - bytes.count) + bytes
            #expect(wide.withUnsafeBufferPointer { AvroDecimal.text(twosComplement: $0, scale: 0) } == "\(value)")
        }
        let huge: [UInt8] = [0x01] + Array(repeating: 0, count: 20)  // 2^160
        #expect(huge.withUnsafeBufferPointer { AvroDecimal.text(twosComplement: $0, scale: 3) } == "1461501637330902918203684832716283019655932542.976")
        #expect([UInt8]().withUnsafeBufferPointer { AvroDecimal.text(twosComplement: $0, scale: 0) } == nil)
    }
}
