import ContractChecker
import ContractModel
import ContractParser
import EventCore
import Foundation
import Testing

@Suite("Typed defaults")
struct DefaultResolverTests {
    /// Resolves `text` written as a double-quoted YAML string against `type`; nil when refused.
    func resolveQuoted(_ text: String, as typeText: String) -> Literal? {
        resolve("\"" + text.replacingOccurrences(of: "\\", with: "\\\\") + "\"", as: typeText).0
    }

    /// Resolves `default` written as YAML against `type`, with Money and Tier in scope.
    private func resolve(_ yaml: String, as typeText: String) -> (Literal?, [Diagnostic]) {
        let text = """
            event: A
            owner: o
            summary: s
            topic: t
            key: id
            types:
              Money: { kind: record, fields: { amount: decimal, currency: { type: string, default: KRW } } }
              Tier: { kind: enum, symbols: [gold, silver], default: silver }
            versions:
              - version: 1
                fields:
                  id: string
                  x: { type: \(typeText), default: \(yaml) }

            """
        let parsed = ContractFileParser.parse(text, file: "d.yaml")
        guard let contract = parsed.contract, parsed.diagnostics.isEmpty,
            let field = contract.versions.first?.field(named: "x"), let type = field.type,
            let node = field.defaultValue, let version = contract.versions.first
        else {
            Issue.record("fixture did not parse: \(parsed.diagnostics)")
            return (nil, [])
        }
        var resolver = DefaultResolver(scope: contract.typeScope(for: version))
        let literal = resolver.resolve(node, as: type, path: "x")
        return (literal, resolver.diagnostics)
    }

    @Test("scalars are typed by the field, never guessed", arguments: [
        ("no", "string", Literal.string("no")),
        ("\"no\"", "string", .string("no")),
        ("007", "string", .string("007")),
        ("\"null\"", "string", .string("null")),
        ("true", "bool", .bool(true)),
        ("-2147483648", "int", .int(-2_147_483_648)),
        ("-9223372036854775808", "long", .int(Int64.min)),
        ("0.5", "double", .float(0.5)),
        ("1e3", "float", .float(1000)),
        ("\"19.990\"", "decimal", .decimal("19.990")),
        ("19.99", "decimal", .decimal("19.99")),
        ("\"AQID\"", "bytes", .bytes([1, 2, 3])),
        ("\"\"", "bytes", .bytes([])),
        ("123e4567-e89b-12d3-a456-426614174000", "uuid", .uuid(UUID(uuidString: "123e4567-e89b-12d3-a456-426614174000")!)),
        ("2024-02-29T23:59:60.123+09:00", "timestamp", .timestamp(Timestamp(rfc3339: Array("2024-02-29T23:59:60.123+09:00".utf8))!)),
        ("2024-02-29", "date", .date(LocalDate(uncheckedYear: 2024, month: 2, day: 29))),
        ("gold", "Tier", .symbol("gold")),
        ("null", "Tier?", .null),
        ("", "string?", .null),
        ("[]", "array<int>", .array([])),
        ("[1, 2]", "array<long>", .array([.int(1), .int(2)])),
        ("{}", "map<int>", .map([])),
        ("{ a: [gold] }", "map<array<Tier>>", .map([LiteralEntry(key: "a", value: .array([.symbol("gold")]))])),
        ("{ amount: \"1.5\" }", "Money", .record([
            LiteralEntry(key: "amount", value: .decimal("1.5")), LiteralEntry(key: "currency", value: .string("KRW")),
        ])),
        ("{ \"amount\": 0, \"currency\": \"USD\" }", "Money?", .record([
            LiteralEntry(key: "amount", value: .decimal("0")), LiteralEntry(key: "currency", value: .string("USD")),
        ])),
    ])
    func acceptsValuesOfTheType(yaml: String, type: String, expected: Literal) {
        let (literal, diagnostics) = resolve(yaml, as: type)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        #expect(literal == expected)
    }

    @Test("values that do not fit are INVALID_DEFAULT with a reason", arguments: [
        ("null", "string", "not optional"),
        ("NO", "bool", "YAML 1.1"),
        ("\"true\"", "bool", "without quotes"),
        ("2147483648", "int", "32-bit"),
        ("9223372036854775808", "long", "not an integer"),
        ("1.0", "int", "not an integer"),
        ("0755", "int", "write 755: a number with leading zeros"),
        ("\"5\"", "int", "without quotes"),
        (".nan", "double", "finite"),
        ("1e39", "float", "32-bit float"),
        ("\"1,5\"", "decimal", "decimal"),
        ("\"AQI\"", "bytes", "base64"),
        ("not-a-uuid", "uuid", "UUID"),
        ("2023-02-29", "date", "date"),
        ("2024-01-01 10:00:00", "timestamp", "RFC 3339"),
        ("2024-01-01T24:00:00Z", "timestamp", "RFC 3339"),
        ("bronze", "Tier", "not a symbol"),
        ("[gold]", "Tier", "symbol"),
        ("gold", "array<Tier>", "sequence"),
        ("[1, x]", "array<int>", "not an integer"),
        ("{ amount: 1, cents: 5 }", "Money", "no field 'cents'"),
        ("{ currency: EUR }", "Money", "does not give field 'amount'"),
        ("[a]", "map<string>", "mapping"),
    ])
    func refusesValuesOfAnotherType(yaml: String, type: String, reason: String) {
        let (literal, diagnostics) = resolve(yaml, as: type)
        #expect(literal == nil)
        #expect(diagnostics.map(\.rule) == [.invalidDefault], "\(diagnostics)")
        #expect(diagnostics.first.map { "\($0.message) \($0.hint ?? "")".contains(reason) } == true,
                "\(diagnostics.first?.message ?? "") / \(diagnostics.first?.hint ?? "")")
    }

    @Test("an error inside a collection points at the element")
    func elementErrorsAreLocated() {
        let (_, diagnostics) = resolve("[1, 2, oops]", as: "array<int>")
        #expect(diagnostics.first?.location.column == 46)
        #expect(diagnostics.first?.message.contains("x[2]") == true)
    }
}

@Suite("Scalar defaults")
struct ScalarDefaultTests {
    /// Whether `text`, quoted, is a valid default of `type`.
    private func accepts(_ text: String, as type: String) -> Bool {
        DefaultResolverTests().resolveQuoted(text, as: type) != nil
    }

    @Test("bytes defaults are standard padded base64, decoded")
    func base64() {
        #expect(DefaultResolverTests().resolveQuoted("TWFu", as: "bytes") == .bytes(Array("Man".utf8)))
        #expect(DefaultResolverTests().resolveQuoted("TWE=", as: "bytes") == .bytes(Array("Ma".utf8)))
        #expect(DefaultResolverTests().resolveQuoted("TQ==", as: "bytes") == .bytes(Array("M".utf8)))
        #expect(DefaultResolverTests().resolveQuoted("+/+/", as: "bytes") == .bytes([0xFB, 0xFF, 0xBF]))
        for bad in ["TQ", "T===", "TQ=A", "TW-u", "TQ==TQ==", "=AAA"] {
            #expect(!accepts(bad, as: "bytes"), "\(bad)")
        }
    }

    @Test("timestamp defaults follow RFC 3339 date-time and are kept as the instant, normalised to UTC")
    func timestamps() {
        for good in ["2024-05-01T12:30:00Z", "2024-05-01t12:30:00z", "2024-05-01T12:30:00.5-03:30", "1999-12-31T23:59:60Z"] {
            #expect(accepts(good, as: "timestamp"), "\(good)")
        }
        for bad in ["2024-05-01", "2024-05-01T12:30Z", "2024-13-01T00:00:00Z", "2024-05-01T12:30:00", "2024-05-01T12:30:00+0900",
                    "2024-05-01T12:30:00.Z", "2024-05-01T12:30:00Z "] {
            #expect(!accepts(bad, as: "timestamp"), "\(bad)")
        }
        #expect(DefaultResolverTests().resolveQuoted("1970-01-01T09:00:01.5+09:00", as: "timestamp")
            == .timestamp(Timestamp(secondsSince1970: 1, nanoseconds: 500_000_000)))
    }

    @Test("date defaults are real calendar days")
    func dates() {
        #expect(DefaultResolverTests().resolveQuoted("2000-02-29", as: "date") == .date(LocalDate(uncheckedYear: 2000, month: 2, day: 29)))
        #expect(!accepts("1900-02-29", as: "date"))
        #expect(!accepts("2024-04-31", as: "date"))
        #expect(!accepts("2024-4-01", as: "date"))
    }

    @Test("uuid defaults are 8-4-4-4-12 hex, either case")
    func uuids() {
        #expect(DefaultResolverTests().resolveQuoted("123E4567-e89b-12d3-a456-426614174000", as: "uuid")
            == .uuid(UUID(uuidString: "123e4567-e89b-12d3-a456-426614174000")!))
        #expect(!accepts("123e4567e89b12d3a456426614174000", as: "uuid"))
        #expect(!accepts("123e4567-e89b-12d3-a456-42661417400g", as: "uuid"))
    }

    @Test("decimal defaults keep their text exactly")
    func decimals() {
        #expect(DefaultResolverTests().resolveQuoted("19.90", as: "decimal") == .decimal("19.90"))
        #expect(!accepts("19,90", as: "decimal"))
        #expect(!accepts("1.", as: "decimal"))
    }
}
