import ContractModel
import EventCore

/// Defaults Avro's mapping of the contract types cannot carry: a decimal beyond `decimal(38, 18)`
/// (more than 18 fraction digits, or 20 integer digits) or a timestamp outside `timestamp-nanos`
/// (the years 1677 to 2262). Every contract has an Avro schema (`eventc export avro`, the
/// registry, Avro encoding), and a default it cannot carry would have to be rounded there: refused
/// here instead.
public struct AvroMappingRule: LintRule {
    /// `AVRO_UNREPRESENTABLE_DEFAULT`.
    public var ids: [RuleID] { [.avroUnrepresentableDefault] }

    /// The rule.
    public init() {}

    /// An error at each default of `contract` the mapping cannot carry.
    public func check(_ contract: Contract, context: LintContext) -> [Diagnostic] {
        context.fieldSites.compactMap { site -> Diagnostic? in
            guard let literal = site.resolvedDefault, let location = site.field.defaultValue?.location,
                let problem = Self.problem(in: literal)
            else { return nil }
            return .error(
                .avroUnrepresentableDefault, "the default of '\(site.field.name)' \(problem)", at: location,
                hint: "Avro carries decimals as decimal(\(AvroDecimal.precision), \(AvroDecimal.scale)) and timestamps as nanoseconds since 1970")
        }
    }

    /// What in `literal` Avro cannot carry, or nil.
    static func problem(in literal: Literal) -> String? {
        switch literal {
        case .decimal(let decimal):
            guard AvroDecimal.unscaled(decimal, scale: AvroDecimal.scale, precision: AvroDecimal.precision) == nil else { return nil }
            return "\(decimal.text) does not fit decimal(\(AvroDecimal.precision), \(AvroDecimal.scale))"
        case .timestamp(let time):
            guard !AvroTimestamp.isRepresentable(time) else { return nil }
            return "\(time) is outside timestamp-nanos (1677 to 2262)"
        case .array(let items):
            return items.lazy.compactMap(problem(in:)).first
        case .map(let entries), .record(let entries):
            return entries.lazy.compactMap { problem(in: $0.value) }.first
        case .null, .bool, .int, .float, .string, .bytes, .uuid, .date, .symbol:
            return nil
        }
    }
}
