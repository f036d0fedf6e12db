import EventCore
import Foundation
import Testing

@Suite("Data rules")
struct DataRuleTests {
    @Test("range rules: inclusive and exclusive bounds, the rule named, the value never in the message")
    func ranges() throws {
        let rules = RangeRules<Int32>(min: 1, max: 10)
        try rules.check(1, field: "quantity")
        try rules.check(10, field: "quantity")
        #expect(throws: EventRuleViolation(field: "quantity", rule: .min, "less than 1")) { try rules.check(0, field: "quantity") }
        #expect(throws: EventRuleViolation(field: "quantity", rule: .max, "greater than 10")) { try rules.check(11, field: "quantity") }
        let open = RangeRules<Double>(exclusiveMin: 0, exclusiveMax: 1)
        try open.check(0.5, field: "ratio")
        #expect(throws: EventRuleViolation.self) { try open.check(0, field: "ratio") }
        #expect(throws: EventRuleViolation.self) { try open.check(1, field: "ratio") }
        let dates = RangeRules<LocalDate>(min: LocalDate(iso: "2024-01-01"))
        #expect(throws: EventRuleViolation.self) { try dates.check(try #require(LocalDate(iso: "2023-12-31")), field: "from") }
    }

    @Test("decimals compare as numbers, not as text", arguments: [
        ("1.0", "1", 0), ("1.00", "1", 0), ("-0.5", "0", -1), ("0", "-0", 0), ("10", "9.99", 1), ("0.012", "0.1", -1),
        ("1e3", "999", 1), ("1E-2", "0.01", 0), ("-2", "-10", 1), ("0.30000000000000001", "0.3", 1), ("123456789012345678901234567890", "1.2e29", 1),
    ])
    func decimalOrder(_ a: String, _ b: String, _ expected: Int) throws {
        let x = try #require(ExactDecimal(a)), y = try #require(ExactDecimal(b))
        #expect(ExactDecimal.ruleOrder(x, y).signum() == expected, "\(a) vs \(b)")
        #expect(ExactDecimal.ruleOrder(y, x).signum() == -expected, "\(b) vs \(a)")
    }

    @Test("a decimal bound holds whatever the spelling")
    func decimalBound() throws {
        let rules = RangeRules<ExactDecimal>(exclusiveMin: "0")
        try rules.check("0.01", field: "amount")
        #expect(throws: EventRuleViolation.self) { try rules.check("0.000", field: "amount") }
        #expect(throws: EventRuleViolation.self) { try rules.check("-1e-9", field: "amount") }
    }

    @Test("string lengths count Unicode scalars")
    func lengths() throws {
        let rules = StringRules(minLength: 2, maxLength: 3)
        try rules.check("é한", field: "code")
        try rules.check("😀😀😀", field: "code")  // 12 UTF-8 bytes, 3 scalars
        #expect(throws: EventRuleViolation(field: "code", rule: .minLength, "1 characters, fewer than 2")) { try rules.check("😀", field: "code") }
        #expect(throws: EventRuleViolation(field: "code", rule: .maxLength, "4 characters, more than 3")) { try rules.check("e\u{301}e\u{301}", field: "code") }
    }

    @Test("pattern and format violations say which without the value")
    func patternAndFormat() throws {
        let rules = StringRules(pattern: try EventPattern("^[A-Z]{3}$"))
        #expect(throws: EventRuleViolation(field: "currency", rule: .pattern, "no match of ^[A-Z]{3}$")) { try rules.check("krw", field: "currency") }
        let email = StringRules(format: .email)
        do {
            try email.check("jane.doe.example.com", field: "email")
            Issue.record("accepted an address without @")
        } catch {
            #expect(error.rule == .format && !error.description.contains("jane"))
        }
    }

    @Test("items and entries: counts and uniqueness")
    func collections() throws {
        let items = ItemRules(minItems: 1, maxItems: 3, uniqueItems: true)
        try items.check(["a", "b"], field: "skus")
        #expect(throws: EventRuleViolation(field: "skus", rule: .minItems, "0 items, fewer than 1")) { try items.check([String](), field: "skus") }
        #expect(throws: EventRuleViolation(field: "skus", rule: .maxItems, "4 items, more than 3")) { try items.check(["a", "b", "c", "d"], field: "skus") }
        #expect(throws: EventRuleViolation(field: "skus", rule: .uniqueItems, "item 2 repeats an earlier one")) { try items.check(["a", "b", "a"], field: "skus") }
        let entries = PropertyRules(minProperties: 1, maxProperties: 1)
        try entries.check(["k": 1], field: "labels")
        #expect(throws: EventRuleViolation.self) { try entries.check([String: Int](), field: "labels") }
    }

    @Test("a nested violation carries the path from the outer value")
    func paths() {
        let leaf = EventRuleViolation(field: "sku", rule: .pattern, "no match")
        #expect(leaf.nested(in: "lines", index: 2).field == "lines[2].sku")
        #expect(leaf.nested(in: "total").field == "total.sku")
        #expect(leaf.nested(in: "extras", key: "gift").field == "extras[\"gift\"].sku")
        #expect(leaf.nested(in: "", index: 1).nested(in: "grid", index: 0).field == "grid[0][1].sku")
    }
}
