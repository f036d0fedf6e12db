import ContractChecker
import ContractCodegen
import ContractModel
import ContractParser
import EventCore
import Foundation
import Testing
import ToolTestSupport

/// Random two-version histories, judged by our checker and by Apache Avro's
/// `ReaderWriterCompatibilityChecker` on the exported schemas, in both directions. The verdicts
/// must agree. Types are drawn from what both sides model the same way: not bytes (string ↔ bytes
/// is a promotion in Avro but not on our JSON wire) and not the logical types (Avro's checker
/// ignores them; our wire carries them as text). Type names stay stable across versions because
/// Avro, unlike us, also compares record and enum names.
@Suite("Differential against Apache Avro")
struct AvroDifferentialTests {
    static let python = ExternalTool.python(importing: ["avro.compatibility"], environment: "EVENTC_AVRO_PYTHON")

    @Test("random histories: our verdict equals Avro's in both directions",
          .enabled(if: python != nil, "needs Python with the 'avro' package (.venv/bin/python or EVENTC_AVRO_PYTHON); .ci/run installs it"))
    func verdictsAgreeWithAvro() async throws {
        let python = try #require(Self.python)
        let seed = ProcessInfo.processInfo.environment["EVENTC_DIFF_SEED"].flatMap(UInt64.init) ?? UInt64.random(in: 0...UInt64.max)
        print("AvroDifferentialTests seed: \(seed) (rerun with EVENTC_DIFF_SEED=\(seed))")
        var random = SplitMix64(seed: seed)
        var cases: [(text: String, contract: Contract, checked: CheckedContract)] = []
        while cases.count < 1_000 {
            var generator = HistoryGenerator(random: &random)
            let text = generator.contract()
            let report = CheckPipeline(linter: Linter(rules: [TypeReferenceRule(), DefaultValueRule()], crossContractRules: []))
                .run([SourceFile(path: "d/Random.yaml", bytes: Array(text.utf8))], resolving: true)
            guard report.errorCount == 0, let contract = report.contracts.first, let checked = report.checked.first else {
                Issue.record("seed \(seed): generated an invalid contract:\n\(text)\n\(report.diagnostics)")
                return
            }
            cases.append((text, contract, checked))
        }
        var pairs: [JSONValue] = []
        var ours: [Bool] = []
        for (_, contract, checked) in cases {
            let schemas = checked.versions.map { AvroSchemaExporter.schema(of: checked, version: $0) }
            for (reader, writer) in [(1, 0), (0, 1)] {
                pairs.append(.object([("reader", schemas[reader]), ("writer", schemas[writer])]))
                let found = SchemaCompatibility.canRead(reader: SchemaVersion(contract, contract.versions[reader]),
                                                        writer: SchemaVersion(contract, contract.versions[writer]))
                ours.append(found.isEmpty)
            }
        }
        let script = repositoryRoot.appendingPathComponent("Tests/ContractCodegenTests/avro_compatibility.py").path
        let output = try await ExternalTool.run(python, [script], input: Data(JSONValue.array(pairs).rendered().utf8))
        let avro = try #require(try JSONSerialization.jsonObject(with: output) as? [Bool])
        #expect(avro.count == ours.count)
        var disagreements = 0
        for index in ours.indices where ours[index] != avro[index] {
            disagreements += 1
            if disagreements <= 3 {
                let direction = index % 2 == 0 ? "v2 reads v1" : "v1 reads v2"
                Issue.record("seed \(seed): \(direction): ours \(ours[index]), Avro \(avro[index])\n\(cases[index / 2].text)")
            }
        }
        let compatible = ours.filter { $0 }.count
        print("AvroDifferentialTests: \(ours.count) verdicts, \(compatible) compatible, \(disagreements) disagreements")
        #expect(compatible > ours.count / 10 && compatible < ours.count * 9 / 10, "the generator should produce both verdicts")
    }
}

/// Writes a random contract with two versions: version 2 is version 1 with one to three small
/// evolutions (a field kept, dropped, added with or without a default, retyped, made optional
/// or required, renamed with an alias; a record or enum gaining or losing a field or symbol), so
/// both verdicts are common and every rule fires.
struct HistoryGenerator {
    struct FieldSpec {
        var name: String
        var type: String
        var defaultValue: String?
        var aliases: [String] = []
    }

    struct VersionSpec {
        var fields: [FieldSpec]
        var recordFields: [FieldSpec]
        var symbols: [String]
        var enumDefault: Bool
    }

    var random: SplitMix64

    init(random: inout SplitMix64) {
        self.random = SplitMix64(seed: random.next())
    }

    static let scalars = ["int", "long", "float", "double", "string", "bool"]
    static let fieldNames = ["a", "b", "c", "d", "e", "f", "g"]
    static let symbols = ["red", "green", "blue", "cyan"]

    mutating func chance(_ percent: Int) -> Bool { Int.random(in: 0..<100, using: &random) < percent }
    mutating func pick<T>(_ items: [T]) -> T { items[Int.random(in: 0..<items.count, using: &random)] }

    mutating func type(depth: Int = 0, allowRecord: Bool) -> String {
        var base: String
        switch Int.random(in: 0..<10, using: &random) {
        case 0..<5: base = pick(Self.scalars)
        case 5: base = depth < 2 ? "array<\(type(depth: depth + 1, allowRecord: allowRecord))>" : "int"
        case 6: base = depth < 2 ? "map<\(type(depth: depth + 1, allowRecord: allowRecord))>" : "long"
        case 7: base = allowRecord ? "Rec" : "string"
        default: base = "Color"
        }
        return chance(25) ? base + "?" : base
    }

    func defaultValue(for type: String) -> String? {
        if type.hasSuffix("?") { return "null" }
        switch type {
        case "int", "long": return "7"
        case "float", "double": return "1.5"
        case "string": return "x"
        case "bool": return "true"
        case "Color": return "red"
        case "Rec": return nil
        default: return type.hasPrefix("array") ? "[]" : (type.hasPrefix("map") ? "{}" : nil)
        }
    }

    mutating func field(_ name: String, allowRecord: Bool) -> FieldSpec {
        let fieldType = type(allowRecord: allowRecord)
        return FieldSpec(name: name, type: fieldType, defaultValue: chance(40) ? defaultValue(for: fieldType) : nil)
    }

    /// One evolution step on a field list.
    mutating func evolve(_ fields: inout [FieldSpec], names: [String], allowRecord: Bool) {
        let unused = names.filter { name in !fields.contains { $0.name == name } }
        switch Int.random(in: 0..<7, using: &random) {
        case 0 where fields.count > 1:
            fields.remove(at: Int.random(in: 0..<fields.count, using: &random))
        case 1 where !unused.isEmpty:
            fields.append(field(pick(unused), allowRecord: allowRecord))
        case 2 where !fields.isEmpty:
            let index = Int.random(in: 0..<fields.count, using: &random)
            fields[index].type = type(allowRecord: allowRecord)
            fields[index].defaultValue = chance(40) ? defaultValue(for: fields[index].type) : nil
        case 3 where !fields.isEmpty:
            let index = Int.random(in: 0..<fields.count, using: &random)
            let old = fields[index].type
            fields[index].type = old.hasSuffix("?") ? String(old.dropLast()) : old + "?"
            fields[index].defaultValue = nil
        case 4 where !fields.isEmpty && !unused.isEmpty:
            let index = Int.random(in: 0..<fields.count, using: &random)
            let oldName = fields[index].name
            fields[index].name = pick(unused)
            fields[index].aliases = chance(70) ? [oldName] : []
        case 5 where !fields.isEmpty:
            let index = Int.random(in: 0..<fields.count, using: &random)
            let promotions = ["int": ["long", "float", "double"], "long": ["float", "double"], "float": ["double"]]
            let old = fields[index].type
            fields[index].type = promotions[old].map { pick($0) } ?? (promotions.keys.contains(old) ? old : "string")
            fields[index].defaultValue = nil
        default:
            let index = Int.random(in: 0..<max(fields.count, 1), using: &random)
            if index < fields.count { fields[index].defaultValue = defaultValue(for: fields[index].type) }
        }
    }

    mutating func contract() -> String {
        var v1 = VersionSpec(
            fields: Self.fieldNames.prefix(4).filter { _ in chance(75) }.map { field($0, allowRecord: true) },
            recordFields: ["x", "y"].map { field($0, allowRecord: false) },
            symbols: ["red"] + Self.symbols.dropFirst().filter { _ in chance(50) },
            enumDefault: chance(40))
        if v1.fields.isEmpty { v1.fields = [field("a", allowRecord: true)] }
        var v2 = v1
        for _ in 0..<Int.random(in: 1...3, using: &random) {
            switch Int.random(in: 0..<10, using: &random) {
            case 0..<6: evolve(&v2.fields, names: Self.fieldNames, allowRecord: true)
            case 6, 7: evolve(&v2.recordFields, names: ["x", "y", "z"], allowRecord: false)
            case 8: v2.symbols = ["red"] + Self.symbols.dropFirst().filter { _ in chance(50) }
            default: v2.enumDefault.toggle()
            }
        }
        var text = "event: Random\nowner: o\nsummary: s.\ntopic: t\nkey: none\ncompatibility: NONE\nversions:\n"
        for (number, spec) in [(1, v1), (2, v2)] {
            text += "  - version: \(number)\n    types:\n"
            text += "      Color: { kind: enum, symbols: [\(spec.symbols.joined(separator: ", "))]\(spec.enumDefault ? ", default: red" : "") }\n"
            text += "      Rec:\n        kind: record\n        fields:\n" + render(spec.recordFields, indent: "          ")
            text += "    fields:\n" + render(spec.fields, indent: "      ")
        }
        return text
    }

    private func render(_ fields: [FieldSpec], indent: String) -> String {
        if fields.isEmpty { return "\(indent)placeholder: int\n" }
        return fields.map { field in
            var parts = ["type: \"\(field.type)\""]
            if let value = field.defaultValue { parts.append("default: \(value)") }
            if !field.aliases.isEmpty { parts.append("aliases: [\(field.aliases.joined(separator: ", "))]") }
            return "\(indent)\(field.name): { \(parts.joined(separator: ", ")) }\n"
        }.joined()
    }
}
