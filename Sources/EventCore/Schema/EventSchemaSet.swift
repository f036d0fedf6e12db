import Synchronization

/// A contract's schemas, one per version, as generated code embeds them (each the version's
/// `eventc export avro` schema, so the bytes on the wire are exactly that schema's encoding), and
/// the read plans the formats use: per version, how its data becomes the newest shape.
///
/// Immutable once made (its plan cache sits behind each `WriterSchema`'s lock), hence
/// `@unchecked Sendable` for its table of plan roots. Built once per event type (a generated
/// `static let`); plans for writer schemas that are no version of the contract (a Java producer's, a newer version's from a schema table) are built
/// the first time each is seen and kept.
///
/// For generated code and the runtime's formats: applications do not use it directly.
public final class EventSchemaSet: @unchecked Sendable {
    /// Each version's schema, in order (version 1 first); the last is the reader's.
    public let versions: [WriterSchema]
    /// Each version's schema as the JSON text it was given in (what a registry or another Avro
    /// implementation is handed).
    public let texts: [String]
    /// How each version's data is read as the newest shape.
    let versionPlans: [ReadPlan]
    /// Each version's plan root as a plain pointer (the plans above own them): what decoding a
    /// record starts from, with no reference counting per record.
    @usableFromInline let roots: UnsafeMutableBufferPointer<UnsafePointer<ReadNode>>
    /// Why the embedded schemas could not be read (generated code edited by hand), or nil.
    let problem: String?

    /// The schemas as JSON text, oldest version first.
    public convenience init(_ schemas: String...) { self.init(schemas: schemas) }

    /// The schemas as JSON text, oldest version first.
    public init(schemas: [String]) {
        texts = schemas
        var parsed: [AvroSchema] = []
        var problem: String? = nil
        for (index, text) in schemas.enumerated() {
            do {
                parsed.append(try AvroSchema(json: text))
            } catch {
                problem = "the schema of version \(index + 1) does not read: \(error); regenerate the code with eventc"
                break
            }
        }
        if parsed.isEmpty, problem == nil { problem = "no schemas" }
        self.problem = problem
        let reader = parsed.last ?? .null
        versions = parsed.enumerated().map { WriterSchema($0.element, version: $0.offset + 1) }
        versionPlans = parsed.map { ReadPlan(writer: $0, reader: reader) }
        roots = .allocate(capacity: versionPlans.count)
        _ = roots.initialize(from: versionPlans.map(\.root))
    }

    deinit { roots.deallocate() }

    /// The reader's schema: the newest version's.
    public var readerSchema: AvroSchema? { versions.last?.schema }

    /// The plan for data written by `version`; a version newer than this code knows is read with
    /// the newest shape (its unknown JSON members skipped).
    public func plan(forVersion version: Int) throws(EventDecodingError) -> ReadPlan {
        versionPlans[try planIndex(forVersion: version)]
    }

    /// `plan(forVersion:)`'s root, without the plan object.
    func root(forVersion version: Int) throws(EventDecodingError) -> UnsafePointer<ReadNode> {
        roots[try planIndex(forVersion: version)]
    }

    func planIndex(forVersion version: Int) throws(EventDecodingError) -> Int {
        guard !versionPlans.isEmpty, version >= 1 else {
            throw EventDecodingError(problem == nil ? .unknownVersion : .unknownSchema, path: "", offset: 0, problem ?? "version \(version) is not a contract version")
        }
        return Swift.min(version, versionPlans.count) - 1
    }

    /// The plan for data written with `writer`: a version's own, or one built for it and kept.
    public func plan(for writer: WriterSchema) throws(EventDecodingError) -> ReadPlan {
        if let problem { throw EventDecodingError(.unknownSchema, path: "", offset: 0, problem) }
        if let version = writer.version, version <= versions.count, versions[version - 1] === writer { return versionPlans[version - 1] }
        if let own = versions.firstIndex(where: { $0.fingerprint == writer.fingerprint }) { return versionPlans[own] }
        return writer.plan(readingWith: self)
    }

    /// The id `DerivedSchemaIds` gives version `version`.
    public func derivedId(ofVersion version: Int) -> Int32? {
        guard version >= 1, version <= versions.count else { return nil }
        return versions[version - 1].derivedId
    }
}

/// A schema data was written with, with what resolving it needs: its fingerprint, and the plans
/// built for the readers that met it.
///
/// For generated code and the runtime's formats: applications do not use it directly.
public final class WriterSchema: Sendable {
    /// The schema, parsed.
    public let schema: AvroSchema
    /// The Rabin fingerprint of its Parsing Canonical Form.
    public let fingerprint: UInt64
    /// The contract version it is, when it came with the contract's own schemas.
    public let version: Int?
    /// Plans for each reader (an event type's schemas) that read data of this schema.
    private let plans = Mutex<[ObjectIdentifier: ReadPlan]>([:])

    /// `schema`, from a table or a registry.
    public convenience init(_ schema: AvroSchema) { self.init(schema, version: nil) }

    init(_ schema: AvroSchema, version: Int?) {
        self.schema = schema
        fingerprint = schema.fingerprint
        self.version = version
    }

    /// The id `DerivedSchemaIds` gives this schema: the top 31 bits of its fingerprint (0 is 1).
    public var derivedId: Int32 { Swift.max(1, Int32(truncatingIfNeeded: fingerprint >> 33)) }

    func plan(readingWith reader: EventSchemaSet) -> ReadPlan {
        let key = ObjectIdentifier(reader)
        if let plan = plans.withLock({ $0[key] }) { return plan }
        let plan = ReadPlan(writer: schema, reader: reader.readerSchema ?? .null)
        return plans.withLock { plans in
            if let existing = plans[key] { return existing }
            plans[key] = plan
            return plan
        }
    }
}
