import ContractModel
import EventCore

/// Retry settings a processor can honour: at least one attempt, a sane bound on attempts and
/// growth, and a first delay no longer than the cap.
public struct RetryRule: LintRule {
    /// `RETRY_OUT_OF_RANGE`.
    public var ids: [RuleID] { [.retryOutOfRange] }

    /// The rule.
    public init() {}

    /// Attempts or a multiplier outside `DeliveryPolicy`'s ranges, and a first delay longer than the cap.
    public func check(_ contract: Contract, context: LintContext) -> [Diagnostic] {
        let retry = contract.delivery.retry
        var diagnostics: [Diagnostic] = []
        if !DeliveryPolicy.retryAttemptsRange.contains(retry.attempts.value) {
            diagnostics.append(.error(
                .retryOutOfRange,
                "retry attempts must be between \(DeliveryPolicy.retryAttemptsRange.lowerBound) and \(DeliveryPolicy.retryAttemptsRange.upperBound), found \(retry.attempts.value)",
                at: retry.attempts.location, hint: "attempts counts the first try: 1 means no retry"))
        }
        let multipliers = DeliveryPolicy.backoffMultiplierRange
        if !multipliers.contains(retry.multiplier.value) {
            diagnostics.append(.error(
                .retryOutOfRange,
                "retry multiplier must be between \(Self.text(multipliers.lowerBound)) and \(Self.text(multipliers.upperBound)), found \(Self.text(retry.multiplier.value))",
                at: retry.multiplier.location))
        }
        if retry.initial.value > retry.max.value {
            diagnostics.append(.error(
                .retryOutOfRange, "retry initial delay \(retry.initial.value) is longer than max \(retry.max.value)",
                at: retry.initial.location, hint: "make initial ≤ max"))
        }
        return diagnostics
    }

    /// A multiplier as a contract writes it: 10, not 10.0.
    private static func text(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
