/// Caps that keep hostile YAML from exhausting memory, time or the stack. Contract files are small
/// (a realistic one is a few KiB and a few hundred nodes), so these leave a wide margin.
public struct YAMLLimits: Sendable, Hashable {
    /// The largest file read (4 MiB by default).
    public var maxBytes: Int
    /// Mappings and sequences open at once.
    public var maxDepth: Int
    /// `*alias` uses in one document.
    public var maxAliases: Int
    /// Nodes in the document with every alias expanded: what a consumer walking the tree would see.
    public var maxNodes: Int

    /// Limits; the defaults are what `eventc` uses.
    public init(maxBytes: Int = 4 << 20, maxDepth: Int = 64, maxAliases: Int = 1_000, maxNodes: Int = 250_000) {
        self.maxBytes = maxBytes
        self.maxDepth = maxDepth
        self.maxAliases = maxAliases
        self.maxNodes = maxNodes
    }

    /// 4 MiB, 64 levels, 1,000 aliases, 250,000 expanded nodes.
    public static let `default` = YAMLLimits()
}
