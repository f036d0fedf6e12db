@testable import EventCore
import Testing

@Suite("SWAR scans")
struct SWARTests {
    @Test("the ASCII block prefix ends at the block holding the first byte ≥ 0x80, or where the last short block starts")
    func asciiBlocksPrefixLength() {
        for count in 0...26 {
            let wholeBlocks = count / 8 * 8
            let ascii = [UInt8](repeating: UInt8(ascii: "a"), count: count)
            #expect(ascii.withUnsafeBufferPointer { SWAR.asciiBlocksPrefixLength(of: $0) } == wholeBlocks, "\(count) ASCII bytes")
            for position in 0..<count {
                var bytes = ascii
                bytes[position] = 0xC3
                let expected = position < wholeBlocks ? position / 8 * 8 : wholeBlocks
                #expect(bytes.withUnsafeBufferPointer { SWAR.asciiBlocksPrefixLength(of: $0) } == expected, "\(count) bytes, 0xC3 at \(position)")
            }
        }
    }
}
