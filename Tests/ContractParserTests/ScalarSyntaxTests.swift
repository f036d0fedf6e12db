import ContractParser
import Testing

@Suite("Scalar syntax")
struct ScalarSyntaxTests {
    @Test("a number in a contract is spelled as JSON spells it, and finite", arguments: [
        ("0", 0.0), ("-12", -12.0), ("3.5", 3.5), ("1e-3", 0.001), ("2E+2", 200.0), ("-0", -0.0),
    ])
    func numbers(text: String, value: Double) {
        #expect(ScalarSyntax.finiteNumber(text) == value)
    }

    @Test("YAML's and other languages' spellings are refused", arguments: [
        "01", "1.", ".5", "+1", "0x1F", "1_000", "1e", "-", "", " 1", "1e400", ".inf", "NaN",
    ])
    func refused(text: String) {
        #expect(ScalarSyntax.finiteNumber(text) == nil)
    }

    @Test("an integer is a JSON integer, as the decoders read one")
    func integers() {
        for text in ["0", "7", "-0", "-12", "9223372036854775808"] { #expect(ScalarSyntax.isInteger(text), "\(text)") }
        for text in ["01", "0755", "+1", "1.0", "1e2", "1_000", "0x1F", "", "-"] { #expect(!ScalarSyntax.isInteger(text), "\(text)") }
    }
}
