import EventCore
/// How bad a problem is. Errors fail `eventc check`; warnings fail it only under `--strict`.
public enum Severity: String, Sendable, Hashable, Comparable, CaseIterable {
    /// Fails `eventc check`.
    case error
    /// Reported; fails `eventc check` only with `--strict`.
    case warning

    /// Errors sort before warnings.
    public static func < (lhs: Severity, rhs: Severity) -> Bool {
        lhs == .error && rhs == .warning
    }
}

/// A stable, UPPER_SNAKE identifier for a rule. Users grep for it, CI annotations show it and the
/// Rules article documents each one, so once published an id never changes meaning.
public struct RuleID: RawRepresentable, Hashable, Sendable, Comparable, CustomStringConvertible,
    ExpressibleByStringLiteral
{
    /// The id as written: `UNKNOWN_TYPE`.
    public let rawValue: String

    /// The rule with this id.
    public init(rawValue: String) { self.rawValue = rawValue }
    /// The rule with this id.
    public init(_ rawValue: String) { self.rawValue = rawValue }
    /// The rule with this id, written as a literal.
    public init(stringLiteral value: String) { self.rawValue = value }

    /// The id as written.
    public var description: String { rawValue }

    /// Alphabetical.
    public static func < (lhs: RuleID, rhs: RuleID) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// One problem found in a contract, printed compiler-style as
/// `path:line:col: error: message [RULE_ID]`.
public struct Diagnostic: Hashable, Sendable, CustomStringConvertible {
    /// Error or warning.
    public var severity: Severity
    /// The rule that found it.
    public var rule: RuleID
    /// What is wrong, in one sentence.
    public var message: String
    /// The file, line and column it points at.
    public var location: SourceLocation
    /// What to do about it, when there is something specific to say.
    public var hint: String?
    /// For compatibility findings: which versions were compared, where, and under which mode.
    public var compatibility: CompatibilityDetail?
    /// For findings of `eventc breaking` on a contract that declares its consumers: whom it affects.
    public var consumers: ConsumerImpact?

    /// A finding of `rule` at `location`.
    public init(
        _ severity: Severity,
        _ rule: RuleID,
        _ message: String,
        at location: SourceLocation,
        hint: String? = nil,
        compatibility: CompatibilityDetail? = nil
    ) {
        self.severity = severity
        self.rule = rule
        self.message = message
        self.location = location
        self.hint = hint
        self.compatibility = compatibility
    }

    /// An error: it fails `eventc check`.
    public static func error(
        _ rule: RuleID, _ message: String, at location: SourceLocation, hint: String? = nil
    ) -> Diagnostic {
        Diagnostic(.error, rule, message, at: location, hint: hint)
    }

    /// A warning: it fails `eventc check` only under `--strict`.
    public static func warning(
        _ rule: RuleID, _ message: String, at location: SourceLocation, hint: String? = nil
    ) -> Diagnostic {
        Diagnostic(.warning, rule, message, at: location, hint: hint)
    }

    /// One line, whatever the message holds: control characters are written as escapes, so text
    /// from a contract (a key with a newline in it) cannot print a line that looks like another
    /// finding, or move the terminal's cursor.
    public var description: String {
        "\(Self.escapingControls(location.description)): \(severity.rawValue): \(Self.escapingControls(message)) [\(rule)]"
    }

    /// `text` with newlines, tabs, escape and the other `ControlCharacters` written as `\n`,
    /// `\r`, `\t` or `\u{1b}`.
    public static func escapingControls(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: ControlCharacters.contains) else { return text }
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where ControlCharacters.contains(scalar): result += "\\u{\(String(scalar.value, radix: 16))}"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}

/// Which of a contract's declared consumers a finding affects. A consumer that did not list the
/// fields it reads is affected by every finding; one that did is affected only by findings about
/// a field it reads, or about the whole event (its topic, key, a removed version).
public struct ConsumerImpact: Hashable, Sendable {
    /// Consumers the finding affects.
    public var affected: [String]
    /// Consumers that listed their fields and read none the finding is about.
    public var unaffected: [String]
    /// The top-level field the finding is about; nil when it is about the whole event.
    public var field: String?

    /// The consumers on each side, and the field the finding is about.
    public init(affected: [String], unaffected: [String], field: String?) {
        self.affected = affected
        self.unaffected = unaffected
        self.field = field
    }

    /// One line for people: `affects consumers: billing, shipping (analytics does not read 'note')`.
    public var summary: String {
        let quoted = field.map { "'\($0)'" } ?? "it"
        if affected.isEmpty {
            return "affects no declared consumer: \(unaffected.joined(separator: ", ")) "
                + "\(unaffected.count == 1 ? "does" : "do") not read \(quoted)"
        }
        var line = "affects consumers: \(affected.joined(separator: ", "))"
        if !unaffected.isEmpty {
            line += " (\(unaffected.joined(separator: ", ")) \(unaffected.count == 1 ? "does" : "do") not read \(quoted))"
        }
        return line
    }
}

/// Where a compatibility finding sits: the field path (`total.currency`, `items[].sku`), the
/// reader's and the writer's version, and the mode that demanded the check.
public struct CompatibilityDetail: Hashable, Sendable {
    /// The field path, such as `total.currency` or `items[].sku`.
    public var path: String
    /// The version that reads.
    public var readerVersion: Int
    /// The version that wrote.
    public var writerVersion: Int
    /// The compatibility mode that demanded the check (nil for a check no mode asked for).
    public var mode: CompatibilityLevel?

    /// Where a compatibility finding sits.
    public init(path: String, readerVersion: Int, writerVersion: Int, mode: CompatibilityLevel?) {
        self.path = path
        self.readerVersion = readerVersion
        self.writerVersion = writerVersion
        self.mode = mode
    }
}

extension Diagnostic {
    /// The order every report uses: by file, position, then rule and message, so two runs over the
    /// same input print the same lines in the same order.
    public static func reportOrder(_ lhs: Diagnostic, _ rhs: Diagnostic) -> Bool {
        if lhs.location != rhs.location { return lhs.location < rhs.location }
        if lhs.severity != rhs.severity { return lhs.severity < rhs.severity }
        if lhs.rule != rhs.rule { return lhs.rule < rhs.rule }
        return lhs.message < rhs.message
    }
}

/// Report order, and counts by severity.
extension Array where Element == Diagnostic {
    /// Sorted in report order with exact repeats removed (a shared type checked once per version
    /// must not report the same problem five times).
    public func inReportOrder() -> [Diagnostic] {
        var seen = Set<Diagnostic>()
        return filter { seen.insert($0).inserted }.sorted(by: Diagnostic.reportOrder)
    }

    /// How many are errors.
    public var errorCount: Int { count { $0.severity == .error } }
    /// How many are warnings.
    public var warningCount: Int { count { $0.severity == .warning } }
}
