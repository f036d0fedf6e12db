/// A YAML value with its location, untyped: the schema, not YAML 1.1's guessing, decides what a
/// scalar means. The parser builds contracts from these and keeps them for field defaults, whose
/// meaning depends on the field's type.
public struct ValueNode: Hashable, Sendable {
    /// What a node holds.
    public enum Content: Hashable, Sendable {
        /// A scalar's text; `plain` is false for quoted and block scalars, which are always strings.
        case scalar(String, plain: Bool)
        /// A sequence's items, in order.
        case sequence([ValueNode])
        /// A mapping's entries, in the order written.
        case mapping([MappingEntry])
    }

    /// What it holds.
    public var content: Content
    /// Where it starts in its file.
    public var location: SourceLocation
    /// `!!str` when the scalar was a string by tag rather than by quotes (for messages); nil otherwise.
    public var tag: String?

    /// A node holding `content`, found at `location`.
    public init(_ content: Content, at location: SourceLocation, tag: String? = nil) {
        self.content = content
        self.location = location
        self.tag = tag
    }

    /// Why a non-plain scalar is text, for messages: "quoted", or "tagged !!str".
    public var textReason: String { tag == "!!str" ? "tagged !!str" : "quoted" }

    /// A plain empty scalar, `~` or `null`: YAML's null.
    public var isNull: Bool {
        if case .scalar(let text, plain: true) = content {
            return text.isEmpty || text == "~" || text == "null" || text == "Null" || text == "NULL"
        }
        return false
    }

    /// A short name for the node's shape, for messages: "a mapping", "a sequence", "a scalar".
    public var shapeName: String {
        switch content {
        case .scalar: isNull ? "null" : "a scalar"
        case .sequence: "a sequence"
        case .mapping: "a mapping"
        }
    }
}

/// One `key: value` pair of a YAML mapping. Keys are scalars in contract files.
public struct MappingEntry: Hashable, Sendable {
    /// The key's text.
    public var key: String
    /// Where the key is (diagnostics about the key point here).
    public var keyLocation: SourceLocation
    /// The value.
    public var value: ValueNode

    /// An entry.
    public init(key: String, keyLocation: SourceLocation, value: ValueNode) {
        self.key = key
        self.keyLocation = keyLocation
        self.value = value
    }
}
