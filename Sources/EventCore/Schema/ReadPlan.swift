/// How to read what a writer wrote as the type a reader expects: Avro's schema resolution (fields
/// matched by name or the reader's aliases, skipped when the reader lacks them, enum symbols
/// mapped, unions and optionals, promotions), worked out once per pair of schemas and kept, so no
/// record is read by re-interpreting schemas — Avro's `ResolvingDecoder` idea. JSON reads with the
/// same plans: a version's member names, and which reader field each one fills.
///
/// Records match by structure, not by name, as the contract language's compatibility rules do.
/// Primitive mismatches (a writer's string where the reader wants a long) are not refused here
/// but by the decoder when such a value is met, so the error names the field.
///
/// The nodes live in memory this plan owns, never moved or freed while it exists; decoders walk
/// them through plain pointers, with no reference counting per field.
///
/// For generated code and the runtime's formats: applications do not use it directly.
public final class ReadPlan: @unchecked Sendable {
    @usableFromInline let root: UnsafePointer<ReadNode>
    /// Everything the nodes point to, freed with the plan.
    private let storage: PlanStorage

    /// Resolves `writer` (the schema the data was written with) against `reader` (the schema the
    /// data is read as).
    public init(writer: AvroSchema, reader: AvroSchema) {
        let storage = PlanStorage()
        var builder = PlanBuilder(storage: storage)
        root = builder.node(writer: writer, reader: reader)
        self.storage = storage
    }

    /// Why data written with the writer's schema cannot be read at all (a field the reader needs
    /// that the writer's top-level record lacks), or nil.
    public var refusal: String? {
        root.pointee.record?.pointee.refusal.map { "the writer's schema has no '\($0.string)', which the reader needs (it has no default)" }
    }

    /// Whether the writer's schema is the reader's own, field for field.
    public var isIdentity: Bool { root.pointee.isIdentity }
}

/// One value's resolution: what the writer wrote (its kind and logical type), and for structured
/// values, the resolution of their parts.
@usableFromInline
struct ReadNode {
    @usableFromInline
    enum Writer: UInt8 {
        case null, boolean, int, long, float, double, bytes, string, fixed, record, enumeration, array, map, union
        /// The reader cannot take what the writer wrote here; `text` says why.
        case unreadable
    }

    @usableFromInline
    enum Logical: UInt8 {
        case none, date, timestampMillis, timestampMicros, timestampNanos, uuid, decimal
    }

    @usableFromInline var writer: Writer
    @usableFromInline var logical: Logical = .none
    /// A decimal's scale.
    @usableFromInline var scale = 0
    /// A decimal's precision: the most digits its unscaled value may have.
    @usableFromInline var precision = 0
    /// A fixed's size; a union's branch count; an enum's writer symbol count.
    @usableFromInline var size = 0
    /// An array's items, a map's values.
    @usableFromInline var child: UnsafePointer<ReadNode>? = nil
    /// A union's branches, in the writer's order.
    @usableFromInline var branches: UnsafePointer<UnsafePointer<ReadNode>>? = nil
    /// A union's branch that is not null (JSON reads a present value with it), or -1.
    @usableFromInline var presentBranch = -1
    @usableFromInline var record: UnsafePointer<RecordPlan>? = nil
    /// An enum's reader position per writer symbol, -1 for a symbol the reader lacks.
    @usableFromInline var symbolMap: UnsafePointer<Int>? = nil
    /// An enum's writer symbols (messages name an unknown one).
    @usableFromInline var symbols: EventNames.Table? = nil
    /// Why the value cannot be read (`unreadable`).
    @usableFromInline var text: PlanText? = nil
    /// The writer wrote exactly what the reader expects, through every part.
    @usableFromInline var isIdentity = false
    /// The value's encoding can take no bytes (a null, an empty record): arrays of such values
    /// are bounded by a limit, not by the input's size.
    @usableFromInline var canBeEmpty = false

    init(writer: Writer) { self.writer = writer }

    /// The writer's kind, for messages: `int`, `timestamp-nanos long`, `record`.
    var writerDescription: String {
        switch logical {
        case .none: "\(writer)"
        case .date: "date int"
        case .timestampMillis: "timestamp-millis long"
        case .timestampMicros: "timestamp-micros long"
        case .timestampNanos: "timestamp-nanos long"
        case .uuid: "uuid \(writer)"
        case .decimal: "decimal \(writer)"
        }
    }
}

/// A record's resolution: per writer field, in the writer's order, the reader field it fills
/// (or -1: skipped) and how its value is read.
@usableFromInline
struct RecordPlan {
    /// The writer's field names, in its order: JSON matches members against them.
    @usableFromInline var names: EventNames.Table
    @usableFromInline var steps: UnsafePointer<FieldStep>
    /// Every writer field fills the reader field of the same position: JSON skips the mapping.
    @usableFromInline var isIdentity: Bool
    /// The name of a reader field without a default that the writer lacks: no data of this
    /// writer can be read.
    @usableFromInline var refusal: PlanText?
}

@usableFromInline
struct FieldStep {
    /// The reader field's position, or -1 when the reader has no such field.
    @usableFromInline var reader: Int
    @usableFromInline var node: UnsafePointer<ReadNode>
}

/// UTF-8 text in a plan's storage: messages and names, without a `String` (and its reference
/// counting) in the nodes.
@usableFromInline
struct PlanText {
    let start: UnsafePointer<UInt8>
    let count: Int

    @usableFromInline var string: String { String(decoding: UnsafeBufferPointer(start: start, count: count), as: UTF8.self) }
}

/// The memory of one plan's nodes, tables and texts.
final class PlanStorage {
    private var allocations: [UnsafeMutableRawPointer] = []
    /// Name tables the nodes point into, kept alive with the plan.
    private var names: [EventNames] = []

    func allocate<Value>(_ values: [Value]) -> UnsafePointer<Value> {
        let memory = UnsafeMutablePointer<Value>.allocate(capacity: Swift.max(1, values.count))
        memory.initialize(from: values, count: values.count)
        allocations.append(UnsafeMutableRawPointer(memory))
        return UnsafePointer(memory)
    }

    func text(_ string: String) -> PlanText {
        let bytes = Array(string.utf8)
        return PlanText(start: allocate(bytes), count: bytes.count)
    }

    func table(_ strings: [String]) -> EventNames.Table {
        let names = EventNames(strings)
        self.names.append(names)
        return names.table
    }

    deinit {
        // Every value stored is a plain value (numbers, pointers, flags): nothing to deinitialize.
        for allocation in allocations { allocation.deallocate() }
    }
}

/// Resolves a writer's schema against a reader's, node by node (a reader of nil: the value is
/// skipped, and only the writer's shape matters).
private struct PlanBuilder {
    let storage: PlanStorage

    mutating func node(writer: AvroSchema, reader: AvroSchema?) -> UnsafePointer<ReadNode> {
        storage.allocate([resolve(writer: writer, reader: reader)])
    }

    mutating func resolve(writer: AvroSchema, reader: AvroSchema?) -> ReadNode {
        if case .union(let branches) = writer { return union(branches, reader: reader) }
        if case .union(let readerBranches)? = reader {
            // The reader's optional (or any union): the writer's value goes to the first branch
            // of the same kind, else to the first it can be promoted to.
            guard let branch = Self.readerBranch(for: writer, among: readerBranches) else {
                return unreadable("the writer's \(writer.kindName) is none of the reader's \(readerBranches.map(\.kindName).joined(separator: ", "))")
            }
            return resolve(writer: writer, reader: branch)
        }
        switch writer {
        case .null:
            var node = identity(ReadNode(writer: .null), reader, .null)
            node.canBeEmpty = true
            return node
        case .boolean: return identity(ReadNode(writer: .boolean), reader, writer)
        case .float: return identity(ReadNode(writer: .float), reader, writer)
        case .double: return identity(ReadNode(writer: .double), reader, writer)
        case .int(let logical), .long(let logical), .bytes(let logical), .string(let logical):
            var node = ReadNode(writer: Self.kind(of: writer))
            node.logical = Self.logical(logical)
            if case .decimal(let precision, let scale)? = logical { (node.precision, node.scale) = (precision, scale) }
            return identity(node, reader, writer)
        case .fixed(let fixed):
            var node = ReadNode(writer: .fixed)
            node.size = fixed.size
            node.canBeEmpty = fixed.size == 0
            node.logical = Self.logical(fixed.logicalType)
            if case .decimal(let precision, let scale)? = fixed.logicalType { (node.precision, node.scale) = (precision, scale) }
            return identity(node, reader, writer)
        case .record(let record):
            if let reader, case .record(let readerRecord) = reader { return self.record(record, reader: readerRecord) }
            if reader != nil { return unreadable("a record cannot be read as \(Self.article(reader))") }
            return self.record(record, reader: nil)
        case .enumeration(let enumeration):
            if let reader, case .enumeration(let readerEnum) = reader { return self.enumeration(enumeration, reader: readerEnum) }
            if reader != nil { return unreadable("an enum cannot be read as \(Self.article(reader))") }
            return self.enumeration(enumeration, reader: nil)
        case .array(let items):
            var readerItems: AvroSchema? = nil
            if let reader {
                guard case .array(let inner) = reader else { return unreadable("an array cannot be read as \(Self.article(reader))") }
                readerItems = inner
            }
            var node = ReadNode(writer: .array)
            let child = self.node(writer: items, reader: readerItems)
            node.child = child
            node.isIdentity = child.pointee.isIdentity && reader != nil
            return node
        case .map(let values):
            var readerValues: AvroSchema? = nil
            if let reader {
                guard case .map(let inner) = reader else { return unreadable("a map cannot be read as \(Self.article(reader))") }
                readerValues = inner
            }
            var node = ReadNode(writer: .map)
            let child = self.node(writer: values, reader: readerValues)
            node.child = child
            node.isIdentity = child.pointee.isIdentity && reader != nil
            return node
        case .union:
            preconditionFailure("unions are resolved above")
        }
    }

    /// A primitive node, marked identity when the reader expects exactly what the writer wrote.
    func identity(_ node: ReadNode, _ reader: AvroSchema?, _ writer: AvroSchema) -> ReadNode {
        var node = node
        node.isIdentity = reader == writer
        return node
    }

    mutating func union(_ branches: [AvroSchema], reader: AvroSchema?) -> ReadNode {
        var node = ReadNode(writer: .union)
        let nodes = branches.map { branch in self.node(writer: branch, reader: reader) }
        node.size = nodes.count
        node.branches = storage.allocate(nodes)
        node.presentBranch = branches.firstIndex { $0 != .null } ?? -1
        if case .union(let readerBranches)? = reader, readerBranches.count == branches.count {
            node.isIdentity = nodes.allSatisfy(\.pointee.isIdentity) && zip(branches, readerBranches).allSatisfy { ($0 == .null) == ($1 == .null) }
        }
        return node
    }

    mutating func record(_ writer: AvroRecord, reader: AvroRecord?) -> ReadNode {
        var steps: [FieldStep] = []
        var filled = Set<Int>()
        for field in writer.fields {
            let readerIndex = reader.flatMap { reader in
                reader.fields.firstIndex { $0.name == field.name } ?? reader.fields.firstIndex { $0.aliases.contains(field.name) }
            }
            if let readerIndex, filled.insert(readerIndex).inserted, let reader {
                steps.append(FieldStep(reader: readerIndex, node: node(writer: field.type, reader: reader.fields[readerIndex].type)))
            } else {
                steps.append(FieldStep(reader: -1, node: node(writer: field.type, reader: nil)))
            }
        }
        var refusal: PlanText? = nil
        if let reader, let missing = reader.fields.indices.first(where: { !filled.contains($0) && reader.fields[$0].defaultValue == nil }) {
            refusal = storage.text(reader.fields[missing].name)
        }
        // Writer field n fills reader field n, for every field: JSON needs no mapping.
        let inPlace = reader != nil && steps.count == reader?.fields.count && steps.enumerated().allSatisfy { $0.offset == $0.element.reader }
        let plan = RecordPlan(names: storage.table(writer.fields.map(\.name)), steps: storage.allocate(steps), isIdentity: inPlace, refusal: refusal)
        var node = ReadNode(writer: .record)
        node.record = storage.allocate([plan])
        node.isIdentity = inPlace && steps.allSatisfy(\.node.pointee.isIdentity)
        node.canBeEmpty = steps.allSatisfy(\.node.pointee.canBeEmpty)
        return node
    }

    mutating func enumeration(_ writer: AvroEnum, reader: AvroEnum?) -> ReadNode {
        var node = ReadNode(writer: .enumeration)
        node.size = writer.symbols.count
        node.symbols = storage.table(writer.symbols)
        if let reader {
            node.symbolMap = storage.allocate(writer.symbols.map { reader.symbols.firstIndex(of: $0) ?? -1 })
            node.isIdentity = writer.symbols == reader.symbols
        }
        return node
    }

    func unreadable(_ message: String) -> ReadNode {
        var node = ReadNode(writer: .unreadable)
        node.text = storage.text(message)
        return node
    }

    /// The reader's union branch a writer's (non-union) value goes to.
    static func readerBranch(for writer: AvroSchema, among branches: [AvroSchema]) -> AvroSchema? {
        if let same = branches.first(where: { kind(of: $0) == kind(of: writer) }) { return same }
        let promotions: [ReadNode.Writer: [ReadNode.Writer]] = [
            .int: [.long, .float, .double], .long: [.float, .double], .float: [.double], .string: [.bytes], .bytes: [.string],
        ]
        let targets = promotions[kind(of: writer)] ?? []
        return branches.first { targets.contains(kind(of: $0)) }
    }

    static func kind(of schema: AvroSchema) -> ReadNode.Writer {
        switch schema {
        case .null: .null
        case .boolean: .boolean
        case .int: .int
        case .long: .long
        case .float: .float
        case .double: .double
        case .bytes: .bytes
        case .string: .string
        case .fixed: .fixed
        case .record: .record
        case .enumeration: .enumeration
        case .array: .array
        case .map: .map
        case .union: .union
        }
    }

    static func logical(_ logical: AvroLogicalType?) -> ReadNode.Logical {
        switch logical {
        case nil: .none
        case .date?: .date
        case .timestampMillis?: .timestampMillis
        case .timestampMicros?: .timestampMicros
        case .timestampNanos?: .timestampNanos
        case .uuid?: .uuid
        case .decimal?: .decimal
        }
    }

    static func article(_ schema: AvroSchema?) -> String {
        guard let schema else { return "nothing" }
        let name = schema.kindName
        return (name.first.map { "aeiou".contains($0) } ?? false ? "an " : "a ") + name
    }
}
