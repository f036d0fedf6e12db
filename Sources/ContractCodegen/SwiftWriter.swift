import ContractModel

/// Builds Swift source line by line with indentation, so translation code says what it emits
/// (`block("public struct X") { … }`) instead of concatenating strings with spaces and braces.
/// Text from contracts enters only through `doc(_:)` and `SwiftLiteral.string(_:)`.
struct SwiftWriter {
    private(set) var text = ""
    private var indent = 0

    mutating func line(_ content: String = "") {
        // Appended piece by piece: building `indent + content + "\n"` first made two temporary
        // strings per line, the largest cost of generating a thousand contracts.
        if !content.isEmpty {
            for _ in 0..<indent { text += "    " }
            text += content
        }
        text += "\n"
    }

    /// `header {` … `}` with the body indented.
    mutating func block(_ header: String, _ body: (inout SwiftWriter) -> Void) {
        line(header + " {")
        indent += 1
        body(&self)
        indent -= 1
        line("}")
    }

    /// Lines written inside `body` are indented one level, without braces of their own (for
    /// `} else {` chains).
    mutating func indented(_ body: (inout SwiftWriter) -> Void) {
        indent += 1
        body(&self)
        indent -= 1
    }

    /// A `///` comment. Every newline kind starts a new comment line (CR, LS, PS, NEL, VT and FF
    /// included), so no text can end the comment and become code; other control and bidi
    /// characters are dropped.
    mutating func doc(_ text: String?) {
        guard let text, !text.isEmpty else { return }
        for line in SwiftLiteral.commentLines(text) {
            self.line(line.isEmpty ? "///" : "/// " + line)
        }
    }
}

enum SwiftLiteral {
    static let newlines: Set<Unicode.Scalar> = ["\n", "\r", "\u{0B}", "\u{0C}", "\u{85}", "\u{2028}", "\u{2029}"]

    static func commentLines(_ text: String) -> [String] {
        var lines: [String] = [""]
        var previousWasCR = false
        for scalar in text.unicodeScalars {
            if newlines.contains(scalar) {
                if !(previousWasCR && scalar == "\n") { lines.append("") }
                previousWasCR = scalar == "\r"
                continue
            }
            previousWasCR = false
            if ControlCharacters.contains(scalar) { continue }
            lines[lines.count - 1].unicodeScalars.append(scalar)
        }
        return lines.map { String($0.reversed().drop { $0 == " " }.reversed()) }
    }

    /// A Swift string literal that means exactly `text`: backslash, quote and every scalar outside
    /// printable ASCII written as escapes, so nothing (no `\(`, no `"""`, no bidi override) can
    /// change what the source does.
    static func string(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case " "..."~": out.unicodeScalars.append(scalar)
            default: out += "\\u{\(String(scalar.value, radix: 16))}"
            }
        }
        return out + "\""
    }

    /// A raw string literal (`#"…"#`) that means exactly `text`, for text with many quotes (an
    /// embedded JSON schema): as safe as `string(_:)`, as only printable ASCII is written raw and
    /// the delimiter has more `#` than any `"#` run in the text; anything else takes `string(_:)`.
    static func rawString(_ text: String) -> String {
        guard text.unicodeScalars.allSatisfy({ (" "..."~").contains($0) }) else { return string(text) }
        var hashes = "#"
        while text.contains("\"" + hashes) || text.contains("\\" + hashes) { hashes += "#" }
        return hashes + "\"" + text + "\"" + hashes
    }
}
