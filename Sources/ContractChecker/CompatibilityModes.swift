import ContractModel
import EventCore

/// What each mode checks, as the history and baseline rules ask it.
extension CompatibilityLevel {
    /// BACKWARD: a reader on the new version reads what the previous one wrote.
    public var checksBackward: Bool { [.backward, .backwardTransitive, .full, .fullTransitive].contains(self) }
    /// FORWARD: a reader on the previous version reads what the new one writes.
    public var checksForward: Bool { [.forward, .forwardTransitive, .full, .fullTransitive].contains(self) }
    /// `_TRANSITIVE`: against every earlier version, not only the last.
    public var isTransitive: Bool { [.backwardTransitive, .forwardTransitive, .fullTransitive].contains(self) }

    /// Whether this mode guarantees everything `other` does.
    public func covers(_ other: CompatibilityLevel) -> Bool {
        (checksBackward || !other.checksBackward) && (checksForward || !other.checksForward)
            && (isTransitive || !other.isTransitive)
    }
}

/// Checks a contract's versions against their predecessors as its mode demands.
public enum HistoryCompatibility {
    /// Diagnostics for every version numbered `from` or later (earlier ones are taken as published
    /// and already checked). A version that declares `breaking:` with a reason has its errors
    /// reported as warnings.
    public static func check(_ contract: Contract, fromVersion from: Int = 1) -> [Diagnostic] {
        declarations(contract, fromVersion: from) + incompatibilities(contract, fromVersion: from)
    }

    /// Each `breaking:` of a version numbered `from` or later: BREAKING_DECLARED with its reason
    /// (the break stays visible, in `check` and in `breaking` alike), or BREAKING_REASON_MISSING.
    static func declarations(_ contract: Contract, fromVersion from: Int) -> [Diagnostic] {
        contract.versions.compactMap { version -> Diagnostic? in
            guard version.number.value >= from, let breaking = version.breaking else { return nil }
            guard breaking.isJustified, let reason = breaking.reason else {
                return .error(
                    .breakingReasonMissing, "version \(version.number.value) declares 'breaking' without a reason",
                    at: breaking.location, hint: "write breaking: { reason: \"why this break is acceptable\" }")
            }
            return .warning(
                .breakingDeclared, "version \(version.number.value) declares a breaking change: \(reason.value)",
                at: breaking.location,
                hint: "consumers on older versions must upgrade first; its compatibility findings are kept as warnings")
        }
    }

    private static func incompatibilities(_ contract: Contract, fromVersion from: Int) -> [Diagnostic] {
        let mode = contract.compatibility.value
        let versions = contract.versions
        guard mode != .none, versions.contains(where: { $0.number.value >= from }) else { return [] }
        // Each version's scope once, not once per pair: transitive modes compare O(n²) pairs.
        let schemas = versions.map { SchemaVersion(contract, $0) }
        var diagnostics: [Diagnostic] = []
        for (index, newer) in versions.enumerated() where newer.number.value >= from && index > 0 {
            let earlier = mode.isTransitive ? Array(schemas[..<index]) : [schemas[index - 1]]
            let severity: Severity = newer.breaking?.isJustified == true ? .warning : .error
            let newerSchema = schemas[index]
            for olderSchema in earlier.reversed() {
                var found: [Incompatibility] = []
                if mode.checksBackward { found += SchemaCompatibility.canRead(reader: newerSchema, writer: olderSchema) }
                if mode.checksForward { found += SchemaCompatibility.canRead(reader: olderSchema, writer: newerSchema) }
                diagnostics += found.map { incompatibility in
                    var diagnostic = incompatibility.diagnostic(severity: severity, mode: mode)
                    if severity == .warning { diagnostic.message += " (declared breaking)" }
                    return diagnostic
                }
            }
        }
        return diagnostics
    }
}

/// `eventc check` runs the history check, with the checks on `breaking:` itself, as part of lint.
public struct HistoryCompatibilityRule: LintRule {
    /// The rule ids it reports.
    public var ids: [RuleID] {
        [.compatMissingDefault, .compatTypeMismatch, .compatOptionalToRequired, .compatEnumSymbolMissing, .compatRuleTightened,
         .compatRuleLoosened,
         .breakingDeclared, .breakingReasonMissing]
    }

    /// The rule.
    public init() {}

    /// Every problem it finds in `contract`.
    public func check(_ contract: Contract, context: LintContext) -> [Diagnostic] {
        HistoryCompatibility.check(contract)
    }
}
