import ContractChecker
import ContractCodegen
import ContractModel
import EventCore
import Foundation
import GeneratedContracts
import Testing
import ToolTestSupport

/// The exported JSON Schemas against what the generated codecs really write, judged by Python's
/// `jsonschema`: random payloads of every version of every contract in Contracts/ are decoded
/// by the generated decoders and encoded again; each encoding must be valid under the newest
/// version's schema, and the same encodings broken (a field gone, a value of the wrong kind) must not.
@Suite("JSON Schema differential")
struct JSONSchemaDifferentialTests {
    static let python = ExternalTool.python(importing: ["jsonschema", "rfc3339_validator"], environment: "EVENTC_JSONSCHEMA_PYTHON")

    /// The generated types, by event name (the catalog test keeps this list complete).
    static let types: [String: any EventContract.Type] = [
        "DeliveryStarted": DeliveryStarted.self, "OrderApproved": OrderApproved.self, "OrderCancelled": OrderCancelled.self,
        "OrderCreated": OrderCreated.self, "PaymentCompleted": PaymentCompleted.self, "ProductLiked": ProductLiked.self,
        "ProductUnliked": ProductUnliked.self, "RefundIssued": RefundIssued.self,
    ]

    static func reencode<Event: EventContract>(_ type: Event.Type, _ json: [UInt8], version: Int) throws -> [UInt8] {
        try Event.decode(json: json, version: version).jsonBytes()
    }

    /// What the generated validator says of the newest version's JSON `json`.
    static func violation<Event: EventContract>(_ type: Event.Type, _ json: [UInt8]) throws -> EventRuleViolation? {
        do {
            try Event.decode(json: json, version: Event.currentVersion).validate()
            return nil
        } catch let violation as EventRuleViolation {
            return violation
        }
    }

    @Test("the catalog's example payload of every version decodes with the generated decoder")
    func examplesDecode() throws {
        for contract in try CheckedFixtures.contracts(under: "Contracts") {
            let type = try #require(Self.types[contract.event])
            for version in contract.versions {
                let example = ExamplePayload.value(of: version).rendered()
                #expect(throws: Never.self, "\(contract.event) v\(version.number): \(example)") {
                    try Self.reencode(type, Array(example.utf8), version: version.number)
                }
            }
        }
    }

    @Test("every generated type is covered")
    func everyTypeCovered() {
        #expect(Set(Self.types.keys) == Set(EventCatalog.contracts.map(\.eventType)))
    }

    @Test("what the generated encoders write is valid under the exported schema exactly when it passes the generated validator; broken payloads are not",
          .enabled(if: python != nil, "needs Python with jsonschema and rfc3339-validator in .venv; .ci/run installs them"))
    func encodingsMatchSchemas() async throws {
        let python = try #require(Self.python)
        let seed = ProcessInfo.processInfo.environment["EVENTC_DIFF_SEED"].flatMap(UInt64.init) ?? UInt64.random(in: 0...UInt64.max)
        print("JSONSchemaDifferentialTests seed: \(seed) (rerun with EVENTC_DIFF_SEED=\(seed))")
        var random = SplitMix64(seed: seed)
        var schemas: [(String, JSONValue)] = []
        var good: [JSONValue] = [], broken: [JSONValue] = []
        // Encodings the generated validator refuses (a data rule broken): the schema must refuse them too.
        var refused: [(payload: JSONValue, violation: EventRuleViolation)] = []
        // Broken bounds of decimals, timestamps and dates, which JSON carries as text: the schema
        // can only annotate them (`x-eventcontracts-rules`), so its verdict is not compared.
        var annotatedOnly = 0
        for contract in try CheckedFixtures.contracts(under: "Contracts") {
            let type = try #require(Self.types[contract.event])
            let name = "\(contract.event).v\(contract.latest.number)"
            for version in contract.versions {
                schemas.append(("\(contract.event).v\(version.number)", JSONSchemaExporter.schema(of: contract, version: version)))
                // The catalog's example of each version is valid under that version's schema.
                good.append(.array([.string("\(contract.event).v\(version.number)"), ExamplePayload.value(of: version)]))
            }
            for _ in 0..<300 {
                let version = contract.versions[Int.random(in: 0..<contract.versions.count, using: &random)]
                var generator = RandomPayload(version: version, random: random)
                let input = generator.payload()
                random = generator.random
                let encoded = try Self.reencode(type, Array(input.rendered().utf8), version: version.number)
                let object = try #require(try JSONSerialization.jsonObject(with: Data(encoded)) as? [String: Any])
                if let violation = try Self.violation(type, encoded) {
                    if Self.expressible(violation, in: contract.latest) {
                        refused.append((.array([.string(name), .raw(encoded)]), violation))
                    } else {
                        annotatedOnly += 1
                    }
                    continue
                }
                good.append(.array([.string(name), .raw(encoded)]))
                broken.append(.array([.string(name), Self.broken(object, contract.latest, using: &random)]))
            }
        }
        let input = JSONValue.object([("schemas", .object(schemas)), ("payloads", .array(good + broken + refused.map(\.payload)))]).rendered()
        let script = repositoryRoot.appendingPathComponent("Tests/GeneratedContractsTests/json_schema_check.py").path
        let output = try await ExternalTool.run(python, [script], input: Data(input.utf8))
        let verdicts = try #require(try JSONSerialization.jsonObject(with: output, options: .fragmentsAllowed) as? [Any])
        #expect(verdicts.count == good.count + broken.count + refused.count)
        let rejectedGood = verdicts.prefix(good.count).enumerated().filter { !($0.element is NSNull) }
        for (index, reason) in rejectedGood.prefix(3) {
            Issue.record("seed \(seed): encoder output refused by its schema: \(reason)\n\(good[index].rendered())")
        }
        let acceptedBroken = verdicts.dropFirst(good.count).prefix(broken.count).enumerated().filter { $0.element is NSNull }
        for (index, _) in acceptedBroken.prefix(3) {
            Issue.record("seed \(seed): a broken payload passed its schema:\n\(broken[index].rendered())")
        }
        let acceptedRefused = verdicts.dropFirst(good.count + broken.count).enumerated().filter { $0.element is NSNull }
        for (index, _) in acceptedRefused.prefix(3) {
            Issue.record("seed \(seed): the validator refused (\(refused[index].violation)) what the schema accepts:\n\(refused[index].payload.rendered())")
        }
        #expect(refused.count >= 50, "seed \(seed): too few payloads broke a data rule to compare the verdicts (\(refused.count))")
        print("JSONSchemaDifferentialTests: \(good.count) encodings valid: \(good.count - rejectedGood.count); "
              + "\(broken.count) broken payloads refused: \(broken.count - acceptedBroken.count); "
              + "\(refused.count) refused by the generated validator, by the schema too: \(refused.count - acceptedRefused.count); "
              + "\(annotatedOnly) broke a bound JSON Schema can only annotate")
    }

    /// Whether JSON Schema can state the rule `violation` breaks: not a range bound of a
    /// decimal, timestamp or date (text in JSON).
    static func expressible(_ violation: EventRuleViolation, in version: CheckedVersion) -> Bool {
        guard [.min, .max, .exclusiveMin, .exclusiveMax].contains(violation.rule) else { return true }
        // Follow the path (`total.amount`, `lines[2].price`) through the records to the field's type.
        let names = violation.field.replacingOccurrences(of: #"\[[^\]]*\]"#, with: "", options: .regularExpression).split(separator: ".")
        var fields = version.fields
        var type: TypeExpression?
        for name in names {
            guard let field = fields.first(where: { $0.name == name }) else { return true }
            type = field.type
            if case .named(let record)? = field.type.referencedNames.first.map(TypeExpression.named) {
                fields = version.type(named: record)?.fields ?? []
            }
        }
        guard case .primitive(let primitive)? = type?.nonOptional else { return true }
        return ![.decimal, .timestamp, .date].contains(primitive)
    }

    /// `object` with one field removed or given a value of a kind its schema refuses.
    static func broken(_ object: [String: Any], _ version: CheckedVersion, using random: inout SplitMix64) -> JSONValue {
        let target = version.fields[Int.random(in: 0..<version.fields.count, using: &random)]
        var members: [(String, JSONValue)] = []
        let remove = Bool.random(using: &random)
        for field in version.fields {
            guard let value = object[field.name] else { continue }
            if field.name == target.name {
                if remove { continue }
                members.append((field.name, wrongKind(for: field.type, in: version)))
            } else {
                members.append((field.name, .raw(Array((try? JSONSerialization.data(withJSONObject: value, options: .fragmentsAllowed)) ?? Data("null".utf8)))))
            }
        }
        return .object(members)
    }

    /// A value every schema of `type` refuses: a number where text is written, text elsewhere
    /// (an enum's unknown symbol, a malformed uuid/timestamp/date/decimal are text too).
    static func wrongKind(for type: TypeExpression, in version: CheckedVersion) -> JSONValue {
        switch type {
        case .optional(let wrapped):
            return wrongKind(for: wrapped, in: version)
        case .primitive(.bool), .primitive(.int), .primitive(.long), .primitive(.float), .primitive(.double), .array, .map:
            return .string("wrong")
        case .primitive:
            return .number("12345")
        case .named(let name):
            return version.type(named: name)?.isEnumeration == true ? .string("notASymbol") : .number("12345")
        }
    }
}

extension JSONValue {
    /// JSON text already written (the codec's own output), kept as is.
    static func raw(_ bytes: [UInt8]) -> JSONValue { .number(String(decoding: bytes, as: UTF8.self)) }
}

/// A random payload of one version, as a producer on that version might write it: fields with a
/// default sometimes left out, optional ones sometimes null, strings with escapes and any Unicode,
/// numbers at their extremes, timestamps with offsets and fractions, decimals as text or numbers.
struct RandomPayload {
    let version: CheckedVersion
    var random: SplitMix64

    mutating func payload() -> JSONValue { object(version.fields, depth: 0) }

    private mutating func object(_ fields: [CheckedField], depth: Int) -> JSONValue {
        var members: [(String, JSONValue)] = []
        for field in fields {
            if field.fallback != nil, chance(4) { continue }
            members.append((field.name, field.rules.isEmpty ? value(field.type, depth: depth) : ruled(field, depth: depth)))
        }
        return .object(members)
    }

    /// A value of a field with data rules, as likely to pass them as to break one: strings for a
    /// pattern from letters, digits and a space (no line terminator: Python's `$` also matches
    /// before a final newline, where ECMA-262's, and ours, does not), e-mail addresses valid or
    /// without an `@` (Python's jsonschema takes any text with one for an e-mail), repeated items.
    private mutating func ruled(_ field: CheckedField, depth: Int) -> JSONValue {
        let rules = field.rules
        if case .optional = field.type, chance(3) { return .null }
        if rules.pattern != nil {
            let pieces = ["A", "B", "Z", "a", "0", " ", "é"]
            return .string((0..<Int(int(0...4))).map { _ in pieces[Int(int(0...Int64(pieces.count - 1)))] }.joined())
        }
        if rules.format == .email {
            return .string(["customer@example.com", "a.b+c@mail.example.org", "no-at-sign", "", "x\(int(0...9))@host-\(int(0...9)).io"][Int(int(0...4))])
        }
        if rules.uniqueItems, case .array(let element) = field.type.nonOptional {
            let item = value(element, depth: depth + 1)
            return .array(chance(2) ? [item, item] : [item])
        }
        return value(field.type, depth: depth)
    }

    private mutating func chance(_ oneIn: Int) -> Bool { Int.random(in: 0..<oneIn, using: &random) == 0 }
    private mutating func int(_ range: ClosedRange<Int64>) -> Int64 { Int64.random(in: range, using: &random) }

    private mutating func value(_ type: TypeExpression, depth: Int) -> JSONValue {
        switch type {
        case .optional(let wrapped): return chance(3) ? .null : value(wrapped, depth: depth)
        case .array(let element):
            let count = depth > 2 ? 0 : Int(int(0...3))
            return .array((0..<count).map { _ in value(element, depth: depth + 1) })
        case .map(let element):
            let count = depth > 2 ? 0 : Int(int(0...3))
            return .object((0..<count).map { index in ("k\(index)\(text(maxLength: 4))", value(element, depth: depth + 1)) })
        case .named(let name):
            guard let named = version.type(named: name) else { return .null }
            switch named.kind {
            case .enumeration(let symbols, _): return .string(symbols[Int(int(0...Int64(symbols.count - 1)))])
            case .record(let fields): return object(fields, depth: depth + 1)
            }
        case .primitive(let primitive): return value(primitive)
        }
    }

    private mutating func value(_ primitive: PrimitiveType) -> JSONValue {
        switch primitive {
        case .bool: return .bool(chance(2))
        case .int: return .number(String(chance(5) ? [Int64(Int32.min), Int64(Int32.max)][Int(int(0...1))] : int(-100_000...100_000)))
        case .long: return .number(String(chance(5) ? [Int64.min, Int64.max][Int(int(0...1))] : int(-1 << 40...1 << 40)))
        case .float, .double:
            return .number(chance(2) ? String(int(-1000...1000)) : "\(int(-99999...99999)).\(int(0...999))e\(int(-5...5))")
        case .string: return .string(text(maxLength: 12))
        case .bytes:
            return .string(Data((0..<int(0...20)).map { _ in UInt8(truncatingIfNeeded: int(0...255)) }).base64EncodedString())
        case .decimal:
            let number = "\(chance(3) ? "-" : "")\(int(0...9_999_999)).\(int(0...99))\(chance(4) ? "e\(int(-3...3))" : "")"
            return chance(2) ? .string(number) : .number(number)
        case .uuid:
            let hex = (0..<32).map { _ in String(int(0...15), radix: 16, uppercase: chance(4)) }.joined()
            let parts = [hex.prefix(8), hex.dropFirst(8).prefix(4), hex.dropFirst(12).prefix(4), hex.dropFirst(16).prefix(4), hex.dropFirst(20)]
            return .string(parts.joined(separator: "-"))
        case .timestamp:
            var text = "\(int(1970...2199))-\(two(int(1...12)))-\(two(int(1...28)))T\(two(int(0...23))):\(two(int(0...59))):\(two(int(0...59)))"
            if chance(2) { text += "." + String(int(0...999_999_999)).prefix(Int(int(1...9))) }
            text += chance(2) ? "Z" : "\(chance(2) ? "+" : "-")\(two(int(0...13))):\(two([0, 30, 45][Int(int(0...2))]))"
            return .string(text)
        case .date: return .string("\(int(1900...2199))-\(two(int(1...12)))-\(two(int(1...28)))")
        }
    }

    private func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }

    /// Text with what must be escaped (quotes, backslashes, control characters) and any Unicode.
    private mutating func text(maxLength: Int) -> String {
        let pieces = ["a", "Z", "0", " ", "\"", "\\", "/", "\n", "\t", "\u{01}", "é", "한", "😀", "\u{2028}", "\u{7f}"]
        return (0..<Int(int(0...Int64(maxLength)))).map { _ in pieces[Int(int(0...Int64(pieces.count - 1)))] }.joined()
    }
}
