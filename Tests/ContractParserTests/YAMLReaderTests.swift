import ContractModel
import ContractParser
import Testing

@Suite("YAML reader")
struct YAMLReaderTests {
    private func read(_ text: String, limits: YAMLLimits = .default) -> YAMLReader.Result {
        YAMLReader.read(Array(text.utf8), file: "t.yaml", limits: limits)
    }

    private func onlyRule(_ result: YAMLReader.Result) -> (RuleID, Int, Int)? {
        guard result.diagnostics.count == 1, let d = result.diagnostics.first else { return nil }
        return (d.rule, d.location.line, d.location.column)
    }

    @Test("a tab in the indentation and a line indented unlike its neighbours get a hint in our words; libyaml's stay the message", arguments: [
        ("a:\n\tb: 1\n", 2, 1, "a tab in the indentation"),
        ("a:\n  b: 1\n c: 2\n", 3, 2, "check this line's indentation"),
        ("a:\n  - x\n - y\n", 3, 2, "check this line's indentation"),
        ("event: X\n  owner: y\n", 2, 8, "check this line's indentation"),
    ])
    func indentationHints(text: String, line: Int, column: Int, hint: String) throws {
        let diagnostic = try #require(read(text).diagnostics.first)
        #expect(diagnostic.rule == .yamlSyntax && diagnostic.location.line == line && diagnostic.location.column == column)
        #expect(diagnostic.hint?.hasPrefix(hint) == true, "\(diagnostic.hint ?? "no hint")")
        #expect(diagnostic.message.contains("found character") || diagnostic.message.contains("expected") || diagnostic.message.contains("not allowed"))
    }

    @Test("YAML's core tags are honoured: each makes its scalar the value it names, quoted or not", arguments: [
        ("!!null \"~\"", ValueNode.Content.scalar("null", plain: true)),
        ("!!null", .scalar("null", plain: true)),
        ("!!int \"7\"", .scalar("7", plain: true)),
        ("!!int 0x1F", .scalar("31", plain: true)),
        ("!!int 0o17", .scalar("15", plain: true)),
        ("!!int \"+3\"", .scalar("3", plain: true)),
        ("!!bool \"TRUE\"", .scalar("true", plain: true)),
        ("!!float \"1.5\"", .scalar("1.5", plain: true)),
        ("!!str 12", .scalar("12", plain: false)),
        ("!!str null", .scalar("null", plain: false)),
    ])
    func coreTagsAreHonoured(value: String, content: ValueNode.Content) throws {
        let result = read("a: \(value)\n")
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        guard case .mapping(let entries)? = result.root?.content else { Issue.record("no mapping"); return }
        #expect(entries.first?.value.content == content)
        if value.hasPrefix("!!null") { #expect(entries.first?.value.isNull == true) }
        #expect((entries.first?.value.tag == "!!str") == value.hasPrefix("!!str"))
    }

    @Test("a value that is not its core tag's, or a tag on the wrong kind of node, is refused precisely", arguments: [
        ("a: !!int \"7.5\"\n", RuleID.invalidValue, "'7.5' is not an integer, as its tag !!int says"),
        ("a: !!bool yes\n", .invalidValue, "'yes' is not a bool"),
        ("a: !!null \"x\"\n", .invalidValue, "'x' is not a null"),
        ("a: !!float abc\n", .invalidValue, "'abc' is not a number"),
        ("a: !!int 99999999999999999999\n", .invalidValue, "is not an integer"),
        ("a: !!map [1]\n", .invalidValue, "a sequence is not what its tag !!map says"),
        ("a: !!seq x\n", .invalidValue, "'x' is not a sequence"),
        ("a: !!binary AA==\n", .yamlUnsupportedTag, "tag !!binary is not allowed"),
        ("a: !custom x\n", .yamlUnsupportedTag, "tag !custom is not allowed"),
    ])
    func wrongTaggedValuesAreRefused(text: String, rule: RuleID, message: String) throws {
        let diagnostic = try #require(read(text).diagnostics.first)
        #expect(diagnostic.rule == rule)
        #expect(diagnostic.message.contains(message), "\(diagnostic.message)")
        #expect(diagnostic.location.line == 1 && diagnostic.location.column == 4)
    }

    @Test("every node knows its 1-based line and column")
    func nodesCarryLocations() throws {
        let result = read("a: 1\nb:\n  - x\n  - { c: y }\n")
        let root = try #require(result.root)
        guard case .mapping(let entries) = root.content else { Issue.record("root is not a mapping"); return }
        #expect(entries.map(\.key) == ["a", "b"])
        #expect(entries[0].keyLocation == SourceLocation(file: "t.yaml", line: 1, column: 1))
        #expect(entries[0].value.location == SourceLocation(file: "t.yaml", line: 1, column: 4))
        guard case .sequence(let items) = entries[1].value.content else { Issue.record("b is not a sequence"); return }
        #expect(items[0].location.line == 3 && items[0].location.column == 5)
        guard case .mapping(let inner) = items[1].content else { Issue.record("no inner mapping"); return }
        #expect(inner[0].keyLocation.line == 4 && inner[0].keyLocation.column == 7)
    }

    @Test("columns count characters, not bytes")
    func columnsCountCharacters() throws {
        let root = try #require(read("k: \"가나다\"\nx: 한글 y\n").root)
        guard case .mapping(let entries) = root.content else { Issue.record(); return }
        #expect(entries[1].value.location.column == 4)
        if case .scalar(let text, let plain) = entries[1].value.content {
            #expect(text == "한글 y" && plain)
        }
    }

    @Test("scalars keep their text and whether they were plain; typing is left to the schema")
    func scalarsAreUntyped() throws {
        let root = try #require(read("a: no\nb: \"no\"\nc: 007\nd:\ne: ~\nf: !!str null\n").root)
        guard case .mapping(let e) = root.content else { Issue.record(); return }
        #expect(e[0].value.content == .scalar("no", plain: true))
        #expect(e[1].value.content == .scalar("no", plain: false))
        #expect(e[2].value.content == .scalar("007", plain: true))
        #expect(e[3].value.isNull && e[4].value.isNull)
        #expect(!e[5].value.isNull, "a !!str tag makes the scalar a string")
    }

    @Test("a 400-byte billion-laughs file fails fast with a clear error")
    func billionLaughsFailsFast() {
        var text = "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
        var previous = "a"
        for name in ["b", "c", "d", "e", "f", "g", "h", "i"] {
            text += "\(name): &\(name) [" + Array(repeating: "*\(previous)", count: 9).joined(separator: ",") + "]\n"
            previous = name
        }
        #expect(text.utf8.count < 450)
        let clock = ContinuousClock()
        var result: YAMLReader.Result?
        let elapsed = clock.measure { result = read(text) }
        #expect(result.flatMap(onlyRule)?.0 == .yamlAliasLimit)
        #expect(result?.diagnostics.first?.message.contains("nodes") == true)
        // Generous bound: expansion would take minutes and gigabytes; refusal takes microseconds.
        #expect(elapsed < .seconds(2))
    }

    @Test("alias uses are capped even when each expands to little")
    func aliasUsesAreCapped() {
        let text = "a: &a x\nb: [" + Array(repeating: "*a", count: 20).joined(separator: ",") + "]\n"
        let result = read(text, limits: YAMLLimits(maxAliases: 10))
        #expect(result.diagnostics.first?.rule == .yamlAliasLimit)
        #expect(result.diagnostics.first?.message.contains("alias uses") == true)
    }

    @Test("ordinary aliases resolve to their anchor's value")
    func aliasesResolve() throws {
        let root = try #require(read("a: &money { amount: decimal }\nb: *money\n").root)
        guard case .mapping(let e) = root.content else { Issue.record(); return }
        #expect(e[0].value.content == e[1].value.content)
        #expect(e[1].value.location.line == 2)
    }

    @Test("an alias to an anchor that is not complete is refused")
    func recursiveAliasIsRefused() {
        let result = read("a: &x [1, *x]\n")
        #expect(result.diagnostics.first?.rule == .yamlUndefinedAlias)
        #expect(result.diagnostics.first?.message.contains("recursive") == true)
    }

    @Test("nesting past the cap is an error, never a stack overflow")
    func deepNestingIsRefused() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let result = read(deep)
        #expect(result.diagnostics.first?.rule == .yamlNestingTooDeep)
        let mappings = (0..<70).map { String(repeating: "  ", count: $0) + "k\($0):" }.joined(separator: "\n") + " x\n"
        #expect(read(mappings).diagnostics.first?.rule == .yamlNestingTooDeep)
    }

    @Test("files over the size cap are refused before parsing")
    func oversizedFileIsRefused() {
        let big = [UInt8](repeating: UInt8(ascii: "#"), count: (4 << 20) + 1)
        let result = YAMLReader.read(big, file: "big.yaml")
        #expect(result.diagnostics.first?.rule == .yamlFileTooLarge)
        #expect(result.diagnostics.first?.location == SourceLocation(file: "big.yaml", line: 1, column: 1))
        let exactlyAtCap = [UInt8](repeating: UInt8(ascii: "#"), count: 4 << 20)
        #expect(YAMLReader.read(exactlyAtCap, file: "ok.yaml").diagnostics.isEmpty)
    }

    @Test("invalid UTF-8 is located at its first bad byte", arguments: [
        ([0x61, 0x3A, 0x20, 0xFF], 1, 4),               // stray byte
        ([0x61, 0x0A, 0x62, 0xC0, 0xAF], 2, 2),         // overlong '/'
        ([0x61, 0x3A, 0x20, 0xED, 0xA0, 0x80], 1, 4),   // UTF-16 surrogate
        ([0x61, 0x3A, 0x20, 0xE4, 0xB8], 1, 4),         // truncated sequence
        ([0xC3, 0xA9, 0x3A, 0x20, 0xF5, 0x80, 0x80, 0x80], 1, 4),  // above U+10FFFF
    ])
    func invalidUTF8IsLocated(bytes: [UInt8], line: Int, column: Int) {
        let result = YAMLReader.read(bytes, file: "u.yaml")
        #expect(result.diagnostics.first?.rule == .yamlInvalidUTF8)
        #expect(result.diagnostics.first?.location.line == line)
        #expect(result.diagnostics.first?.location.column == column)
    }

    @Test("a second document is an error at its start")
    func multipleDocumentsAreRefused() {
        let result = read("a: 1\n---\nb: 2\n")
        #expect(onlyRule(result).map { "\($0.0) \($0.1):\($0.2)" } == "YAML_MULTIPLE_DOCUMENTS 2:1")
        #expect(read("---\na: 1\n...\n").diagnostics.isEmpty, "one explicit document is fine")
    }

    @Test("non-standard tags are refused, core tags accepted", arguments: [
        ("a: !!python/object:os.system x\n", true),
        ("a: !custom x\n", true),
        ("a: !<tag:example.com,2000:x> y\n", true),
        ("a: !!str x\n", false),
        ("a: !!map { b: 1 }\n", false),
    ])
    func tagsAreChecked(text: String, refused: Bool) {
        let result = read(text)
        #expect((result.diagnostics.first?.rule == .yamlUnsupportedTag) == refused, "\(result.diagnostics)")
    }

    @Test("a mapping key that is a collection is refused")
    func complexKeysAreRefused() {
        #expect(read("{ [a]: 1 }\n").diagnostics.first?.rule == .yamlComplexKey)
    }

    @Test("libyaml syntax errors keep libyaml's location and context")
    func syntaxErrorsAreLocated() {
        let result = read("a: [1, 2\nb: 3\n")
        #expect(result.diagnostics.first?.rule == .yamlSyntax)
        #expect(result.diagnostics.first?.location.line == 2)
        #expect(read("a: 'unterminated\n").diagnostics.first?.rule == .yamlSyntax)
        #expect(read("\t- tab indentation\n").diagnostics.first?.rule == .yamlSyntax)
    }

    @Test("control characters are a syntax error, not a crash")
    func controlCharactersAreRefused() {
        let result = YAMLReader.read([0x61, 0x3A, 0x20, 0x00, 0x62], file: "nul.yaml")
        #expect(result.diagnostics.first?.rule == .yamlSyntax)
    }

    @Test("an empty file has no root and no error at this stage")
    func emptyFileHasNoRoot() {
        let result = read("")
        #expect(result.root == nil && result.diagnostics.isEmpty)
        #expect(read("# only a comment\n").root == nil)
    }
}
