import CYAML
import ContractModel

/// Reads one YAML document into `ValueNode`s on libyaml's event API.
///
/// libyaml parses; this type decides what is acceptable for a contract file. libyaml's own
/// loader would let a 400-byte alias bomb expand to a billion nodes and accepts any tag, so we
/// build the tree ourselves from events, counting depth, aliases and expanded nodes as we go, and
/// stop at the first hostile construct with a located error.
public enum YAMLReader {
    /// A document's tree and diagnostics.
    public struct Result: Sendable {
        /// The document's root, or nil when the file is empty or could not be read.
        public var root: ValueNode?
        /// What was refused, located; empty when the document was read.
        public var diagnostics: [Diagnostic]
    }

    /// Reads the one YAML document of `bytes` (the file at `file`) within `limits`.
    public static func read(_ bytes: [UInt8], file: String, limits: YAMLLimits = .default) -> Result {
        guard bytes.count <= limits.maxBytes else {
            return Result(root: nil, diagnostics: [
                .error(
                    .yamlFileTooLarge,
                    "file is over \(limits.maxBytes) bytes; contract files are capped at \(limits.maxBytes) bytes",
                    at: SourceLocation(file: file, line: 1, column: 1),
                    hint: "split the contract, or check that this is the file you meant")
            ])
        }
        return bytes.withUnsafeBufferPointer { buffer in
            if let invalid = UTF8Validation.firstInvalidByte(in: buffer, file: file) {
                return Result(root: nil, diagnostics: [
                    .error(.yamlInvalidUTF8, "file is not valid UTF-8", at: invalid,
                           hint: "save the file as UTF-8")
                ])
            }
            var builder = TreeBuilder(file: file, limits: limits)
            return builder.build(buffer)
        }
    }
}

/// One open mapping or sequence while events stream in.
private struct OpenCollection {
    enum Kind { case mapping, sequence }
    var kind: Kind
    var location: SourceLocation
    var anchor: String?
    var items: [ValueNode] = []
    var entries: [MappingEntry] = []
    var pendingKey: (text: String, location: SourceLocation)?
    /// Nodes in this subtree so far, aliases expanded, the collection itself included.
    var nodeCount = 1
}

private struct ReadFailure: Error {
    var diagnostic: Diagnostic
}

private struct TreeBuilder {
    let file: String
    let limits: YAMLLimits
    var stack: [OpenCollection] = []
    var anchors: [String: (node: ValueNode, nodeCount: Int)] = [:]
    var openAnchors: Set<String> = []
    var aliasUses = 0
    var documents = 0
    var root: ValueNode?

    init(file: String, limits: YAMLLimits) {
        self.file = file
        self.limits = limits
    }

    mutating func build(_ buffer: UnsafeBufferPointer<UInt8>) -> YAMLReader.Result {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            return failed(.error(.yamlSyntax, "libyaml could not allocate a parser", at: location(line: 0, column: 0)))
        }
        defer { yaml_parser_delete(&parser) }
        yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
        if let base = buffer.baseAddress {
            yaml_parser_set_input_string(&parser, base, buffer.count)
        } else {
            var empty: UInt8 = 0
            yaml_parser_set_input_string(&parser, &empty, 0)
        }

        while true {
            var event = yaml_event_t()
            guard yaml_parser_parse(&parser, &event) == 1 else {
                return failed(syntaxError(parser, in: buffer))
            }
            defer { yaml_event_delete(&event) }
            if event.type == YAML_STREAM_END_EVENT { break }
            do {
                try handle(event)
            } catch {
                return failed(error.diagnostic)
            }
        }
        return YAMLReader.Result(root: root, diagnostics: [])
    }

    private func failed(_ diagnostic: Diagnostic) -> YAMLReader.Result {
        YAMLReader.Result(root: nil, diagnostics: [diagnostic])
    }

    private func location(line: Int, column: Int) -> SourceLocation {
        SourceLocation(file: file, line: line + 1, column: column + 1)
    }

    private func location(_ mark: yaml_mark_t) -> SourceLocation {
        location(line: Int(mark.line), column: Int(mark.column))
    }

    /// libyaml's own words, where it stopped, with a hint in ours for the two mistakes people
    /// make most: a tab in the indentation, and a line indented unlike its neighbours.
    private func syntaxError(_ parser: yaml_parser_t, in buffer: UnsafeBufferPointer<UInt8>) -> Diagnostic {
        let problem = parser.problem.map { String(cString: $0) } ?? "unknown problem"
        var message = problem
        if let context = parser.context.map({ String(cString: $0) }) {
            message = "\(problem) (\(context) that starts at \(location(parser.context_mark).lineColumn))"
        }
        let offset = Int(parser.problem_mark.index)
        let hint: String? =
            if offset < buffer.count, buffer[offset] == UInt8(ascii: "\t") {
                "a tab in the indentation: YAML indents with spaces only; replace the tab with spaces"
            } else if Self.indentationProblems.contains(problem) {
                "check this line's indentation: keys of one mapping line up, a nested value is indented further than its key, "
                    + "and '- ' items of one list line up"
            } else {
                nil
            }
        return .error(.yamlSyntax, message, at: location(parser.problem_mark), hint: hint)
    }

    /// What libyaml says when a line is indented unlike its neighbours.
    private static let indentationProblems: Set<String> = [
        "did not find expected key", "mapping values are not allowed in this context", "did not find expected '-' indicator",
        "block sequence entries are not allowed in this context", "could not find expected ':'",
    ]

    private mutating func handle(_ event: yaml_event_t) throws(ReadFailure) {
        let start = location(event.start_mark)
        switch event.type {
        case YAML_DOCUMENT_START_EVENT:
            documents += 1
            if documents > 1 {
                throw ReadFailure(diagnostic: .error(
                    .yamlMultipleDocuments, "a contract file holds one YAML document; a second one starts here",
                    at: start, hint: "put each contract in its own file"))
            }
        case YAML_SCALAR_EVENT:
            let scalar = event.data.scalar
            let text = Self.string(scalar.value, length: scalar.length)
            // Any quoting makes the scalar a string, never null; a core tag says what it is.
            let plain = scalar.style == YAML_PLAIN_SCALAR_STYLE && scalar.plain_implicit == 1
            let node = try taggedScalar(text, plain: plain, tag: Self.optionalString(scalar.tag), at: start)
            try add(node, nodeCount: 1, anchor: Self.optionalString(scalar.anchor), at: start)
        case YAML_ALIAS_EVENT:
            let name = Self.optionalString(event.data.alias.anchor) ?? ""
            aliasUses += 1
            if aliasUses > limits.maxAliases {
                throw ReadFailure(diagnostic: .error(
                    .yamlAliasLimit, "more than \(limits.maxAliases) alias uses in one file", at: start,
                    hint: "contracts rarely need aliases; write the values out"))
            }
            guard let target = anchors[name] else {
                let why = openAnchors.contains(name)
                    ? "alias *\(name) refers to a node that contains it; recursive aliases are not allowed"
                    : "alias *\(name) has no anchor &\(name) before it"
                throw ReadFailure(diagnostic: .error(.yamlUndefinedAlias, why, at: start))
            }
            try add(ValueNode(target.node.content, at: start), nodeCount: target.nodeCount, anchor: nil, at: start)
        case YAML_MAPPING_START_EVENT, YAML_SEQUENCE_START_EVENT:
            let isMapping = event.type == YAML_MAPPING_START_EVENT
            let tag = isMapping ? event.data.mapping_start.tag : event.data.sequence_start.tag
            let anchor = Self.optionalString(isMapping ? event.data.mapping_start.anchor : event.data.sequence_start.anchor)
            try checkCollectionTag(Self.optionalString(tag), isMapping: isMapping, at: start)
            if stack.count >= limits.maxDepth {
                throw ReadFailure(diagnostic: .error(
                    .yamlNestingTooDeep, "mappings and sequences nest more than \(limits.maxDepth) levels deep",
                    at: start))
            }
            if let anchor { openAnchors.insert(anchor) }
            stack.append(OpenCollection(kind: isMapping ? .mapping : .sequence, location: start, anchor: anchor))
        case YAML_MAPPING_END_EVENT, YAML_SEQUENCE_END_EVENT:
            guard let closed = stack.popLast() else { return }
            let content: ValueNode.Content =
                closed.kind == .mapping ? .mapping(closed.entries) : .sequence(closed.items)
            if let anchor = closed.anchor { openAnchors.remove(anchor) }
            try add(ValueNode(content, at: closed.location), nodeCount: closed.nodeCount, anchor: closed.anchor,
                    at: closed.location)
        default:
            break
        }
    }

    /// Attaches a finished node to the open collection (or makes it the root), enforcing the
    /// expanded-node budget: an alias counts as everything it stands for.
    private mutating func add(_ node: ValueNode, nodeCount: Int, anchor: String?, at location: SourceLocation)
        throws(ReadFailure)
    {
        if let anchor { anchors[anchor] = (node, nodeCount) }
        guard !stack.isEmpty else {
            root = node
            return
        }
        // Mutate the open collection in place: popping and pushing it back copies its arrays.
        let top = stack.count - 1
        // Every add checks its parent, and a collection's count includes its subtree, so no count
        // along the open path can pass the cap by more than one addition.
        stack[top].nodeCount += nodeCount
        if stack[top].nodeCount > limits.maxNodes {
            throw ReadFailure(diagnostic: .error(
                .yamlAliasLimit,
                "the document expands to more than \(limits.maxNodes) nodes (aliases counted in full)",
                at: location, hint: "this looks like an alias bomb; contracts rarely need aliases"))
        }
        switch stack[top].kind {
        case .sequence:
            stack[top].items.append(node)
        case .mapping:
            if let key = stack[top].pendingKey {
                stack[top].entries.append(MappingEntry(key: key.text, keyLocation: key.location, value: node))
                stack[top].pendingKey = nil
            } else {
                guard case .scalar(let text, _) = node.content else {
                    throw ReadFailure(diagnostic: .error(
                        .yamlComplexKey, "a mapping key must be a scalar, not \(node.shapeName)", at: location))
                }
                stack[top].pendingKey = (text, location)
            }
        }
    }

    /// A scalar as YAML's core schema tags say, when one is written: `!!str` makes it text,
    /// `!!null`, `!!bool`, `!!int` and `!!float` make it that plain value, quoted or not (so
    /// `!!int "7"` is the number 7), and a value that is not one of its tag's is refused. Other
    /// tags are refused: the contract schema types values.
    private func taggedScalar(_ text: String, plain: Bool, tag: String?, at location: SourceLocation) throws(ReadFailure) -> ValueNode {
        guard let tag else { return ValueNode(.scalar(text, plain: plain), at: location) }
        func refuse(_ what: String, _ hint: String) -> ReadFailure {
            ReadFailure(diagnostic: .error(
                .invalidValue, "'\(text)' is not \(what), as its tag \(Self.shortTag(tag)) says", at: location, hint: hint))
        }
        switch tag {
        case "tag:yaml.org,2002:str":
            return ValueNode(.scalar(text, plain: false), at: location, tag: "!!str")
        case "tag:yaml.org,2002:null":
            guard ["", "~", "null", "Null", "NULL"].contains(text) else { throw refuse("a null", "write null, or remove the tag") }
            return ValueNode(.scalar("null", plain: true), at: location)
        case "tag:yaml.org,2002:bool":
            switch text {
            case "true", "True", "TRUE": return ValueNode(.scalar("true", plain: true), at: location)
            case "false", "False", "FALSE": return ValueNode(.scalar("false", plain: true), at: location)
            default: throw refuse("a bool", "write true or false")
            }
        case "tag:yaml.org,2002:int":
            guard let value = Self.coreInteger(text) else { throw refuse("an integer", "write digits, 0x… or 0o…, within 64 bits") }
            return ValueNode(.scalar(String(value), plain: true), at: location)
        case "tag:yaml.org,2002:float":
            guard ScalarSyntax.isCoreFloat(text) else { throw refuse("a number", "write a number such as 0.5 or 1e3") }
            return ValueNode(.scalar(text, plain: true), at: location)
        case "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq":
            throw refuse(tag.hasSuffix("map") ? "a mapping" : "a sequence", "remove the tag")
        default:
            throw ReadFailure(diagnostic: .error(
                .yamlUnsupportedTag, "tag \(Self.shortTag(tag)) is not allowed in a contract", at: location,
                hint: "remove the tag: each value's type comes from the contract schema"))
        }
    }

    private func checkCollectionTag(_ tag: String?, isMapping: Bool, at location: SourceLocation) throws(ReadFailure) {
        guard let tag else { return }
        switch tag {
        case "tag:yaml.org,2002:map" where isMapping, "tag:yaml.org,2002:seq" where !isMapping:
            return
        case "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:str", "tag:yaml.org,2002:null",
            "tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float":
            throw ReadFailure(diagnostic: .error(
                .invalidValue, "a \(isMapping ? "mapping" : "sequence") is not what its tag \(Self.shortTag(tag)) says", at: location,
                hint: "remove the tag"))
        default:
            throw ReadFailure(diagnostic: .error(
                .yamlUnsupportedTag, "tag \(Self.shortTag(tag)) is not allowed in a contract", at: location,
                hint: "remove the tag: each value's type comes from the contract schema"))
        }
    }

    /// YAML 1.2's core-schema integers: decimal, `0o` octal and `0x` hexadecimal, in 64 bits.
    static func coreInteger(_ text: String) -> Int64? {
        if text.hasPrefix("0x") { return Int64(text.dropFirst(2), radix: 16) }
        if text.hasPrefix("0o") { return Int64(text.dropFirst(2), radix: 8) }
        guard text.wholeMatch(of: /[-+]?[0-9]+/) != nil else { return nil }
        return Int64(text.hasPrefix("+") ? String(text.dropFirst()) : text)
    }

    private static func shortTag(_ tag: String) -> String {
        let prefix = "tag:yaml.org,2002:"
        return tag.hasPrefix(prefix) ? "!!" + tag.dropFirst(prefix.count) : tag
    }

    private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?, length: Int) -> String {
        guard let pointer, length > 0 else { return "" }
        return String(decoding: UnsafeBufferPointer(start: pointer, count: length), as: UTF8.self)
    }

    private static func optionalString(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        guard let pointer else { return nil }
        return String(cString: pointer)
    }
}
