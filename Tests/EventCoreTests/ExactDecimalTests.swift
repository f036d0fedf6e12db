import EventCore
import Testing

@Suite("Exact decimals")
struct ExactDecimalTests {
    @Test("text from input is a decimal only when it is a JSON number")
    func fromText() {
        // Through variables: `ExactDecimal("19.90")` would be the literal initialiser (SE-0213).
        for text in ["19.90", "-1e3", "0"] { #expect(ExactDecimal(text)?.text == text) }
        for text in ["19,90", "", "1.", "+1", "0x10", "NaN"] { #expect(ExactDecimal(text) == nil, "\(text)") }
    }

    @Test("a literal keeps its text, digit for digit")
    func literal() {
        let amount: ExactDecimal = "19.90"
        #expect(amount.text == "19.90")
        #expect(amount != "19.9")
    }

    @Test("a malformed literal stops the program instead of becoming another amount")
    func malformedLiteral() async {
        await #expect(processExitsWith: .failure) {
            let amount: ExactDecimal = "19,90"
            print(amount)
        }
    }
}
