import ContractModel
import EventCore

/// The three ways `eventc` prints diagnostics.
public enum DiagnosticFormat: String, Sendable, CaseIterable {
    /// Compiler-style, with the source line and a caret; for people.
    case text
    /// An array of {file, line, column, severity, rule, message, hint, path, readerVersion,
    /// writerVersion, mode, consumers}; path to mode are null except for compatibility findings,
    /// consumers except for `breaking`'s findings on contracts that declare consumers. For tools.
    case json
    /// GitHub Actions workflow commands, which annotate the pull request's diff.
    case github
}

/// Renders diagnostics for people (compiler-style text), tools (JSON) and GitHub Actions.
public enum DiagnosticFormatter {
    /// `diagnostics` in `format`; `sources` (file to text) lets text show the offending line.
    public static func format(
        _ diagnostics: [Diagnostic], as format: DiagnosticFormat, sources: [String: String] = [:], fileCount: Int
    ) -> String {
        switch format {
        case .text: text(diagnostics, sources: sources, fileCount: fileCount)
        case .json: json(diagnostics)
        case .github: github(diagnostics, fileCount: fileCount)
        }
    }

    // MARK: Text

    /// Compiler-style `file:line:col: error: message [RULE]`, the offending line with a caret, hints,
    /// then the summary line and, when something was reported, where to read about its rules.
    public static func text(_ diagnostics: [Diagnostic], sources: [String: String], fileCount: Int) -> String {
        var output = ""
        var lineCache: [String: [Substring]] = [:]
        for diagnostic in diagnostics {
            output += "\(diagnostic)\n"
            let file = diagnostic.location.file
            if lineCache[file] == nil, let source = sources[file] {
                lineCache[file] = source.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
            }
            if let lines = lineCache[file], diagnostic.location.line >= 1, diagnostic.location.line <= lines.count {
                let line = lines[diagnostic.location.line - 1]
                output += "    \(printable(line))\n"
                output += "    \(caretPadding(line, column: diagnostic.location.column))^\n"
            }
            if let hint = diagnostic.hint { output += "    hint: \(Diagnostic.escapingControls(hint))\n" }
            if let consumers = diagnostic.consumers { output += "    \(Diagnostic.escapingControls(consumers.summary))\n" }
        }
        output += summary(diagnostics, fileCount: fileCount) + "\n"
        if let pointer = explainPointer(diagnostics) { output += pointer + "\n" }
        return output
    }

    /// Where to read about the rules reported, as rustc ends with "try `rustc --explain E0308`":
    /// one line after the summary, naming each rule once, in report order; nil with nothing reported.
    public static func explainPointer(_ diagnostics: [Diagnostic]) -> String? {
        var rules: [RuleID] = []
        for diagnostic in diagnostics where !rules.contains(diagnostic.rule) { rules.append(diagnostic.rule) }
        guard let first = rules.first else { return nil }
        if rules.count == 1 { return "For what \(first) means and how to fix it, try `eventc explain \(first)`." }
        let names = rules.map(\.rawValue).joined(separator: ", ")
        return "Rules reported: \(names). For what one means and how to fix it, try `eventc explain \(first)`."
    }

    /// `N errors, M warnings in K files checked`.
    public static func summary(_ diagnostics: [Diagnostic], fileCount: Int) -> String {
        let errors = diagnostics.errorCount
        let warnings = diagnostics.warningCount
        let files = fileCount == 1 ? "1 file" : "\(fileCount) files"
        func plural(_ count: Int, _ word: String) -> String { "\(count) \(word)\(count == 1 ? "" : "s")" }
        return "\(plural(errors, "error")), \(plural(warnings, "warning")) in \(files) checked"
    }

    /// Control characters (a hostile file's tabs, escapes, bidi overrides) are shown escaped so the
    /// terminal prints what is in the file rather than obeying it.
    private static func printable(_ line: Substring) -> String {
        var result = ""
        for scalar in line.unicodeScalars {
            if scalar == "\t" {
                result += " "
            } else {
                result += Diagnostic.escapingControls(String(scalar))
            }
        }
        return result
    }

    /// Spaces up to the column, counted in scalars the way locations are.
    private static func caretPadding(_ line: Substring, column: Int) -> String {
        let scalars = Array(line.unicodeScalars.prefix(max(0, column - 1)))
        return scalars.map { printable(Substring(String($0))) }.joined().map { _ in " " }.joined()
    }

    // MARK: JSON

    /// A JSON array of the diagnostics: file, line, column, severity, rule, message, hint.
    public static func json(_ diagnostics: [Diagnostic]) -> String {
        if diagnostics.isEmpty { return "[]\n" }
        var output = "[\n"
        for (index, diagnostic) in diagnostics.enumerated() {
            output += "  {"
            output += "\"file\": \(jsonString(diagnostic.location.file)), "
            output += "\"line\": \(diagnostic.location.line), "
            output += "\"column\": \(diagnostic.location.column), "
            output += "\"severity\": \(jsonString(diagnostic.severity.rawValue)), "
            output += "\"rule\": \(jsonString(diagnostic.rule.rawValue)), "
            output += "\"message\": \(jsonString(diagnostic.message)), "
            output += "\"hint\": \(diagnostic.hint.map(jsonString) ?? "null"), "
            let detail = diagnostic.compatibility
            output += "\"path\": \(detail.map { jsonString($0.path) } ?? "null"), "
            output += "\"readerVersion\": \(detail.map { String($0.readerVersion) } ?? "null"), "
            output += "\"writerVersion\": \(detail.map { String($0.writerVersion) } ?? "null"), "
            output += "\"mode\": \(detail?.mode.map { jsonString($0.rawValue) } ?? "null"), "
            output += "\"consumers\": \(diagnostic.consumers.map(jsonConsumers) ?? "null")"
            output += index == diagnostics.count - 1 ? "}\n" : "},\n"
        }
        return output + "]\n"
    }

    /// `{"affected": [...], "unaffected": [...], "field": "note" | null}`.
    private static func jsonConsumers(_ impact: ConsumerImpact) -> String {
        func list(_ names: [String]) -> String { "[" + names.map(jsonString).joined(separator: ", ") + "]" }
        return "{\"affected\": \(list(impact.affected)), \"unaffected\": \(list(impact.unaffected)), "
            + "\"field\": \(impact.field.map(jsonString) ?? "null")}"
    }

    /// A JSON string literal (RFC 8259): quotes, backslashes and control characters escaped.
    public static func jsonString(_ text: String) -> String { JSONValue.quoted(text) }

    // MARK: GitHub

    /// `::error file=…,line=…,col=…,title=RULE::message` per diagnostic, escaped as the Actions
    /// toolkit does, then the summary as a plain line.
    public static func github(_ diagnostics: [Diagnostic], fileCount: Int) -> String {
        var output = ""
        for diagnostic in diagnostics {
            let command = diagnostic.severity == .error ? "error" : "warning"
            var message = diagnostic.message
            if let hint = diagnostic.hint { message += "\nhint: \(hint)" }
            if let consumers = diagnostic.consumers { message += "\n\(consumers.summary)" }
            output += "::\(command) file=\(githubProperty(diagnostic.location.file)),"
                + "line=\(diagnostic.location.line),col=\(diagnostic.location.column),"
                + "title=\(githubProperty(diagnostic.rule.rawValue))::\(githubData(message))\n"
        }
        return output + summary(diagnostics, fileCount: fileCount) + "\n"
    }

    static func githubData(_ text: String) -> String {
        text.replacingAll("%", with: "%25").replacingAll("\r", with: "%0D").replacingAll("\n", with: "%0A")
    }

    static func githubProperty(_ text: String) -> String {
        githubData(text).replacingAll(":", with: "%3A").replacingAll(",", with: "%2C")
    }
}

extension String {
    /// Foundation-free replacement, so this module stays free of Foundation.
    /// Works on scalars: "\r\n" is one Character, and each half must be escaped.
    fileprivate func replacingAll(_ target: Unicode.Scalar, with replacement: String) -> String {
        var result = ""
        for scalar in unicodeScalars {
            if scalar == target { result += replacement } else { result.unicodeScalars.append(scalar) }
        }
        return result
    }
}
