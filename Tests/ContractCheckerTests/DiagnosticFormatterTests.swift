@testable import ContractChecker
import ContractModel
import Foundation
import Testing

@Suite("Diagnostic formats")
struct DiagnosticFormatterTests {
    private let diagnostics = [
        Diagnostic.error("UNKNOWN_KEY", "unknown key 'sumary' in the contract",
                         at: SourceLocation(file: "c/A.yaml", line: 2, column: 3), hint: "did you mean 'summary'?"),
        Diagnostic.warning("KEY_NONE", "key: none — \"order\" is lost,\nsee docs",
                           at: SourceLocation(file: "c/B,1.yaml", line: 1, column: 6)),
    ]
    private let sources = ["c/A.yaml": "event: A\n  sumary: x\n", "c/B,1.yaml": "key: none\n"]

    @Test("text is compiler-style with the source line, a caret under the column, the hint and a summary")
    func textFormat() {
        let text = DiagnosticFormatter.text(diagnostics, sources: sources, fileCount: 2)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[0] == "c/A.yaml:2:3: error: unknown key 'sumary' in the contract [UNKNOWN_KEY]")
        #expect(lines[1] == "      sumary: x")
        #expect(lines[2] == "      ^")
        #expect(lines[3] == "    hint: did you mean 'summary'?")
        #expect(text.hasSuffix("""
            1 error, 1 warning in 2 files checked
            Rules reported: UNKNOWN_KEY, KEY_NONE. For what one means and how to fix it, try `eventc explain UNKNOWN_KEY`.

            """))
    }

    @Test("text ends by saying where to read about the rules reported, each once; nothing when clean")
    func explainPointer() {
        let twice = [diagnostics[0], diagnostics[0]]
        #expect(DiagnosticFormatter.explainPointer(twice) == "For what UNKNOWN_KEY means and how to fix it, try `eventc explain UNKNOWN_KEY`.")
        #expect(DiagnosticFormatter.explainPointer([]) == nil)
        #expect(DiagnosticFormatter.text([], sources: [:], fileCount: 3) == "0 errors, 0 warnings in 3 files checked\n")
    }

    @Test("a message, hint or path holding newlines, CR or ESC prints as one escaped line: no forged finding")
    func textEscapesMessagesAndHints() {
        let forged = "x\nContracts/fake.yaml:9:9: error: forged finding [FORGED]\ny"
        let diagnostic = Diagnostic.error(
            "INVALID_FIELD_NAME", "field name '\(forged)' is bad\r\u{1B}[2K", at: SourceLocation(file: "c/\u{1B}A.yaml", line: 1, column: 1),
            hint: "did you mean\n'\u{85}y'?")
        let text = DiagnosticFormatter.text([diagnostic], sources: [:], fileCount: 1)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 5, "\(lines)")  // the finding, the hint, the summary, the pointer to explain, and the final newline's empty line
        #expect(lines[0] == #"c/\u{1b}A.yaml:1:1: error: field name 'x\nContracts/fake.yaml:9:9: error: forged finding [FORGED]\ny' is bad\r\u{1b}[2K [INVALID_FIELD_NAME]"#)
        #expect(lines[1] == #"    hint: did you mean\n'\u{85}y'?"#)
        #expect(!text.contains("\u{1B}") && !text.contains("\r"))
    }

    @Test("control, bidi and zero-width characters in a quoted line are shown escaped, and the caret still lines up")
    func textEscapesControlCharacters() {
        let diagnostic = Diagnostic.error("X", "m", at: SourceLocation(file: "f", line: 1, column: 3))
        let text = DiagnosticFormatter.text([diagnostic], sources: ["f": "a\u{1B}b\u{202E}c\u{200B}d\u{FEFF}\n"], fileCount: 1)
        let lines = text.split(separator: "\n")
        #expect(lines[1] == "    a\\u{1b}b\\u{202e}c\\u{200b}d\\u{feff}")
        #expect(lines[2] == "           ^")
    }

    @Test("json is an array of objects with the documented keys, and it parses")
    func jsonFormat() throws {
        let json = DiagnosticFormatter.json(diagnostics)
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
        #expect(parsed.count == 2)
        #expect(Set(parsed[0].keys) == ["file", "line", "column", "severity", "rule", "message", "hint", "path",
                                        "readerVersion", "writerVersion", "mode", "consumers"])
        #expect(parsed[0]["consumers"] is NSNull)
        #expect(parsed[0]["path"] is NSNull)
        #expect(parsed[0]["rule"] as? String == "UNKNOWN_KEY")
        #expect(parsed[0]["line"] as? Int == 2)
        #expect(parsed[1]["message"] as? String == "key: none — \"order\" is lost,\nsee docs")
        #expect(parsed[1]["hint"] is NSNull)
        #expect(DiagnosticFormatter.json([]) == "[]\n")
    }

    @Test("json strings escape every control character")
    func jsonEscaping() throws {
        let raw = "q\"b\\n\n\r\t\u{0}\u{1F}é😀"
        let literal = DiagnosticFormatter.jsonString(raw)
        let decoded = try JSONSerialization.jsonObject(with: Data("[\(literal)]".utf8)) as? [String]
        #expect(decoded == [raw])
    }

    @Test("github annotations escape data and properties as the Actions toolkit does")
    func githubFormat() {
        let text = DiagnosticFormatter.github(diagnostics, fileCount: 2)
        let lines = text.split(separator: "\n")
        #expect(lines[0] == "::error file=c/A.yaml,line=2,col=3,title=UNKNOWN_KEY::unknown key 'sumary' in the contract%0Ahint: did you mean 'summary'?")
        #expect(lines[1] == "::warning file=c/B%2C1.yaml,line=1,col=6,title=KEY_NONE::key: none — \"order\" is lost,%0Asee docs")
        #expect(lines[2] == "1 error, 1 warning in 2 files checked")
        #expect(DiagnosticFormatter.githubData("50%\r\n") == "50%25%0D%0A")
    }
}
