import ContractModel

/// Every name in a type expression must resolve in its scope, and a record may contain itself only
/// through an optional or a collection (otherwise no finite value of it exists).
public struct TypeReferenceRule: LintRule {
    /// The rule ids it reports.
    public var ids: [RuleID] { [.unknownType, .recursiveType] }

    /// The rule.
    public init() {}

    /// Every problem it finds in `contract`.
    public func check(_ contract: Contract, context: LintContext) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        for site in context.fieldSites {
            guard let type = site.field.type else { continue }
            for name in type.referencedNames where site.scope[name] == nil {
                diagnostics.append(.error(
                    .unknownType, "unknown type '\(name)' for field '\(site.field.name)'", at: site.field.typeLocation,
                    hint: Self.hint(forUnknown: name, declared: site.scope.keys.sorted())))
            }
        }
        for scope in context.scopes {
            diagnostics += recursionDiagnostics(in: scope)
        }
        return diagnostics
    }

    /// Other languages' names for the built-in types, which a "did you mean" by spelling misses.
    static let builtInSynonyms: [String: String] = [
        "integer": "int", "int32": "int", "int16": "int", "short": "int", "int64": "long", "bigint": "long",
        "float32": "float", "float64": "double", "number": "double", "real": "double", "str": "string", "text": "string",
        "varchar": "string", "boolean": "bool", "datetime": "timestamp", "date-time": "timestamp", "instant": "timestamp",
        "time": "timestamp", "guid": "uuid", "binary": "bytes", "blob": "bytes", "numeric": "decimal", "money": "decimal",
        "list": "array<T>", "array": "array<T>", "dict": "map<T>", "map": "map<T>", "object": "map<T>",
    ]

    /// The nearest declared or built-in type (by spelling, or by another language's name for it),
    /// then the built-ins, so the fix is in the message whatever was meant.
    static func hint(forUnknown name: String, declared: [String]) -> String {
        let builtIns = PrimitiveType.allCases.map(\.rawValue)
        let nearest = builtInSynonyms[name.lowercased()] ?? Suggestion.closest(to: name, among: declared + builtIns)
        let list = "built-in types: \(builtIns.joined(separator: ", ")), array<T>, map<T>, T?"
        let declaredNote = declared.isEmpty ? "declare it under 'types:'" : "declared here: \(declared.joined(separator: ", "))"
        guard let nearest else { return "\(list); or \(declaredNote)" }
        return "did you mean '\(nearest)'? \(list); \(declaredNote)"
    }

    /// Edges are fields whose type is a record by name, with no `?`, array or map around it;
    /// any cycle of such edges is reported at each field on it (Tarjan's strongly connected components).
    private func recursionDiagnostics(in scope: TypeScope) -> [Diagnostic] {
        let records = scope.values.filter { if case .record = $0.kind { true } else { false } }
            .sorted { $0.name.value < $1.name.value }
        var edges: [String: [(target: String, field: Field)]] = [:]
        for record in records {
            edges[record.name.value] = record.fields.compactMap { field in
                guard case .named(let target)? = field.type, case .record? = scope[target]?.kind else { return nil }
                return (target, field)
            }
        }
        var components = StronglyConnectedComponents(nodes: records.map(\.name.value)) { node in
            edges[node, default: []].map(\.target)
        }
        var diagnostics: [Diagnostic] = []
        for component in components.compute() {
            let members = Set(component)
            for node in component {
                for edge in edges[node, default: []] where members.contains(edge.target) {
                    let cycle = component.count == 1 ? "itself" : "itself through \(component.sorted().joined(separator: " → "))"
                    diagnostics.append(.error(
                        .recursiveType,
                        "record '\(node)' contains \(cycle) via field '\(edge.field.name)' with no optional or collection to end it",
                        at: edge.field.typeLocation,
                        hint: "make the field optional ('\(edge.target)?') or a collection ('array<\(edge.target)>')"))
                }
            }
        }
        return diagnostics
    }
}

/// Tarjan's algorithm, iterative so a long chain of types cannot overflow the stack. Returns the
/// components that contain a cycle (more than one node, or a node with an edge to itself).
struct StronglyConnectedComponents {
    let nodes: [String]
    let successors: (String) -> [String]
    private var index: [String: Int] = [:]
    private var lowLink: [String: Int] = [:]
    private var onStack: Set<String> = []
    private var stack: [String] = []
    private var counter = 0

    init(nodes: [String], successors: @escaping (String) -> [String]) {
        self.nodes = nodes
        self.successors = successors
    }

    mutating func compute() -> [[String]] {
        var result: [[String]] = []
        for node in nodes where index[node] == nil {
            // Each frame: the node and how many of its successors have been visited.
            var work: [(node: String, next: Int)] = [(node, 0)]
            visit(node)
            while var frame = work.popLast() {
                let targets = successors(frame.node)
                if frame.next < targets.count {
                    let target = targets[frame.next]
                    frame.next += 1
                    work.append(frame)
                    if index[target] == nil {
                        visit(target)
                        work.append((target, 0))
                    } else if onStack.contains(target) {
                        lowLink[frame.node] = min(lowLink[frame.node, default: 0], index[target, default: 0])
                    }
                    continue
                }
                if let parent = work.last {
                    lowLink[parent.node] = min(lowLink[parent.node, default: 0], lowLink[frame.node, default: 0])
                }
                if lowLink[frame.node] == index[frame.node] {
                    var component: [String] = []
                    while let member = stack.popLast() {
                        onStack.remove(member)
                        component.append(member)
                        if member == frame.node { break }
                    }
                    if component.count > 1 || successors(frame.node).contains(frame.node) {
                        result.append(component.sorted())
                    }
                }
            }
        }
        return result
    }

    private mutating func visit(_ node: String) {
        index[node] = counter
        lowLink[node] = counter
        counter += 1
        stack.append(node)
        onStack.insert(node)
    }
}
