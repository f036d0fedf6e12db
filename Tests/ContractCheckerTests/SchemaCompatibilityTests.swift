import ContractChecker
import ContractModel
import ContractParser
import EventCore
import Testing

@Suite("Schema compatibility")
struct SchemaCompatibilityTests {
    /// A contract whose versions are the given field blocks (flow mappings), with shared `types`.
    static func contract(_ versions: [String], mode: String = "NONE", types: String = "", versionTypes: [Int: String] = [:])
        -> Contract
    {
        var text = "event: Sample\nowner: o\nsummary: s.\ntopic: t\nkey: none\ncompatibility: \(mode)\n"
        if !types.isEmpty { text += "types:\n\(types)" }
        text += "versions:\n"
        for (index, fields) in versions.enumerated() {
            text += "  - version: \(index + 1)\n"
            if let own = versionTypes[index + 1] { text += "    types:\n\(own)" }
            text += "    fields: \(fields)\n"
        }
        let parsed = ContractFileParser.parse(text, file: "s/Sample.yaml")
        #expect(parsed.diagnostics.isEmpty, "\(parsed.diagnostics)")
        return parsed.contract!
    }

    /// Rules found when version `reader` reads data written by version `writer` (1-based).
    static func canRead(_ contract: Contract, reader: Int, writer: Int) -> [Incompatibility] {
        SchemaCompatibility.canRead(reader: SchemaVersion(contract, contract.versions[reader - 1]),
                                    writer: SchemaVersion(contract, contract.versions[writer - 1]))
    }

    static func rules(_ found: [Incompatibility]) -> [RuleID] { found.map(\.rule) }

    // MARK: Fields

    @Test("an added field needs a default to read old data; old readers skip it")
    func addedField() {
        let c = Self.contract(["{ id: string }", "{ id: string, currency: string }"])
        #expect(Self.rules(Self.canRead(c, reader: 2, writer: 1)) == [.compatMissingDefault])
        #expect(Self.canRead(c, reader: 1, writer: 2).isEmpty)
        let withDefault = Self.contract(["{ id: string }", "{ id: string, currency: { type: string, default: KRW } }"])
        #expect(Self.canRead(withDefault, reader: 2, writer: 1).isEmpty)
        let optional = Self.contract(["{ id: string }", "{ id: string, currency: string? }"])
        #expect(Self.canRead(optional, reader: 2, writer: 1).isEmpty, "an optional field defaults to null")
    }

    @Test("a removed field breaks old readers unless they had a default for it")
    func removedField() {
        let c = Self.contract(["{ id: string, note: string }", "{ id: string }"])
        #expect(Self.canRead(c, reader: 2, writer: 1).isEmpty)
        let found = Self.canRead(c, reader: 1, writer: 2)
        #expect(Self.rules(found) == [.compatMissingDefault])
        #expect(found.first?.location == c.versions[1].number.location, "pointed at the newer version, which lacks it")
        let defaulted = Self.contract(["{ id: string, note: { type: string, default: \"\" } }", "{ id: string }"])
        #expect(Self.canRead(defaulted, reader: 1, writer: 2).isEmpty)
    }

    @Test("a rename with an alias reads old data; old readers, without the alias, do not")
    func renameWithAlias() {
        let c = Self.contract(["{ id: string, amount: long }", "{ id: string, total: { type: long, aliases: [amount] } }"])
        #expect(Self.canRead(c, reader: 2, writer: 1).isEmpty)
        #expect(Self.rules(Self.canRead(c, reader: 1, writer: 2)) == [.compatMissingDefault])
    }

    // MARK: Types

    @Test("promotions follow Avro and nothing else does", arguments: [
        ("int", "long", true), ("int", "float", true), ("int", "double", true), ("long", "float", true),
        ("long", "double", true), ("float", "double", true), ("long", "int", false), ("double", "float", false),
        ("string", "bytes", false), ("bytes", "string", false), ("int", "string", false), ("string", "uuid", false),
        ("uuid", "string", false), ("timestamp", "long", false), ("decimal", "double", false), ("bool", "int", false),
    ])
    func promotions(writer: String, reader: String, readable: Bool) {
        let c = Self.contract(["{ v: \(writer) }", "{ v: \(reader) }"])
        let found = Self.canRead(c, reader: 2, writer: 1)
        #expect(found.isEmpty == readable, "\(writer) → \(reader): \(found)")
        if !readable { #expect(Self.rules(found) == [.compatTypeMismatch]) }
    }

    @Test("T reads as T?, T? does not read as T")
    func optionality() {
        let c = Self.contract(["{ v: string }", "{ v: string? }"])
        #expect(Self.canRead(c, reader: 2, writer: 1).isEmpty)
        #expect(Self.rules(Self.canRead(c, reader: 1, writer: 2)) == [.compatOptionalToRequired])
    }

    @Test("containers compare their elements, and paths say where", arguments: [
        ("array<int>", "array<long>", "v[]", true), ("array<long>", "array<int>", "v[]", false),
        ("map<string>", "map<string?>", "v{}", true), ("map<array<int>>", "map<array<string>>", "v{}[]", false),
        ("array<int>", "map<int>", "v", false),
    ])
    func containers(writer: String, reader: String, path: String, readable: Bool) {
        let c = Self.contract(["{ v: \"\(writer)\" }", "{ v: \"\(reader)\" }"])
        let found = Self.canRead(c, reader: 2, writer: 1)
        #expect(found.isEmpty == readable)
        if !readable { #expect(found.first?.path == path) }
    }

    @Test("nested record fields are checked with their full path")
    func nestedPaths() {
        let c = Self.contract(
            ["{ total: Money, items: \"array<Line>\" }", "{ total: Money, items: \"array<Line>\" }"],
            versionTypes: [
                1: "      Money: { kind: record, fields: { amount: decimal } }\n      Line: { kind: record, fields: { sku: string } }\n",
                2: "      Money: { kind: record, fields: { amount: decimal, currency: string } }\n      Line: { kind: record, fields: { sku: long } }\n",
            ])
        let found = Self.canRead(c, reader: 2, writer: 1)
        #expect(Set(found.map(\.path)) == ["total.currency", "items[].sku"])
        #expect(found.first { $0.path == "total.currency" }?.hint == "give 'currency' a default, or make it optional")
        #expect(found.allSatisfy { $0.readerVersion == 2 && $0.writerVersion == 1 })
    }

    @Test("named types compare by structure, not by name")
    func structuralNamedTypes() {
        let c = Self.contract(
            ["{ total: Money }", "{ total: Amount }"],
            versionTypes: [1: "      Money: { kind: record, fields: { value: long } }\n",
                           2: "      Amount: { kind: record, fields: { value: long } }\n"])
        #expect(Self.canRead(c, reader: 2, writer: 1).isEmpty)
        #expect(Self.canRead(c, reader: 1, writer: 2).isEmpty)
    }

    @Test("recursive types terminate")
    func recursionTerminates() {
        let c = Self.contract(
            ["{ tree: Node }", "{ tree: Node }"],
            versionTypes: [1: "      Node: { kind: record, fields: { children: \"array<Node>\", next: Node? } }\n",
                           2: "      Node: { kind: record, fields: { children: \"array<Node>\", next: Node?, label: string? } }\n"])
        #expect(Self.canRead(c, reader: 2, writer: 1).isEmpty)
        #expect(Self.canRead(c, reader: 1, writer: 2).isEmpty)
    }

    // MARK: Enums

    @Test("a symbol the reader lacks breaks unless the reader's enum has a default; a field default does not help")
    func enumSymbols() {
        let types: [Int: String] = [1: "      Tier: { kind: enum, symbols: [gold, silver] }\n",
                                    2: "      Tier: { kind: enum, symbols: [gold, silver, platinum] }\n"]
        let c = Self.contract(["{ tier: { type: Tier, default: gold } }", "{ tier: { type: Tier, default: gold } }"],
                              versionTypes: types)
        #expect(Self.canRead(c, reader: 2, writer: 1).isEmpty)
        let found = Self.canRead(c, reader: 1, writer: 2)
        #expect(Self.rules(found) == [.compatEnumSymbolMissing])
        #expect(found.first?.hint == "keep symbol platinum or give enum 'Tier' a default")
        let withDefault = Self.contract(
            ["{ tier: Tier }", "{ tier: Tier }"],
            versionTypes: [1: "      Tier: { kind: enum, symbols: [gold, silver], default: silver }\n",
                           2: "      Tier: { kind: enum, symbols: [gold, silver, platinum] }\n"])
        #expect(Self.canRead(withDefault, reader: 1, writer: 2).isEmpty)
    }

    // MARK: Modes and history

    @Test("each mode checks the directions it names", arguments: [
        ("NONE", [RuleID]()), ("BACKWARD", [.compatMissingDefault]), ("FORWARD", [.compatTypeMismatch]),
        ("FULL", [.compatMissingDefault, .compatTypeMismatch]),
    ])
    func modeDirections(mode: String, expected: [RuleID]) {
        // v2 adds a required field (breaks BACKWARD) and widens int → long (breaks FORWARD).
        let c = Self.contract(["{ n: int }", "{ n: long, extra: string }"], mode: mode)
        #expect(HistoryCompatibility.check(c).map(\.rule).sorted() == expected.sorted())
        #expect(HistoryCompatibility.check(c).allSatisfy { $0.compatibility?.mode?.rawValue == mode })
    }

    @Test("transitive modes catch what passes step by step: delete a in v2, re-add it with another type in v3",
          arguments: ["BACKWARD", "FORWARD", "FULL"])
    func transitiveCatchesWhatStepsMiss(mode: String) {
        let history = ["{ id: string, a: { type: string, default: x } }", "{ id: string }", "{ id: string, a: { type: long, default: 0 } }"]
        let stepwise = Self.contract(history, mode: mode)
        #expect(HistoryCompatibility.check(stepwise).isEmpty, "\(HistoryCompatibility.check(stepwise))")
        let transitive = Self.contract(history, mode: mode + "_TRANSITIVE")
        let found = HistoryCompatibility.check(transitive)
        #expect(found.map(\.rule) == (mode == "FULL" ? [.compatTypeMismatch, .compatTypeMismatch] : [.compatTypeMismatch]))
        #expect(found.allSatisfy { $0.compatibility?.path == "a" && Set([$0.compatibility?.readerVersion, $0.compatibility?.writerVersion]) == [1, 3] })
        #expect(found.allSatisfy { $0.location.line == 13 }, "at the field in version 3")
    }

    @Test("a justified breaking declaration turns errors into warnings and is itself reported")
    func breakingDeclaration() throws {
        let text = """
            event: Sample
            owner: o
            summary: s.
            topic: t
            key: id
            versions:
              - version: 1
                fields: { id: string, amount: string }
              - version: 2
                breaking: { reason: "consumers upgrade first" }
                fields: { id: string, amount: long }

            """
        let report = CheckPipeline().run([SourceFile(path: "s/S.yaml", bytes: Array(text.utf8))])
        #expect(report.errorCount == 0)
        #expect(report.diagnostics.map(\.rule) == [.breakingDeclared, .compatTypeMismatch])
        #expect(report.diagnostics.allSatisfy { $0.severity == .warning })
        let unjustified = text.replacingOccurrences(of: "\"consumers upgrade first\"", with: "\"  \"")
        let failing = CheckPipeline().run([SourceFile(path: "s/S.yaml", bytes: Array(unjustified.utf8))])
        #expect(failing.diagnostics.map(\.rule) == [.breakingReasonMissing, .compatTypeMismatch])
        #expect(failing.errorCount == 2)
    }

    @Test("mode coverage: what counts as weakening")
    func modeCoverage() {
        #expect(CompatibilityLevel.fullTransitive.covers(.backward))
        #expect(CompatibilityLevel.full.covers(.forward))
        #expect(!CompatibilityLevel.backward.covers(.full))
        #expect(!CompatibilityLevel.full.covers(.backwardTransitive))
        #expect(!CompatibilityLevel.none.covers(.backward))
        #expect(CompatibilityLevel.backward.covers(.none))
    }
}
