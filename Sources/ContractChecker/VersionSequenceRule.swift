import ContractModel

/// Versions are numbered 1, 2, 3 … in the order they are listed, so "version N" means one thing.
public struct VersionSequenceRule: LintRule {
    /// The rule ids it reports.
    public var ids: [RuleID] { [.versionSequence] }

    /// The rule.
    public init() {}

    /// Every problem it finds in `contract`.
    public func check(_ contract: Contract, context: LintContext) -> [Diagnostic] {
        for (index, version) in contract.versions.enumerated() where version.number.value != index + 1 {
            // Report the first break only: every later number is off by the same mistake.
            return [.error(
                .versionSequence,
                "version numbers must be 1, 2, 3 … in order; expected \(index + 1) here, found \(version.number.value)",
                at: version.number.location,
                hint: "versions are never removed or renumbered; list each published version once, oldest first")]
        }
        return []
    }
}
