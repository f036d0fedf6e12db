import ContractModel

/// One version of a contract together with the named types it sees: one side of a comparison.
public struct SchemaVersion: Sendable {
    public var version: ContractVersion
    public var scope: TypeScope

    public init(version: ContractVersion, scope: TypeScope) {
        self.version = version
        self.scope = scope
    }

    public init(_ contract: Contract, _ version: ContractVersion) {
        self.init(version: version, scope: contract.typeScope(for: version))
    }

    public var number: Int { version.number.value }
}

/// One reason a reader cannot read what a writer wrote.
public struct Incompatibility: Hashable, Sendable {
    public var rule: RuleID
    /// The field path: `total.currency`, `items[].sku`, `tags{}.amount`.
    public var path: String
    public var readerVersion: Int
    public var writerVersion: Int
    /// In the newer of the two versions: the field, or the version itself when the field is gone.
    public var location: SourceLocation
    public var message: String
    public var hint: String?

    public func diagnostic(severity: Severity, mode: CompatibilityMode?) -> Diagnostic {
        Diagnostic(
            severity, rule, message, at: location, hint: hint,
            compatibility: CompatibilityDetail(
                path: path, readerVersion: readerVersion, writerVersion: writerVersion, mode: mode))
    }
}

/// Avro's schema resolution, on contract versions: can data written with `writer` be read with
/// `reader`? Returns every incompatibility, not only the first.
///
/// - Fields match by name or by the reader field's `aliases`; a reader field the writer lacks
///   needs a default (an optional field defaults to null). Writer fields the reader lacks are skipped.
/// - Promotions: int → long, float, double; long → float, double; float → double. Nothing else:
///   not string ↔ bytes (bytes are base64 on our JSON wire), and decimal, uuid, timestamp and date
///   match only themselves (their JSON text differs from their Avro base types').
/// - `T` → `T?` reads; `T?` → `T` does not.
/// - Enums: a writer symbol the reader lacks breaks unless the reader's enum has a default.
/// - Named types compare by structure; a pair already being compared is assumed compatible, so
///   recursive types terminate (as Avro's checker does).
public enum SchemaCompatibility {
    public static func canRead(reader: SchemaVersion, writer: SchemaVersion) -> [Incompatibility] {
        var walk = CompatibilityWalk(reader: reader, writer: writer)
        walk.compareFields(
            reader.version.fields, writer.version.fields, prefix: "",
            readerFallback: reader.version.number.location, writerFallback: writer.version.number.location)
        return walk.found
    }

    /// Whether `reader` reads `writer`: Avro's promotion table.
    public static func promotes(_ writer: PrimitiveType, to reader: PrimitiveType) -> Bool {
        if writer == reader { return true }
        switch (writer, reader) {
        case (.int, .long), (.int, .float), (.int, .double), (.long, .float), (.long, .double), (.float, .double):
            return true
        default:
            return false
        }
    }
}

private struct CompatibilityWalk {
    let reader: SchemaVersion
    let writer: SchemaVersion
    var found: [Incompatibility] = []
    /// Named-type pairs under comparison, for recursion.
    var visiting: Set<[String]> = []

    init(reader: SchemaVersion, writer: SchemaVersion) {
        self.reader = reader
        self.writer = writer
    }

    private var readerIsNewer: Bool { reader.number >= writer.number }

    private func newer(reader readerLocation: SourceLocation?, writer writerLocation: SourceLocation?,
                       readerFallback: SourceLocation, writerFallback: SourceLocation) -> SourceLocation
    {
        readerIsNewer ? (readerLocation ?? readerFallback) : (writerLocation ?? writerFallback)
    }

    private mutating func report(_ rule: RuleID, _ path: String, at location: SourceLocation, _ message: String,
                                 hint: String?)
    {
        found.append(Incompatibility(
            rule: rule, path: path, readerVersion: reader.number, writerVersion: writer.number, location: location,
            message: message, hint: hint))
    }

    mutating func compareFields(_ readerFields: [Field], _ writerFields: [Field], prefix: String,
                                readerFallback: SourceLocation, writerFallback: SourceLocation)
    {
        for readerField in readerFields {
            let path = prefix + readerField.name
            let writerField = writerFields.first { $0.name == readerField.name }
                ?? readerField.aliases.lazy.compactMap { alias in writerFields.first { $0.name == alias.value } }.first
            guard let writerField else {
                if !readerField.hasDefault {
                    let location = newer(reader: readerField.location, writer: nil,
                                         readerFallback: readerFallback, writerFallback: writerFallback)
                    let message = readerIsNewer
                        ? "version \(reader.number) adds '\(path)' without a default, so it cannot read events written by version \(writer.number)"
                        : "version \(writer.number) drops '\(path)', which version \(reader.number) reads and has no default for"
                    let hint = readerIsNewer
                        ? "give '\(readerField.name)' a default, or make it optional"
                        : "keep '\(readerField.name)' in version \(writer.number); a field can be dropped only if older readers have a default for it"
                    report(.compatMissingDefault, path, at: location, message, hint: hint)
                }
                continue
            }
            guard let readerType = readerField.type, let writerType = writerField.type else { continue }
            compare(readerType, writerType, path: path,
                    readerLocation: readerField.typeLocation, writerLocation: writerField.typeLocation)
        }
    }

    mutating func compare(_ readerType: TypeExpression, _ writerType: TypeExpression, path: String,
                          readerLocation: SourceLocation, writerLocation: SourceLocation)
    {
        let location = readerIsNewer ? readerLocation : writerLocation
        switch (readerType, writerType) {
        case (.optional(let r), .optional(let w)):
            compare(r, w, path: path, readerLocation: readerLocation, writerLocation: writerLocation)
        case (.optional(let r), _):
            compare(r, writerType, path: path, readerLocation: readerLocation, writerLocation: writerLocation)
        case (_, .optional):
            report(.compatOptionalToRequired, path, at: location,
                   "'\(path)' is '\(writerType)' in version \(writer.number) but '\(readerType)' in version \(reader.number): a null cannot be read",
                   hint: "keep '\(path)' optional; a value that may be absent cannot become required")
        case (.primitive(let r), .primitive(let w)):
            if !SchemaCompatibility.promotes(w, to: r) { mismatch(readerType, writerType, path: path, at: location) }
        case (.array(let r), .array(let w)):
            compare(r, w, path: path + "[]", readerLocation: readerLocation, writerLocation: writerLocation)
        case (.map(let r), .map(let w)):
            compare(r, w, path: path + "{}", readerLocation: readerLocation, writerLocation: writerLocation)
        case (.named(let r), .named(let w)):
            compareNamed(r, w, path: path, at: location, readerLocation: readerLocation, writerLocation: writerLocation)
        default:
            mismatch(readerType, writerType, path: path, at: location)
        }
    }

    private mutating func compareNamed(_ readerName: String, _ writerName: String, path: String, at location: SourceLocation,
                                       readerLocation: SourceLocation, writerLocation: SourceLocation)
    {
        // Unknown names are reported by lint; nothing sensible to compare here.
        guard let readerType = reader.scope[readerName], let writerType = writer.scope[writerName] else { return }
        let pair = [readerName, writerName]
        guard visiting.insert(pair).inserted else { return }
        defer { visiting.remove(pair) }
        switch (readerType.kind, writerType.kind) {
        case (.record(let readerFields), .record(let writerFields)):
            compareFields(readerFields, writerFields, prefix: path + ".",
                          readerFallback: readerLocation, writerFallback: writerLocation)
        case (.enumeration(let readerSymbols, let readerDefault), .enumeration(let writerSymbols, _)):
            let known = Set(readerSymbols.map(\.value))
            let missing = writerSymbols.map(\.value).filter { !known.contains($0) }
            let hasDefault = readerDefault.map { known.contains($0.value) } ?? false
            guard !missing.isEmpty, !hasDefault else { return }
            let list = missing.joined(separator: ", ")
            let message = readerIsNewer
                ? "enum '\(readerName)' of version \(reader.number) drops \(list), which version \(writer.number) writes in '\(path)'"
                : "version \(writer.number) writes \(list) in '\(path)', which enum '\(readerName)' of version \(reader.number) lacks"
            report(.compatEnumSymbolMissing, path, at: location, message,
                   hint: "keep symbol \(missing[0]) or give enum '\(readerName)' a default")
        default:
            mismatch(.named(readerName), .named(writerName), path: path, at: location)
        }
    }

    private mutating func mismatch(_ readerType: TypeExpression, _ writerType: TypeExpression, path: String,
                                   at location: SourceLocation)
    {
        report(.compatTypeMismatch, path, at: location,
               "'\(path)' is '\(writerType)' in version \(writer.number) but '\(readerType)' in version \(reader.number)",
               hint: "a type changes only by promotion (int → long, float, double; long → float, double; float → double); add a new field instead")
    }
}
